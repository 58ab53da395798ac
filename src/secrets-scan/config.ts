/**
 * Secrets-scan configuration files, read into a `SecretsConfig`: ours (`.imagepipe/secrets.yaml`,
 * kebab-case keys, JavaScript regexes, globs for paths) and gitleaks' `.gitleaks.toml` (see
 * gitleaks.ts). Every mistake is a `UserError` naming the file and line, the rule, the problem
 * and the fix; the engine never sees a half-read configuration.
 */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import picomatch from 'picomatch';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node as YamlNode } from 'yaml';
import { configError, didYouMean } from '../core/config.js';
import type { Severity } from '../core/sarif.js';
import { parseGitleaksConfig } from './gitleaks.js';
import { groupCount } from './engine.js';
import { BUILTIN_RULES } from './rules.js';
import type { Allowlist, SecretRule, SecretsConfig } from './types.js';

export interface ConfigOptions {
  /** The name to show in messages and `SecretsConfig.file` (default: the path given). */
  displayName?: string;
}

/**
 * Reads a configuration file: `.toml` (or TOML content with `[[rules]]`, `[allowlist]` or
 * `[extend]`) is a gitleaks config, anything else ours in YAML.
 */
export async function loadSecretsConfig(file: string, options: ConfigOptions = {}): Promise<SecretsConfig> {
  const name = options.displayName ?? file;
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT')
      throw configError(name, undefined, undefined, 'file not found', 'Create it, or give the right path');
    if (code === 'EISDIR')
      throw configError(name, undefined, undefined, 'is a folder, not a file', 'Name the file itself');
    throw configError(
      name,
      undefined,
      undefined,
      `cannot be read (${code ?? 'error'})`,
      'Check the path and its permissions',
    );
  }
  const ext = path.extname(file).toLowerCase();
  const gitleaks = ext === '.toml' || (ext !== '.yaml' && ext !== '.yml' && looksLikeGitleaks(text));
  return gitleaks
    ? parseGitleaksConfig(text, file, { displayName: name })
    : parseImagepipeConfig(text, file, { displayName: name });
}

function looksLikeGitleaks(text: string): boolean {
  return /^\s*\[\[?\s*(?:rules|allowlists?|extend)\s*[\].]/m.test(text);
}

export { configError, didYouMean } from '../core/config.js';

/** A regex that never matches: the content pattern of a rule that reports files by path alone. */
export const NEVER = /(?!)/;

export const BUILTIN_IDS: ReadonlySet<string> = new Set(BUILTIN_RULES.map((r) => r.id));

// ---------------------------------------------------------------------------------------------
// Our YAML format.

const TOP_KEYS = ['use-default', 'disable', 'rules', 'allow', 'entropy'];
const RULE_KEYS = [
  'id',
  'title',
  'description',
  'severity',
  'regex',
  'secret-group',
  'keywords',
  'entropy',
  'path',
  'allow',
];
const ALLOW_KEYS = ['description', 'paths', 'values', 'lines', 'stopwords', 'commits', 'condition'];
const SEVERITIES: readonly Severity[] = ['critical', 'high', 'medium', 'low'];
const KEBAB = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

type Entries = Map<string, { keyNode: YamlNode; value: YamlNode | null }>;

class YamlReader {
  private readonly lines = new LineCounter();

  constructor(readonly file: string) {}

  parse(text: string): YamlNode | null {
    const doc = parseDocument(text, { lineCounter: this.lines, uniqueKeys: true, prettyErrors: true });
    const [error] = [...doc.errors, ...doc.warnings];
    if (error) {
      const problem = `invalid YAML: ${error.message.split(' at line ')[0]!.split('\n')[0]}`;
      throw configError(this.file, error.linePos?.[0].line, undefined, problem, 'Fix the YAML syntax');
    }
    return doc.contents as YamlNode | null;
  }

  line(node: YamlNode | null | undefined): number | undefined {
    return node?.range ? this.lines.linePos(node.range[0]).line : undefined;
  }

  fail(node: YamlNode | null | undefined, subject: string | undefined, problem: string, fix: string): never {
    throw configError(this.file, this.line(node), subject, problem, fix);
  }

  /** A map whose keys are all among `allowed`: unknown keys are errors with a suggestion. */
  entries(
    node: YamlNode | null,
    subject: string | undefined,
    what: string,
    allowed: readonly string[],
  ): Entries {
    const out: Entries = new Map();
    if (node === null) return out;
    if (!isMap(node)) this.fail(node, subject, `${what} must be a map of keys`, `Use ${allowed.join(', ')}`);
    for (const pair of node.items) {
      const keyNode = pair.key as YamlNode;
      const key = isScalar(keyNode) ? String(keyNode.value) : '';
      if (!allowed.includes(key))
        this.fail(
          keyNode,
          subject,
          `unknown key '${key}' in ${what}`,
          `${didYouMean(key, allowed).trim() || 'Remove it.'} Allowed keys: ${allowed.join(', ')}`,
        );
      out.set(key, { keyNode, value: pair.value as YamlNode | null });
    }
    return out;
  }

  string(entries: Entries, key: string, subject: string | undefined): string | undefined {
    const entry = entries.get(key);
    if (!entry || entry.value === null) return undefined;
    if (!isScalar(entry.value) || typeof entry.value.value !== 'string')
      this.fail(entry.value, subject, `${key} must be a string`, `Write ${key}: 'text' (quote it)`);
    return entry.value.value;
  }

  number(entries: Entries, key: string, subject: string | undefined, integer = false): number | undefined {
    const entry = entries.get(key);
    if (!entry || entry.value === null) return undefined;
    const value = isScalar(entry.value) ? entry.value.value : undefined;
    if (
      typeof value !== 'number' ||
      value < 0 ||
      !Number.isFinite(value) ||
      (integer && !Number.isInteger(value))
    )
      this.fail(
        entry.value,
        subject,
        `${key} must be a ${integer ? 'whole number' : 'number'} of 0 or more`,
        `Write ${key}: ${integer ? 1 : 3.5}`,
      );
    return value;
  }

  boolean(entries: Entries, key: string, subject: string | undefined): boolean | undefined {
    const entry = entries.get(key);
    if (!entry || entry.value === null) return undefined;
    if (!isScalar(entry.value) || typeof entry.value.value !== 'boolean')
      this.fail(entry.value, subject, `${key} must be true or false`, `Write ${key}: true`);
    return entry.value.value;
  }

  /** A list of strings; one string alone counts as a list of one. */
  strings(entries: Entries, key: string, subject: string | undefined): { value: string; node: YamlNode }[] {
    const entry = entries.get(key);
    if (!entry || entry.value === null) return [];
    const items = isSeq(entry.value) ? (entry.value.items as YamlNode[]) : [entry.value];
    return items.map((item) => {
      if (!isScalar(item) || typeof item.value !== 'string' || item.value === '')
        this.fail(item, subject, `${key} must be a list of non-empty strings`, `Write ${key}: ['text', …]`);
      return { value: item.value, node: item };
    });
  }

  /** A JavaScript regex; a leading `(?i)` makes it case-insensitive (JavaScript has no inline flags). */
  regex(source: string, node: YamlNode, subject: string | undefined, key: string): RegExp {
    const insensitive = source.startsWith('(?i)');
    try {
      return new RegExp(insensitive ? source.slice(4) : source, insensitive ? 'i' : '');
    } catch (error) {
      return this.fail(
        node,
        subject,
        `${key} '${source}' is not a valid JavaScript regex (${(error as Error).message})`,
        'Fix the regex (JavaScript syntax; a leading (?i) makes it case-insensitive)',
      );
    }
  }

  glob(glob: string, node: YamlNode, subject: string | undefined, key: string): RegExp {
    try {
      return picomatch.makeRe(glob, { dot: true });
    } catch (error) {
      return this.fail(
        node,
        subject,
        `${key} glob '${glob}' is not valid (${(error as Error).message})`,
        'Fix the glob',
      );
    }
  }
}

/** Parses our YAML format. `file` names the file in messages (or `options.displayName`). */
export function parseImagepipeConfig(text: string, file: string, options: ConfigOptions = {}): SecretsConfig {
  const name = options.displayName ?? file;
  const y: YamlReader = new YamlReader(name);
  const root = y.parse(text.replace(/^\uFEFF/, ''));
  const top = y.entries(root, undefined, 'the configuration', TOP_KEYS);

  const rules: SecretRule[] = [];
  const ruleNodes = top.get('rules')?.value ?? null;
  if (ruleNodes !== null && !isSeq(ruleNodes))
    y.fail(
      ruleNodes,
      undefined,
      'rules must be a list',
      'Write each rule as a list item starting with - id: …',
    );
  for (const node of isSeq(ruleNodes) ? (ruleNodes.items as YamlNode[]) : []) {
    const rule = parseRule(y, node, name);
    if (rules.some((r) => r.id === rule.id))
      y.fail(node, `rule '${rule.id}'`, 'this id is defined twice', 'Give each rule its own id');
    rules.push(rule);
  }

  const known = new Set([...BUILTIN_IDS, ...rules.map((r) => r.id)]);
  const ruleId = (id: string, node: YamlNode, key: string) => {
    if (!known.has(id))
      y.fail(
        node,
        undefined,
        `${key} names rule '${id}', which is neither built in nor defined here`,
        didYouMean(id, known).trim() || 'Check the rule id',
      );
    return id;
  };
  const disabledRules = y
    .strings(top, 'disable', undefined)
    .map(({ value, node }) => ruleId(value, node, 'disable'));

  const entropy: Record<string, number> = {};
  const entropyNode = top.get('entropy')?.value ?? null;
  if (entropyNode !== null) {
    if (!isMap(entropyNode))
      y.fail(
        entropyNode,
        undefined,
        'entropy must be a map of rule id to a number',
        'Write entropy: { generic-secret: 4.2 }',
      );
    for (const pair of entropyNode.items) {
      const id = ruleId(String(isScalar(pair.key) ? pair.key.value : ''), pair.key as YamlNode, 'entropy');
      const value = isScalar(pair.value) ? pair.value.value : undefined;
      if (typeof value !== 'number' || value < 0)
        y.fail(
          pair.value as YamlNode,
          undefined,
          `entropy for '${id}' must be a number of 0 or more`,
          `Write ${id}: 3.5`,
        );
      entropy[id] = value;
    }
  }

  return {
    file: name,
    format: 'imagepipe',
    useDefault: y.boolean(top, 'use-default', undefined) ?? true,
    rules,
    disabledRules,
    allowlists: parseAllows(y, top.get('allow')?.value ?? null, undefined),
    entropy,
    skippedRules: [],
  };
}

function parseRule(y: YamlReader, node: YamlNode, file: string): SecretRule {
  const fields = y.entries(node, undefined, 'a rule', RULE_KEYS);
  const id = y.string(fields, 'id', undefined);
  if (id === undefined) return y.fail(node, undefined, 'a rule has no id', 'Give it one: - id: acme-api-key');
  if (!KEBAB.test(id))
    y.fail(
      fields.get('id')!.value,
      `rule '${id}'`,
      'the id is not kebab-case',
      'Use lowercase letters, digits and single hyphens, e.g. acme-api-key',
    );
  const subject = `rule '${id}'`;

  const severity = y.string(fields, 'severity', subject) ?? 'high';
  if (!(SEVERITIES as readonly string[]).includes(severity))
    y.fail(
      fields.get('severity')!.value,
      subject,
      `unknown severity '${severity}'`,
      `Use one of ${SEVERITIES.join(', ')}`,
    );

  const source = y.string(fields, 'regex', subject);
  const glob = y.string(fields, 'path', subject);
  if (source === '')
    y.fail(fields.get('regex')!.value, subject, 'regex is empty', 'Give the pattern of the secret');
  if (source === undefined && glob === undefined)
    y.fail(
      node,
      subject,
      'the rule has no regex',
      'Add regex: (or path: for a rule that reports files by name alone)',
    );
  const regex = source === undefined ? NEVER : y.regex(source, fields.get('regex')!.value!, subject, 'regex');

  const secretGroup = y.number(fields, 'secret-group', subject, true);
  if (secretGroup !== undefined && secretGroup > groupCount(regex))
    y.fail(
      fields.get('secret-group')!.value,
      subject,
      `secret-group ${secretGroup} is more than the ${groupCount(regex)} capture groups of the regex`,
      'Name an existing group (0 is the whole match)',
    );

  const rule: SecretRule = {
    id,
    title: y.string(fields, 'title', subject) ?? id,
    description: y.string(fields, 'description', subject) ?? `Defined in ${file}.`,
    severity: severity as Severity,
    keywords: y.strings(fields, 'keywords', subject).map(({ value }) => value.toLowerCase()),
    regex,
    origin: file,
  };
  if (secretGroup !== undefined) rule.secretGroup = secretGroup;
  const entropy = y.number(fields, 'entropy', subject);
  if (entropy !== undefined) rule.entropy = entropy;
  if (glob !== undefined) rule.path = y.glob(glob, fields.get('path')!.value!, subject, 'path');
  if (source === undefined) rule.pathOnly = true;
  const allowlists = parseAllows(y, fields.get('allow')?.value ?? null, subject);
  if (allowlists.length > 0) rule.allowlists = allowlists;
  return rule;
}

/** `allow:` — one map, or a list of maps — into allowlists. */
function parseAllows(y: YamlReader, node: YamlNode | null, subject: string | undefined): Allowlist[] {
  if (node === null) return [];
  const items = isSeq(node) ? (node.items as YamlNode[]) : [node];
  return items.flatMap((item) => parseAllow(y, item, subject));
}

function parseAllow(y: YamlReader, node: YamlNode, subject: string | undefined): Allowlist[] {
  const fields = y.entries(node, subject, 'allow', ALLOW_KEYS);
  const condition = (y.string(fields, 'condition', subject) ?? 'or').toUpperCase();
  if (condition !== 'OR' && condition !== 'AND')
    y.fail(
      fields.get('condition')!.value,
      subject,
      `unknown allow condition '${condition.toLowerCase()}'`,
      'Use or (any entry allows) or and (all given kinds must match)',
    );
  const regexes = (key: string) =>
    y.strings(fields, key, subject).map(({ value, node: n }) => y.regex(value, n, subject, `allow ${key}`));
  const commits = y.strings(fields, 'commits', subject).map(({ value, node: n }) => {
    if (!/^[0-9a-f]{4,40}$/i.test(value))
      y.fail(n, subject, `'${value}' is not a commit SHA`, 'Give 4 to 40 hex digits');
    return value.toLowerCase();
  });
  const description = y.string(fields, 'description', subject);
  const described = description === undefined ? {} : { description };
  const base = {
    ...described,
    condition: condition as 'OR' | 'AND',
    paths: y
      .strings(fields, 'paths', subject)
      .map(({ value, node: n }) => y.glob(value, n, subject, 'allow paths')),
    stopwords: y.strings(fields, 'stopwords', subject).map(({ value }) => value.toLowerCase()),
    commits,
  };
  const values = regexes('values');
  const lines = regexes('lines');
  if (base.paths.length + base.stopwords.length + commits.length + values.length + lines.length === 0)
    y.fail(node, subject, 'allow is empty', 'Give at least one of paths, values, lines, stopwords, commits');
  if (lines.length === 0) return [{ ...base, regexes: values, regexTarget: 'secret' }];
  if (condition === 'AND') {
    // One allowlist has one regex target: with `and`, values and lines cannot both apply.
    if (values.length > 0)
      y.fail(
        node,
        subject,
        'with condition: and, values and lines cannot be combined',
        'Split them into two allow entries',
      );
    return [{ ...base, regexes: lines, regexTarget: 'line' }];
  }
  // With `or` any entry allows: the lines go into an allowlist of their own.
  const lineList: Allowlist = {
    ...described,
    condition: 'OR',
    paths: [],
    regexes: lines,
    regexTarget: 'line',
    stopwords: [],
    commits: [],
  };
  const rest = base.paths.length + base.stopwords.length + commits.length + values.length > 0;
  return rest ? [{ ...base, regexes: values, regexTarget: 'secret' }, lineList] : [lineList];
}

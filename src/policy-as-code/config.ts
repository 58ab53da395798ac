/**
 * The policy configuration file (`.imagepipe/policy.yaml` by default) and custom rule files.
 *
 * ```yaml
 * severity-threshold: high          # the action input / CLI flag wins when given
 * allow-inline-suppressions: true
 * exclude: [test/fixtures/**]       # paths not scanned at all
 * rules:
 *   s3-versioning-off: off          # disabled
 *   sg-rule-no-description: medium  # another severity
 *   iam-wildcard-resource:
 *     severity: medium
 *     exclude: [legacy/**]          # still reported, as suppressed, for these paths
 *   guard:s3_bucket_logging_enabled_check: medium   # a rule from the Guard rule files
 * custom-rules:                     # inline rules, or files of rules (paths relative to this file)
 *   - rules/acme.yaml
 *   - { id: acme-volume-gp3, … }
 * guard-rules: [guard/]             # CloudFormation Guard rule files or folders
 * ```
 *
 * Every mistake is a UserError with the file, line, key and fix, raised before the scan.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import picomatch from 'picomatch';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node as YamlNode } from 'yaml';
import { configError, didYouMean } from '../core/config.js';
import {
  customRule,
  OPERATORS,
  parsePath,
  type CustomRuleSpec,
  type Operator,
  type Requirement,
} from './custom.js';
import { FORMATS, SEVERITIES, type Format, type Rule, type Severity } from './types.js';

export interface RuleSetting {
  enabled?: boolean;
  severity?: Severity;
  exclude?: string[];
}

export interface PolicyConfig {
  file?: string;
  severityThreshold?: Severity;
  allowInlineSuppressions?: boolean;
  exclude: string[];
  rules: Map<string, RuleSetting & { line?: number }>;
  customRules: Rule[];
  guardRules: string[];
}

export function emptyConfig(): PolicyConfig {
  return { exclude: [], rules: new Map(), customRules: [], guardRules: [] };
}

const TOP_KEYS = [
  'severity-threshold',
  'allow-inline-suppressions',
  'exclude',
  'rules',
  'custom-rules',
  'guard-rules',
];
const RULE_KEYS = ['enabled', 'severity', 'exclude'];
const CUSTOM_KEYS = [
  'id',
  'title',
  'severity',
  'description',
  'fix',
  'format',
  'resource',
  'path',
  'require',
  'message',
];

class Reader {
  readonly counter = new LineCounter();
  constructor(readonly name: string) {}

  line(node: YamlNode | null | undefined): number | undefined {
    const r = (node as { range?: [number, number, number] } | null | undefined)?.range;
    return r ? this.counter.linePos(r[0]).line : undefined;
  }

  fail(node: YamlNode | null | undefined, subject: string | undefined, problem: string, fix: string): never {
    throw configError(this.name, this.line(node), subject, problem, fix);
  }

  string(node: unknown, subject: string): string {
    if (isScalar(node) && (typeof node.value === 'string' || typeof node.value === 'number'))
      return String(node.value);
    return this.fail(node as YamlNode, subject, 'must be a string', 'Write it as text');
  }

  strings(node: unknown, subject: string): string[] {
    if (isScalar(node)) return [this.string(node, subject)];
    if (isSeq(node)) return node.items.map((i) => this.string(i, subject));
    return this.fail(node as YamlNode, subject, 'must be a list of strings', 'Write it as a YAML list');
  }

  boolean(node: unknown, subject: string): boolean {
    if (isScalar(node) && typeof node.value === 'boolean') return node.value;
    return this.fail(node as YamlNode, subject, 'must be true or false', 'Write true or false');
  }

  severity(node: unknown, subject: string): Severity {
    const s = this.string(node, subject).toLowerCase();
    if ((SEVERITIES as readonly string[]).includes(s)) return s as Severity;
    return this.fail(
      node as YamlNode,
      subject,
      `unknown severity '${s}'`,
      `Use one of ${SEVERITIES.join(', ')}`,
    );
  }

  keys(node: unknown, allowed: readonly string[], subject: string | undefined): void {
    if (!isMap(node)) return;
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : '';
      if (!allowed.includes(key)) {
        this.fail(
          pair.key as YamlNode,
          subject,
          `unknown key '${key}'`,
          `Use ${allowed.join(', ')}.${didYouMean(key, allowed)}`,
        );
      }
    }
  }
}

function parseYamlFile(text: string, reader: Reader): YamlNode | null {
  const doc = parseDocument(text, { lineCounter: reader.counter, prettyErrors: false, uniqueKeys: true });
  const error = doc.errors[0];
  if (error) {
    const line = reader.counter.linePos(error.pos[0]).line;
    throw configError(
      reader.name,
      line,
      undefined,
      `is not valid YAML (${error.message.split('\n')[0]})`,
      'Fix the syntax',
    );
  }
  return doc.contents as YamlNode | null;
}

function readText(file: string, name: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
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
}

/** The format a resource type belongs to, when its spelling says so. */
function formatOfType(type: string): Format | undefined {
  if (/^(AWS|Custom|Alexa)::/.test(type)) return 'cloudformation';
  if (/^[a-z][a-z0-9]*_[a-z0-9_]+$/.test(type)) return 'terraform';
  return undefined;
}

function readRequirement(reader: Reader, node: unknown, subject: string): Requirement[] {
  if (!isMap(node)) {
    return reader.fail(
      node as YamlNode,
      subject,
      'require must be a mapping of operators',
      `Write e.g. require: { equals: true }; operators: ${OPERATORS.join(', ')}`,
    );
  }
  const out: Requirement[] = [];
  for (const pair of node.items) {
    const op = isScalar(pair.key) ? String(pair.key.value) : '';
    if (!(OPERATORS as readonly string[]).includes(op)) {
      reader.fail(
        pair.key as YamlNode,
        subject,
        `unknown operator '${op}'`,
        `Use ${OPERATORS.join(', ')}.${didYouMean(op, OPERATORS)}`,
      );
    }
    const v = pair.value as YamlNode | null;
    let value: unknown;
    switch (op as Operator) {
      case 'exists':
      case 'absent':
        if (!(isScalar(v) && v.value === true))
          reader.fail(v, `${subject}.${op}`, 'takes true', `Write ${op}: true`);
        break;
      case 'one-of':
      case 'not-one-of':
        if (!isSeq(v)) reader.fail(v, `${subject}.${op}`, 'takes a list', `Write ${op}: [a, b]`);
        value = v.items.map((i) => (isScalar(i) ? i.value : undefined));
        break;
      case 'matches':
      case 'not-matches': {
        const source = reader.string(v, `${subject}.${op}`);
        try {
          value = new RegExp(source);
        } catch (error) {
          reader.fail(
            v,
            `${subject}.${op}`,
            `is not a valid regular expression (${(error as Error).message})`,
            'Fix the pattern (JavaScript syntax)',
          );
        }
        break;
      }
      case 'greater-or-equal':
      case 'less-or-equal':
        if (!(isScalar(v) && typeof v.value === 'number'))
          reader.fail(v, `${subject}.${op}`, 'takes a number', `Write ${op}: 30`);
        value = v.value;
        break;
      default:
        if (!isScalar(v)) reader.fail(v, `${subject}.${op}`, 'takes a single value', `Write ${op}: value`);
        value = v.value;
    }
    out.push({ op: op as Operator, value });
  }
  if (out.length === 0)
    reader.fail(node as YamlNode, subject, 'require is empty', 'Give at least one operator');
  return out;
}

function readCustomRule(reader: Reader, node: unknown, taken: Set<string>): Rule {
  if (!isMap(node))
    return reader.fail(
      node as YamlNode,
      'custom rule',
      'must be a mapping',
      'Give id, title, severity, resource, path and require',
    );
  const get = (key: string) => node.get(key, true) as YamlNode | undefined;
  const id = get('id')
    ? reader.string(get('id'), 'custom rule id')
    : reader.fail(node, 'custom rule', 'has no id', 'Give it an id such as acme-volume-gp3');
  const subject = `custom rule ${id}`;
  reader.keys(node, CUSTOM_KEYS, subject);
  if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(id))
    reader.fail(get('id'), subject, 'id must be lower-case kebab-case', 'Rename it, e.g. acme-volume-gp3');
  if (taken.has(id))
    reader.fail(
      get('id'),
      subject,
      'id is already taken (a built-in rule or another custom rule)',
      'Choose another id; to change a built-in rule use the rules: section',
    );
  for (const key of ['title', 'severity', 'resource', 'path', 'require']) {
    if (!get(key)) reader.fail(node, subject, `has no ${key}`, `Add ${key}:`);
  }
  const resources = reader.strings(get('resource'), `${subject}.resource`);
  let format: Format | undefined;
  if (get('format')) {
    const f = reader.string(get('format'), `${subject}.format`);
    if (!(FORMATS as readonly string[]).includes(f))
      reader.fail(
        get('format'),
        `${subject}.format`,
        `unknown format '${f}'`,
        `Use one of ${FORMATS.join(', ')}.${didYouMean(f, FORMATS)}`,
      );
    format = f as Format;
  } else {
    const formats = new Set(resources.map(formatOfType));
    if (formats.size !== 1 || formats.has(undefined)) {
      reader.fail(
        get('resource'),
        subject,
        'the format cannot be told from the resource types',
        `Add format: (${FORMATS.join(', ')}); rules for several formats are separate rules`,
      );
    }
    format = [...formats][0];
  }
  const pathText = reader.string(get('path'), `${subject}.path`);
  const steps = parsePath(pathText);
  if (!steps)
    reader.fail(
      get('path'),
      `${subject}.path`,
      `cannot read the path '${pathText}'`,
      'Write keys separated by dots, [*] for every item of a list, e.g. BlockDeviceMappings[*].Ebs.Encrypted',
    );
  const spec: CustomRuleSpec = {
    id,
    title: reader.string(get('title'), `${subject}.title`),
    severity: reader.severity(get('severity'), `${subject}.severity`),
    format: format!,
    resources,
    path: steps,
    pathText,
    require: readRequirement(reader, get('require'), `${subject}.require`),
    ...(get('description')
      ? { description: reader.string(get('description'), `${subject}.description`) }
      : {}),
    ...(get('fix') ? { fix: reader.string(get('fix'), `${subject}.fix`) } : {}),
    ...(get('message') ? { message: reader.string(get('message'), `${subject}.message`) } : {}),
  };
  taken.add(id);
  return customRule(spec);
}

/** A file of custom rules: a YAML list of rules, or a mapping with `rules:` holding the list. */
export function loadCustomRules(file: string, taken: Set<string>, displayName = file): Rule[] {
  const reader: Reader = new Reader(displayName);
  const root = parseYamlFile(readText(file, displayName), reader);
  const list = isMap(root) ? root.get('rules', true) : root;
  if (!isSeq(list))
    return reader.fail(
      root,
      undefined,
      'holds no list of rules',
      'Write a YAML list of rules, or rules: followed by the list',
    );
  return list.items.map((item) => readCustomRule(reader, item, taken));
}

export interface ConfigLoadOptions {
  /** Ids already in use (the built-in rules). */
  builtinIds: ReadonlySet<string>;
  displayName?: string;
  /** Where relative paths in the file are resolved from and shown relative to. */
  workspace?: string;
}

export function loadPolicyConfig(file: string, options: ConfigLoadOptions): PolicyConfig {
  const name = options.displayName ?? file;
  const reader: Reader = new Reader(name);
  const root = parseYamlFile(readText(file, name), reader);
  const config: PolicyConfig = { ...emptyConfig(), file: name };
  if (root === null) return config;
  if (!isMap(root))
    return reader.fail(root, undefined, 'must be a mapping', `Use the keys ${TOP_KEYS.join(', ')}`);
  reader.keys(root, TOP_KEYS, undefined);
  const dir = path.dirname(path.resolve(file));
  const get = (key: string) => root.get(key, true) as YamlNode | undefined;

  if (get('severity-threshold'))
    config.severityThreshold = reader.severity(get('severity-threshold'), 'severity-threshold');
  if (get('allow-inline-suppressions')) {
    config.allowInlineSuppressions = reader.boolean(
      get('allow-inline-suppressions'),
      'allow-inline-suppressions',
    );
  }
  if (get('exclude')) {
    config.exclude = reader.strings(get('exclude'), 'exclude');
    for (const glob of config.exclude)
      if (glob.startsWith('!'))
        reader.fail(get('exclude'), 'exclude', `'${glob}' re-includes paths`, 'List only what to skip');
  }
  const rules = get('rules');
  const known = new Set(options.builtinIds);
  if (rules) {
    if (!isMap(rules))
      reader.fail(rules, 'rules', 'must be a mapping of rule ids', 'Write rules: { rule-id: off }');
    for (const pair of rules.items) {
      const id = isScalar(pair.key) ? String(pair.key.value) : '';
      const line = reader.line(pair.key as YamlNode);
      // Guard rule ids (`guard:<name>`) are checked once the Guard rule files are read.
      if (!known.has(id) && !/^guard:[\w./-]+$/.test(id)) {
        reader.fail(
          pair.key as YamlNode,
          'rules',
          `unknown rule '${id}'`,
          `Name a built-in rule (imagepipe policy-as-code --list-rules shows them).${didYouMean(id, known)}`,
        );
      }
      const v = pair.value as YamlNode | null;
      const setting: RuleSetting & { line?: number } = { ...(line !== undefined ? { line } : {}) };
      if (isScalar(v) && (v.value === 'off' || v.value === false)) setting.enabled = false;
      else if (isScalar(v) && (v.value === 'on' || v.value === true)) setting.enabled = true;
      else if (isScalar(v)) setting.severity = reader.severity(v, `rules.${id}`);
      else if (isMap(v)) {
        reader.keys(v, RULE_KEYS, `rules.${id}`);
        if (v.get('enabled', true))
          setting.enabled = reader.boolean(v.get('enabled', true), `rules.${id}.enabled`);
        if (v.get('severity', true))
          setting.severity = reader.severity(v.get('severity', true), `rules.${id}.severity`);
        if (v.get('exclude', true)) {
          setting.exclude = reader.strings(v.get('exclude', true), `rules.${id}.exclude`);
          for (const glob of setting.exclude) picomatch(glob);
        }
      } else
        reader.fail(
          v,
          `rules.${id}`,
          'must be off, on, a severity, or a mapping',
          'Write e.g. off, medium, or { severity: low, exclude: [legacy/**] }',
        );
      config.rules.set(id, setting);
    }
  }
  const custom = get('custom-rules');
  if (custom) {
    if (!isSeq(custom)) reader.fail(custom, 'custom-rules', 'must be a list', 'List rule files or rules');
    const taken = new Set(options.builtinIds);
    for (const item of custom.items) {
      if (isScalar(item)) {
        const rel = reader.string(item, 'custom-rules');
        const abs = path.resolve(dir, rel);
        const shown = options.workspace ? path.relative(options.workspace, abs) : abs;
        config.customRules.push(...loadCustomRules(abs, taken, shown));
      } else config.customRules.push(readCustomRule(reader, item, taken));
    }
  }
  if (get('guard-rules')) {
    config.guardRules = reader.strings(get('guard-rules'), 'guard-rules').map((p) => path.resolve(dir, p));
    for (const [i, p] of config.guardRules.entries()) {
      if (!fs.existsSync(p))
        reader.fail(
          get('guard-rules'),
          'guard-rules',
          `${reader.strings(get('guard-rules'), 'guard-rules')[i]} does not exist`,
          'Give a Guard rules file or folder, relative to this file',
        );
    }
  }
  return config;
}

/**
 * The active rules: built-in and custom, minus the disabled, with severities changed. Rules that
 * are off by default could be enabled here later; every built-in rule is on today.
 */
export function activeRules(builtin: readonly Rule[], config: PolicyConfig): Rule[] {
  const out: Rule[] = [];
  for (const rule of [...builtin, ...config.customRules]) {
    const setting = config.rules.get(rule.id);
    if (setting?.enabled === false) continue;
    out.push(setting?.severity ? { ...rule, severity: setting.severity } : rule);
  }
  return out;
}

/**
 * gitleaks (v8) configuration files read into the secrets model, with gitleaks' meaning:
 *
 * - Keys are case-insensitive (gitleaks reads them with viper); unknown keys are errors here.
 * - Without `[extend]` the file replaces the default rules; `[extend] useDefault = true` keeps
 *   ours on, and a rule with the id of one of them changes it field by field, as gitleaks merges
 *   onto its defaults (regex, path, description, entropy, secretGroup replace; keywords and
 *   allowlists add). `disabledRules` turns off rules of what is extended; `[extend] path` extends
 *   another file, read relative to this one (gitleaks reads it relative to its working directory:
 *   the same place for a config at the root of the repository), two levels deep as gitleaks.
 * - Regexes are Go RE2, translated by re2.ts. A rule whose regex JavaScript cannot express is
 *   reported in `skippedRules`; a regex RE2 itself rejects is an error, as in gitleaks.
 * - The secret is the `secretGroup` capture, or else the first capture group that matched text
 *   (see translateRe2Rule). gitleaks drops a secret whose entropy is at or below `entropy`: the
 *   model's minimum is the next number above it. A rule with `path` and no `regex` reports files
 *   by path alone. `[[allowlists]]` with `targetRules` are attached to the rules they name.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse as parseToml, TomlDate, TomlError } from 'smol-toml';
import { BUILTIN_IDS, configError, didYouMean, NEVER, type ConfigOptions } from './config.js';
import { groupCount } from './engine.js';
import { Re2SyntaxError, Re2TranslationError, translateRe2, translateRe2Rule } from './re2.js';
import { BUILTIN_RULES } from './rules.js';
import type { Allowlist, SecretRule, SecretsConfig } from './types.js';

type Table = Record<string, unknown>;

const TOP = ['title', 'description', 'extend', 'rules', 'allowlist', 'allowlists'];
const EXTEND = ['useDefault', 'path', 'url', 'disabledRules'];
const RULE = [
  ...['id', 'description', 'regex', 'secretGroup', 'entropy', 'keywords', 'path', 'tags'],
  ...['allowlist', 'allowlists', 'required', 'skipReport'],
];
const ALLOW = ['description', 'condition', 'commits', 'paths', 'regexTarget', 'regexes', 'stopwords'];
const GLOBAL_ALLOW = [...ALLOW, 'targetRules'];
/** gitleaks' maxExtendDepth: the file, what it extends, and what that extends. */
const MAX_DEPTH = 2;

/** A rule as files define it, only what they set, so extending can merge field by field. */
interface FileRule {
  id: string;
  description?: string;
  regex?: { source: string; line?: number; file: string };
  secretGroup?: number;
  entropy?: number;
  path?: RegExp;
  keywords: string[];
  allowlists: Allowlist[];
  line?: number;
  file: string;
}

interface Targeted {
  ids: string[];
  allowlist: Allowlist;
  line?: number;
  file: string;
}

/** One file with what it extends merged in. */
interface Level {
  rules: FileRule[];
  allowlists: Allowlist[];
  targeted: Targeted[];
  useDefault: boolean;
  /** Ids of rules of extended configs (and of the built-in rules) that do not run. */
  disabled: Set<string>;
  skipped: { id: string; reason: string }[];
}

/** Parses a gitleaks config. `file` is its path (extended files are found beside it). */
export function parseGitleaksConfig(text: string, file: string, options: ConfigOptions = {}): SecretsConfig {
  const name = options.displayName ?? file;
  const level = readLevel(text, file, name, 0);
  for (const t of level.targeted) attachTargeted(level, t);
  const rules: SecretRule[] = [];
  for (const r of level.rules) {
    const rule = toSecretRule(r, level.useDefault);
    if ('reason' in rule) level.skipped.push(rule);
    else rules.push(rule);
  }
  const defined = new Set(rules.map((r) => r.id));
  return {
    file: name,
    format: 'gitleaks',
    useDefault: level.useDefault,
    rules,
    disabledRules: [...level.disabled].filter((id) => !defined.has(id)),
    allowlists: level.allowlists,
    entropy: {},
    skippedRules: level.skipped,
  };
}

// ---------------------------------------------------------------------------------------------
// Reading one file.

class Reader {
  readonly at: TomlLines;

  constructor(
    readonly name: string,
    text: string,
  ) {
    this.at = new TomlLines(text);
  }

  fail(
    table: string,
    key: string | undefined,
    subject: string | undefined,
    problem: string,
    fix: string,
  ): never {
    throw configError(this.name, this.at.line(table, key), subject, problem, fix);
  }

  /** The keys of a table, lower-cased as gitleaks reads them; unknown keys are errors. */
  fields(
    value: unknown,
    table: string,
    subject: string | undefined,
    what: string,
    allowed: string[],
  ): Map<string, unknown> {
    if (!isTable(value))
      this.fail(table, undefined, subject, `${what} must be a table`, `Write it as ${what} with keys`);
    const out = new Map<string, unknown>();
    for (const [key, v] of Object.entries(value)) {
      const canonical = allowed.find((k) => k.toLowerCase() === key.toLowerCase());
      if (!canonical)
        this.fail(
          table,
          key,
          subject,
          `unknown key '${key}' in ${what}`,
          `${didYouMean(key, allowed).trim() || 'Remove it.'} Allowed keys: ${allowed.join(', ')}`,
        );
      if (out.has(canonical)) this.fail(table, key, subject, `'${canonical}' is given twice`, 'Keep one');
      out.set(canonical, v);
    }
    return out;
  }

  string(f: Map<string, unknown>, key: string, table: string, subject?: string): string | undefined {
    const v = f.get(key);
    if (v !== undefined && typeof v !== 'string')
      this.fail(table, key, subject, `${key} must be a string`, `Write ${key} = '''…'''`);
    return v;
  }

  number(
    f: Map<string, unknown>,
    key: string,
    table: string,
    subject: string,
    integer: boolean,
  ): number | undefined {
    const v = f.get(key);
    if (v === undefined) return undefined;
    if (typeof v !== 'number' || v < 0 || !Number.isFinite(v) || (integer && !Number.isInteger(v)))
      this.fail(
        table,
        key,
        subject,
        `${key} must be a ${integer ? 'whole number' : 'number'} of 0 or more`,
        `Write ${key} = ${integer ? 1 : 3.5}`,
      );
    return v;
  }

  boolean(f: Map<string, unknown>, key: string, table: string): boolean | undefined {
    const v = f.get(key);
    if (v !== undefined && typeof v !== 'boolean')
      this.fail(table, key, undefined, `${key} must be true or false`, `Write ${key} = true`);
    return v;
  }

  strings(f: Map<string, unknown>, key: string, table: string, subject?: string): string[] {
    const v = f.get(key);
    if (v === undefined) return [];
    if (!Array.isArray(v) || !v.every((s): s is string => typeof s === 'string'))
      this.fail(table, key, subject, `${key} must be a list of strings`, `Write ${key} = ["…"]`);
    return v;
  }

  /** An array of tables; `table` is where it sits (`rules`, `rules.0.allowlists`). */
  tables(value: unknown, table: string, what: string): Table[] {
    if (value === undefined) return [];
    if (!Array.isArray(value) || !value.every(isTable))
      this.fail(
        table,
        undefined,
        undefined,
        `${what} must be an array of tables`,
        `Write each entry under its own ${what} header`,
      );
    return value;
  }

  /** An RE2 regex: invalid RE2 is an error; what JavaScript cannot express is thrown on as is. */
  re2(source: string, table: string, key: string, subject: string | undefined): RegExp {
    try {
      const { source: js, flags } = translateRe2(source);
      return new RegExp(js, flags);
    } catch (error) {
      if (error instanceof Re2SyntaxError) throw this.syntaxError(error, table, key, subject);
      throw error;
    }
  }

  syntaxError(error: Re2SyntaxError, table: string, key: string, subject: string | undefined): Error {
    return configError(
      this.name,
      this.at.line(table, key),
      subject,
      `${key} '''${error.pattern}''' is not valid RE2: ${error.reason}`,
      "Fix it: gitleaks compiles it with Go's regexp package",
    );
  }
}

function isTable(value: unknown): value is Table {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof TomlDate);
}

function readLevel(text: string, file: string, name: string, depth: number): Level {
  const r = new Reader(name, text);
  let doc: Table;
  try {
    doc = parseToml(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    if (!(error instanceof TomlError)) throw error;
    const problem = `invalid TOML: ${error.message.replace(/^Invalid TOML document: /, '').split('\n')[0]}`;
    throw configError(name, error.line, undefined, problem, 'Fix the TOML syntax');
  }
  const top = r.fields(doc, '', undefined, 'the configuration', TOP);

  const ext = top.has('extend')
    ? r.fields(top.get('extend'), 'extend', undefined, '[extend]', EXTEND)
    : new Map<string, unknown>();
  const useDefault = r.boolean(ext, 'useDefault', 'extend') ?? false;
  const extendPath = r.string(ext, 'path', 'extend');
  const disabled = r.strings(ext, 'disabledRules', 'extend');
  if (ext.has('url'))
    r.fail(
      'extend',
      'url',
      undefined,
      'extend.url is not supported (gitleaks ignores it too)',
      'Download the file and name it in extend.path',
    );
  if (extendPath && useDefault)
    r.fail(
      'extend',
      'path',
      undefined,
      'extend.path and extend.useDefault are both set',
      'Keep one: gitleaks refuses both',
    );
  if (depth >= MAX_DEPTH && (extendPath || useDefault))
    r.fail(
      'extend',
      undefined,
      undefined,
      'this file is extended two levels deep and extends again',
      'gitleaks ignores [extend] this deep: merge the files',
    );

  const level: Level = {
    rules: [],
    allowlists: [],
    targeted: [],
    useDefault,
    disabled: new Set(disabled),
    skipped: [],
  };
  const ids = new Map<string, number>();
  r.tables(top.get('rules'), 'rules', '[[rules]]').forEach((table, index) => {
    const rule = readRule(r, table, index, name);
    if (ids.has(rule.id))
      r.fail(
        `rules.${index}`,
        'id',
        `rule '${rule.id}'`,
        `this id is defined twice (also rule #${ids.get(rule.id)! + 1})`,
        'Give each rule its own id',
      );
    ids.set(rule.id, index);
    if ('reason' in rule) level.skipped.push({ id: rule.id, reason: rule.reason });
    else level.rules.push(rule);
  });

  const hasOld = top.has('allowlist');
  if (hasOld && top.has('allowlists'))
    r.fail(
      'allowlist',
      undefined,
      undefined,
      '[allowlist] and [[allowlists]] are both given',
      'Move [allowlist] into [[allowlists]] (gitleaks refuses both)',
    );
  const globals = hasOld
    ? [top.get('allowlist')]
    : r.tables(top.get('allowlists'), 'allowlists', '[[allowlists]]');
  globals.forEach((table, index) => {
    const where = hasOld ? 'allowlist' : `allowlists.${index}`;
    let read: { allowlist: Allowlist; targetRules: string[] };
    try {
      read = readAllowlist(r, table, where, undefined, true);
    } catch (error) {
      if (!(error instanceof Re2TranslationError)) throw error;
      return r.fail(
        where,
        undefined,
        undefined,
        `a regex of this allowlist cannot run here: ${error.reason}`,
        'Rewrite it',
      );
    }
    if (read.targetRules.length > 0)
      level.targeted.push({
        ids: read.targetRules,
        allowlist: read.allowlist,
        line: r.at.line(where, 'targetRules'),
        file: name,
      });
    else level.allowlists.push(read.allowlist);
  });

  if (!extendPath) return level;
  const baseFile = path.resolve(path.dirname(file), extendPath);
  const baseName = path.join(path.dirname(name), extendPath);
  let baseText: string;
  try {
    baseText = fs.readFileSync(baseFile, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    return r.fail(
      'extend',
      'path',
      undefined,
      `the extended file ${baseName} cannot be read (${code})`,
      'Give its path relative to this file',
    );
  }
  return extendLevel(level, readLevel(baseText, baseFile, baseName, depth + 1));
}

/** gitleaks' Config.extend: the file's rules over the base's, field by field. */
function extendLevel(own: Level, base: Level): Level {
  const ownIds = new Set(own.rules.map((r) => r.id));
  const baseById = new Map(base.rules.map((r) => [r.id, r]));
  const rules = own.rules.map((r) => {
    const b = baseById.get(r.id);
    return b && !own.disabled.has(r.id) ? mergeRule(b, r) : r;
  });
  for (const b of base.rules) if (!ownIds.has(b.id) && !own.disabled.has(b.id)) rules.push(b);
  return {
    rules,
    allowlists: [...own.allowlists, ...base.allowlists],
    targeted: [...own.targeted, ...base.targeted],
    useDefault: base.useDefault,
    disabled: new Set([...own.disabled, ...base.disabled]),
    skipped: [...own.skipped, ...base.skipped],
  };
}

function mergeRule(base: FileRule, over: FileRule): FileRule {
  return {
    ...base,
    ...(over.description && { description: over.description }),
    ...(over.regex && { regex: over.regex }),
    ...(over.secretGroup && { secretGroup: over.secretGroup }),
    ...(over.entropy && { entropy: over.entropy }),
    ...(over.path && { path: over.path }),
    keywords: [...base.keywords, ...over.keywords],
    allowlists: [...base.allowlists, ...over.allowlists],
    line: over.line,
    file: over.file,
  };
}

function readRule(
  r: Reader,
  table: Table,
  index: number,
  file: string,
): FileRule | { id: string; reason: string } {
  const where = `rules.${index}`;
  const rawId = Object.entries(table).find(([key]) => key.toLowerCase() === 'id')?.[1];
  const named = typeof rawId === 'string' && rawId.trim() ? `rule '${rawId.trim()}'` : `rule #${index + 1}`;
  const f = r.fields(table, where, named, '[[rules]]', RULE);
  const id = r.string(f, 'id', where, named)?.trim();
  if (!id) return r.fail(where, 'id', named, 'the rule has no id', 'Give it one: id = "acme-api-key"');
  const subject = `rule '${id}'`;
  const rule: FileRule = { id, keywords: [], allowlists: [], line: r.at.line(where, 'id'), file };
  const description = r.string(f, 'description', where, subject);
  if (description) rule.description = description;
  const secretGroup = r.number(f, 'secretGroup', where, subject, true);
  if (secretGroup) rule.secretGroup = secretGroup;
  const entropy = r.number(f, 'entropy', where, subject, false);
  if (entropy) rule.entropy = entropy;
  rule.keywords = r.strings(f, 'keywords', where, subject).map((k) => k.toLowerCase());
  r.strings(f, 'tags', where, subject);
  const skipReport = r.boolean(f, 'skipReport', where);
  const source = r.string(f, 'regex', where, subject);
  const pathSource = r.string(f, 'path', where, subject);
  if (f.has('allowlist') && f.has('allowlists'))
    r.fail(
      `${where}.allowlist`,
      undefined,
      subject,
      '[rules.allowlist] and [[rules.allowlists]] are both given',
      'Move [rules.allowlist] into [[rules.allowlists]] (gitleaks refuses both)',
    );
  const allowTables = f.has('allowlist')
    ? [f.get('allowlist')]
    : r.tables(f.get('allowlists'), `${where}.allowlists`, '[[rules.allowlists]]');
  let field = 'regex';
  try {
    if (source) {
      r.re2(source, where, 'regex', subject);
      rule.regex = { source, line: r.at.line(where, 'regex'), file };
    }
    field = 'path';
    if (pathSource) rule.path = r.re2(pathSource, where, 'path', subject);
    field = 'allowlist regex';
    allowTables.forEach((t, k) => {
      const at = f.has('allowlist') ? `${where}.allowlist` : `${where}.allowlists.${k}`;
      rule.allowlists.push(readAllowlist(r, t, at, subject, false).allowlist);
    });
  } catch (error) {
    if (error instanceof Re2TranslationError)
      return { id, reason: `its ${field} '''${error.pattern}''' cannot run here: ${error.reason}` };
    throw error;
  }
  if (f.has('required'))
    return { id, reason: 'it is a composite rule ([[rules.required]]), which imagepipe does not support' };
  if (skipReport)
    return { id, reason: 'skipReport = true: gitleaks reports it only inside a composite rule' };
  return rule;
}

function readAllowlist(
  r: Reader,
  value: unknown,
  where: string,
  subject: string | undefined,
  global: boolean,
): { allowlist: Allowlist; targetRules: string[] } {
  const f = r.fields(
    value,
    where,
    subject,
    global ? '[[allowlists]]' : '[[rules.allowlists]]',
    global ? GLOBAL_ALLOW : ALLOW,
  );
  const given = r.string(f, 'condition', where, subject) ?? '';
  const condition = given.toUpperCase();
  const conditions: Record<string, 'OR' | 'AND'> = {
    '': 'OR',
    OR: 'OR',
    '||': 'OR',
    AND: 'AND',
    '&&': 'AND',
  };
  if (!Object.hasOwn(conditions, condition))
    r.fail(where, 'condition', subject, `unknown allowlist condition '${given}'`, "Use 'and' or 'or'");
  const target = r.string(f, 'regexTarget', where, subject) ?? 'secret';
  if (!['secret', 'match', 'line', ''].includes(target))
    r.fail(
      where,
      'regexTarget',
      subject,
      `unknown regexTarget '${target}'`,
      "Use 'secret', 'match' or 'line'",
    );
  const description = r.string(f, 'description', where, subject);
  const allowlist: Allowlist = {
    ...(description ? { description } : {}),
    condition: conditions[condition]!,
    paths: r.strings(f, 'paths', where, subject).map((p) => r.re2(p, where, 'paths', subject)),
    regexes: r.strings(f, 'regexes', where, subject).map((p) => r.re2(p, where, 'regexes', subject)),
    regexTarget: (target || 'secret') as Allowlist['regexTarget'],
    stopwords: r.strings(f, 'stopwords', where, subject).map((s) => s.toLowerCase()),
    commits: r.strings(f, 'commits', where, subject).map((c) => c.trim().toLowerCase()),
  };
  if (
    allowlist.paths.length +
      allowlist.regexes.length +
      allowlist.stopwords.length +
      allowlist.commits.length ===
    0
  )
    r.fail(
      where,
      undefined,
      subject,
      'the allowlist is empty',
      'Give at least one of commits, paths, regexes or stopwords',
    );
  return { allowlist, targetRules: r.strings(f, 'targetRules', where, subject) };
}

// ---------------------------------------------------------------------------------------------
// Into the model.

function attachTargeted(level: Level, t: Targeted): void {
  for (const id of t.ids) {
    const rule = level.rules.find((r) => r.id === id);
    if (rule) rule.allowlists.push(t.allowlist);
    else if (level.useDefault && BUILTIN_IDS.has(id))
      level.rules.push({ id, keywords: [], allowlists: [t.allowlist], line: t.line, file: t.file });
    else if (level.skipped.some((s) => s.id === id)) continue;
    else if (level.useDefault)
      level.skipped.push({ id, reason: `an [[allowlists]] entry targets it, but ${notBuiltIn(id)}` });
    else
      throw configError(
        t.file,
        t.line,
        undefined,
        `targetRules names rule '${id}', which no rule has`,
        didYouMean(
          id,
          level.rules.map((r) => r.id),
        ).trim() || 'Remove it',
      );
  }
}

function notBuiltIn(id: string): string {
  return `'${id}' is not one of imagepipe's built-in rules (gitleaks' default rules have other ids here)${didYouMean(id, BUILTIN_IDS)}`;
}

/** The next number above `x`: gitleaks keeps a secret only when its entropy is above the limit. */
function above(x: number): number {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  view.setBigUint64(0, view.getBigUint64(0) + 1n);
  return view.getFloat64(0);
}

function toSecretRule(r: FileRule, useDefault: boolean): SecretRule | { id: string; reason: string } {
  const builtin = useDefault ? BUILTIN_RULES.find((b) => b.id === r.id) : undefined;
  const rule: SecretRule = builtin
    ? { ...builtin, keywords: [...builtin.keywords], allowlists: [...(builtin.allowlists ?? [])] }
    : {
        id: r.id,
        title: r.id,
        description: `Defined in ${r.file}.`,
        severity: 'high',
        keywords: [],
        regex: NEVER,
      };
  rule.origin = r.file;
  if (r.description) rule.description = r.description;
  rule.keywords = [...new Set([...rule.keywords, ...r.keywords])];
  rule.allowlists = [...(rule.allowlists ?? []), ...r.allowlists];
  if (rule.allowlists.length === 0) delete rule.allowlists;
  if (r.entropy) rule.entropy = above(r.entropy);
  if (r.path) rule.path = r.path;
  const subject = `rule '${r.id}'`;
  if (r.regex) {
    try {
      const t = translateRe2Rule(r.regex.source, r.secretGroup ?? 0);
      if (r.secretGroup && r.secretGroup > t.groups)
        throw configError(
          r.regex.file,
          r.regex.line,
          subject,
          `secretGroup ${r.secretGroup} is more than the ${t.groups} capture groups of the regex`,
          'Name an existing group',
        );
      rule.regex = new RegExp(t.source, t.flags);
      rule.secretGroup = t.secretGroup;
    } catch (error) {
      if (error instanceof Re2TranslationError)
        return { id: r.id, reason: `its regex cannot run here: ${error.reason}` };
      throw error;
    }
    // A built-in rule's structural check and public prefix belong to its own regex.
    delete rule.validate;
    delete rule.publicPrefix;
  } else if (builtin) {
    if (r.secretGroup && r.secretGroup > groupCount(builtin.regex))
      throw configError(
        r.file,
        r.line,
        subject,
        `secretGroup ${r.secretGroup} is more than the capture groups of the built-in rule`,
        'Remove it or give a regex',
      );
    if (r.secretGroup) rule.secretGroup = r.secretGroup;
  } else if (r.path) {
    rule.pathOnly = true;
  } else if (useDefault) {
    return { id: r.id, reason: `it only adjusts a default rule, and ${notBuiltIn(r.id)}` };
  } else {
    throw configError(
      r.file,
      r.line,
      subject,
      'the rule has neither regex nor path, so it would find nothing',
      'Give a regex (or a path)',
    );
  }
  return rule;
}

// ---------------------------------------------------------------------------------------------

/**
 * Lines of tables and keys, for messages: `rules.3` is the line of the fourth [[rules]],
 * `rules.3/regex` that of its regex, `rules.3.allowlists.0/paths` and so on. Best effort.
 */
class TomlLines {
  private readonly at = new Map<string, number>();

  constructor(text: string) {
    const latest = new Map<string, string>();
    const counts = new Map<string, number>();
    let current = '';
    let open: string | undefined;
    text.split(/\r?\n/).forEach((raw, i) => {
      if (open) {
        if (raw.includes(open)) open = undefined;
        return;
      }
      const header = /^\s*(\[\[?)\s*([^\]]+?)\s*\]/.exec(raw);
      if (header) {
        const names = header[2]!.split('.').map((p) =>
          p
            .trim()
            .replace(/^["']|["']$/g, '')
            .toLowerCase(),
        );
        const name = names.join('.');
        const last = names.pop()!;
        const parent = names.length > 0 ? (latest.get(names.join('.')) ?? names.join('.')) : '';
        let instance = parent ? `${parent}.${last}` : last;
        if (header[1] === '[[') {
          const n = counts.get(instance) ?? 0;
          counts.set(instance, n + 1);
          instance = `${instance}.${n}`;
        }
        latest.set(name, instance);
        this.at.set(instance, i + 1);
        current = instance;
        return;
      }
      const key = /^\s*([A-Za-z0-9_-]+|"[^"]*"|'[^']*')\s*=\s*(.*)$/.exec(raw);
      if (!key) return;
      this.at.set(`${current}/${key[1]!.replace(/^["']|["']$/g, '').toLowerCase()}`, i + 1);
      for (const quote of ["'''", '"""'])
        if (key[2]!.startsWith(quote) && key[2]!.split(quote).length === 2) open = quote;
    });
  }

  line(table: string, key?: string): number | undefined {
    return (
      (key === undefined ? undefined : this.at.get(`${table}/${key.toLowerCase()}`)) ?? this.at.get(table)
    );
  }
}

/**
 * CloudFormation Guard rule files as imagepipe rules. Each named top-level rule (`rule name [when
 * …] {`) of a `.guard`/`.ruleset` file becomes a `Rule` with the id `guard:<name>`, so SARIF
 * describes it, the configuration can turn it off or change its severity, and `imagepipe:skip`
 * can name it. Its title and fix come from the rule's first custom message (`<< … >>`, a `[FIX]:`
 * line being the fix), its description from a `# Description:` header comment, as the AWS
 * Control Tower rules write them. Clauses outside named rules are cfn-guard's rule
 * `<file name>/default`, so `guard:<file name>/default` here. The rules themselves are evaluated by cfn-guard (`guard.ts`);
 * reading them here is only for their names and texts, and never fails on a syntax error (that is
 * cfn-guard's to report).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { UserError } from '../core/errors.js';
import type { Rule } from './types.js';

export const GUARD_PREFIX = 'guard:';

/** A rules file or folder as given, with how to show it. */
export interface GuardRulesInput {
  file: string;
  shown: string;
}

export interface GuardRuleSet {
  /** Every rules file, absolute, in the order given (folders expanded, sorted). */
  files: GuardRulesInput[];
  rules: Rule[];
  /** By cfn-guard rule name. */
  byName: Map<string, Rule>;
}

const RULE_FILE = /\.(guard|ruleset)$/i;

export function guardRuleId(name: string): string {
  return `${GUARD_PREFIX}${name}`;
}

/** What a Rule for a name not declared in any file looks like (cfn-guard's `default`, say). */
export function undeclaredGuardRule(name: string): Rule {
  return guardRule(name, {
    shown: 'the Guard rules',
    title: `CloudFormation Guard rule ${name}`,
  });
}

function guardRule(
  name: string,
  text: { shown: string; title: string; description?: string; fix?: string },
): Rule {
  return {
    id: guardRuleId(name),
    title: text.title,
    severity: 'high',
    description: `${text.description ? `${text.description} ` : ''}(CloudFormation Guard rule \`${name}\` in ${text.shown}, evaluated by cfn-guard.)`,
    fix:
      text.fix ??
      `Change the template so that it satisfies the Guard rule ${name}, or suppress the finding with a reason.`,
    refs: {},
    formats: ['cloudformation'],
    check: () => [],
    origin: 'cfn-guard',
  };
}

function expand(input: GuardRulesInput, inputName: string): GuardRulesInput[] {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(input.file);
  } catch {
    throw new UserError(
      `${inputName}: no such file or folder: ${input.shown}. Give CloudFormation Guard rule files (.guard) or folders of them.`,
    );
  }
  if (stat.isFile()) return [input];
  const found: GuardRulesInput[] = [];
  const walk = (dir: string) => {
    for (const e of fs
      .readdirSync(dir, { withFileTypes: true })
      .sort((a, b) => a.name.localeCompare(b.name))) {
      const abs = path.join(dir, e.name);
      if (e.isDirectory()) walk(abs);
      else if (e.isFile() && RULE_FILE.test(e.name))
        found.push({ file: abs, shown: path.join(input.shown, path.relative(input.file, abs)) });
    }
  };
  walk(input.file);
  if (found.length === 0) {
    throw new UserError(
      `${inputName}: the folder ${input.shown} holds no .guard or .ruleset file. Name the rule files, or a folder that has some.`,
    );
  }
  return found;
}

/** Top-level named rules (not parameterised ones, `rule check(x)`), with their text span. */
function declarations(text: string): Array<{ name: string; start: number; end: number }> {
  const out: Array<{ name: string; start: number; end: number }> = [];
  const re = /^[ \t]*rule[ \t]+([A-Za-z_]\w*)/gm;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const rest = text.slice(re.lastIndex).trimStart();
    if (rest.startsWith('(')) continue;
    if (out.length > 0) out[out.length - 1]!.end = m.index;
    out.push({ name: m[1]!, start: m.index, end: text.length });
  }
  return out;
}

/**
 * Whether a file has clauses outside named rules (cfn-guard evaluates them as the rule
 * `<file name>/default`), and the custom messages written on them. A small lexer: comments,
 * strings, regular expressions and `<< … >>` messages are skipped, `let` statements and `rule`
 * blocks (a `when` condition may span lines) are stepped over; anything else at the top is a clause.
 */
function topLevelClauses(text: string): { found: boolean; messages: string[] } {
  const messages: string[] = [];
  let found = false;
  let depth = 0;
  let mode: 'top' | 'let' | 'rule-head' | 'rule-body' = 'top';
  let ruleDepth = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '#') {
      const end = text.indexOf('\n', i);
      i = end < 0 ? text.length : end - 1;
      continue;
    }
    if (ch === '"' || ch === "'") {
      for (i++; i < text.length && text[i] !== ch; i++) if (text[i] === '\\') i++;
      continue;
    }
    if (ch === '/' && mode !== 'top') {
      for (i++; i < text.length && text[i] !== '/' && text[i] !== '\n'; i++) if (text[i] === '\\') i++;
      continue;
    }
    if (ch === '<' && text[i + 1] === '<') {
      const end = text.indexOf('>>', i + 2);
      if (mode === 'top') messages.push(text.slice(i + 2, end < 0 ? undefined : end));
      i = end < 0 ? text.length : end + 1;
      continue;
    }
    if (ch === '{' || ch === '[' || ch === '(') {
      if (mode === 'rule-head' && ch === '{' && depth === 0) {
        mode = 'rule-body';
        ruleDepth = depth;
      }
      depth++;
      continue;
    }
    if (ch === '}' || ch === ']' || ch === ')') {
      depth = Math.max(0, depth - 1);
      if (mode === 'rule-body' && depth === ruleDepth) mode = 'top';
      continue;
    }
    if (ch === '\n') {
      if (mode === 'let' && depth === 0) mode = 'top';
      continue;
    }
    if (mode !== 'top' || depth > 0 || /\s/.test(ch)) continue;
    const word = /^[A-Za-z_]\w*/.exec(text.slice(i, i + 64))?.[0];
    if (word === 'rule') mode = 'rule-head';
    else if (word === 'let') mode = 'let';
    else if (ch === '/') {
      found = true;
      for (i++; i < text.length && text[i] !== '/' && text[i] !== '\n'; i++) if (text[i] === '\\') i++;
      continue;
    } else found = true;
    if (word) i += word.length - 1;
  }
  return { found, messages };
}

/** The first `<< … >>` custom message in a span: its title line and its `[FIX]:` line. */
function customMessage(span: string): { title?: string; fix?: string } {
  const m = /<<([\s\S]*?)>>/.exec(span);
  if (!m) return {};
  const lines = m[1]!
    .split(/\r?\n|;/)
    .map((l) => l.trim())
    .filter(Boolean);
  const fix = lines.find((l) => /^\[FIX\]:?/i.test(l))?.replace(/^\[FIX\]:?\s*/i, '');
  const title = lines.find((l) => !/^\[FIX\]/i.test(l));
  return { ...(title ? { title } : {}), ...(fix ? { fix } : {}) };
}

/** A `# Description:` block of the header comment, joined into one paragraph. */
function headerDescription(text: string): string | undefined {
  const lines = text.split(/\r?\n/);
  const at = lines.findIndex((l) => /^#\s*Description:\s*$/i.test(l));
  if (at < 0) return undefined;
  const parts: string[] = [];
  for (const line of lines.slice(at + 1)) {
    if (!line.startsWith('#')) break;
    const body = line.replace(/^#+/, '').trim();
    if (body === '' || /^[A-Z][\w ]*:$/.test(body)) break;
    parts.push(body);
  }
  return parts.length ? parts.join(' ') : undefined;
}

/**
 * Reads the rule files (and folders of them, recursively, as cfn-guard does). A missing path or a
 * folder without rule files is a UserError naming the input. A name declared in two files keeps
 * the first file's texts (cfn-guard reports both under the one name).
 */
export function loadGuardRules(inputs: readonly GuardRulesInput[], inputName = 'guard-rules'): GuardRuleSet {
  const files: GuardRulesInput[] = [];
  const seen = new Set<string>();
  for (const input of inputs) {
    for (const f of expand(input, inputName)) {
      if (seen.has(f.file)) continue;
      seen.add(f.file);
      files.push(f);
    }
  }
  const byName = new Map<string, Rule>();
  for (const f of files) {
    let text: string;
    try {
      text = fs.readFileSync(f.file, 'utf8');
    } catch (error) {
      throw new UserError(
        `${inputName}: cannot read ${f.shown} (${(error as NodeJS.ErrnoException).code ?? String(error)}).`,
      );
    }
    const description = headerDescription(text);
    const loose = topLevelClauses(text);
    if (loose.found) {
      const name = `${path.basename(f.file)}/default`;
      const message = customMessage(loose.messages.map((m) => `<<${m}>>`).join('\n'));
      if (!byName.has(name))
        byName.set(
          name,
          guardRule(name, {
            shown: f.shown,
            title: message.title ?? description ?? `The clauses outside named rules in ${f.shown}`,
            ...(description ? { description } : {}),
            ...(message.fix ? { fix: message.fix } : {}),
          }),
        );
    }
    for (const d of declarations(text)) {
      if (byName.has(d.name)) continue;
      const message = customMessage(text.slice(d.start, d.end));
      byName.set(
        d.name,
        guardRule(d.name, {
          shown: f.shown,
          title: message.title ?? description ?? `CloudFormation Guard rule ${d.name}`,
          ...(description ? { description } : {}),
          ...(message.fix ? { fix: message.fix } : {}),
        }),
      );
    }
  }
  return { files, rules: [...byName.values()], byName };
}

/**
 * The secrets engine: text in, findings out. Rules are compiled once; a file only meets the rules
 * whose keywords it contains (the prefilter that makes gitleaks fast), and a regex runs over the
 * whole file (a private key spans lines) with `g`, `m` and `d` added, so the exact column of the
 * secret's capture group is known.
 */
import { createHash, scryptSync } from 'node:crypto';
import { KeywordMatcher } from './keywords.js';
import { isPlaceholder, shannonEntropy } from './placeholders.js';
import type { Allowlist, CommitInfo, Finding, SecretRule, Suppression } from './types.js';

export interface CompiledRule {
  rule: SecretRule;
  regex: RegExp;
  secretGroup: number;
}

export interface CompiledRuleSet {
  rules: CompiledRule[];
  /** Every distinct keyword, with the indices of the rules it enables. */
  keywords: Map<string, number[]>;
  /** One pass over a text finds which of `keywords` (in map order) occur. */
  matcher: KeywordMatcher;
  /** For each keyword in map order, the rules it enables. */
  enables: number[][];
  /** Rules without keywords (configured ones): they run on every file. */
  unfiltered: number[];
  /** What is not a finding, whatever the rule. */
  allowlists: Allowlist[];
}

/** Capture groups of a regex. */
export function groupCount(regex: RegExp): number {
  // A regex that matches the empty string tells us how many groups it has.
  return new RegExp(`${regex.source}|`, regex.flags.replace(/[gy]/g, '')).exec('')!.length - 1;
}

/**
 * Checks and compiles rules. A malformed rule is a programming error in its definition (configured
 * rules are checked when their file is loaded).
 */
export function compileRules(
  rules: readonly SecretRule[],
  allowlists: readonly Allowlist[] = [],
): CompiledRuleSet {
  const seen = new Set<string>();
  const compiled: CompiledRule[] = [];
  const keywords = new Map<string, number[]>();
  const unfiltered: number[] = [];
  for (const rule of rules) {
    if (seen.has(rule.id)) throw new Error(`Duplicate secret rule id ${rule.id}`);
    seen.add(rule.id);
    if (rule.keywords.length === 0) unfiltered.push(compiled.length);
    const flags = `${[...new Set(rule.regex.flags.replace(/[gy]/g, '') + 'gmd')].join('')}`;
    const regex = new RegExp(rule.regex.source, flags);
    const secretGroup = rule.secretGroup ?? (groupCount(rule.regex) > 0 ? 1 : 0);
    const index = compiled.length;
    compiled.push({ rule, regex, secretGroup });
    for (const keyword of rule.keywords) {
      const k = keyword.toLowerCase();
      keywords.set(k, [...(keywords.get(k) ?? []), index]);
    }
  }
  return {
    rules: compiled,
    keywords,
    matcher: new KeywordMatcher([...keywords.keys()]),
    enables: [...keywords.values()],
    unfiltered,
    allowlists: [...allowlists],
  };
}

/** The rules whose keywords occur in the text (and the rules without keywords), in rule order. */
export function prefilter(text: string, set: CompiledRuleSet): CompiledRule[] {
  const found = set.matcher.matchAll(text);
  const active = new Uint8Array(set.rules.length);
  for (const i of set.unfiltered) active[i] = 1;
  for (let k = 0; k < found.length; k++) {
    if (found[k]) for (const i of set.enables[k]!) active[i] = 1;
  }
  const rules: CompiledRule[] = [];
  for (let i = 0; i < active.length; i++) if (active[i]) rules.push(set.rules[i]!);
  return rules;
}

/**
 * What may be shown of a secret: its length, and its type marker when its rule says the secret
 * starts with a public one (`ghp_`, `AKIA`, `xoxb-`): that tells the reader what leaked. Nothing
 * else: a password's or a raw key's first characters are secret material.
 */
export function redact(secret: string, rule?: Pick<SecretRule, 'keywords' | 'publicPrefix'>): string {
  let shown = 0;
  if (rule?.publicPrefix) {
    const lower = secret.toLowerCase();
    for (const k of rule.keywords)
      if (k.length >= 3 && lower.startsWith(k)) shown = Math.max(shown, k.length);
  }
  return `${secret.slice(0, Math.min(shown, 12, Math.floor(secret.length / 2)))}…(${secret.length} chars)`;
}

/** Above this length a secret without a public prefix is a key body (PEM, base64), not a password. */
const PASSWORD_MAX_LENGTH = 64;
const digests = new Map<string, Buffer>();

/** Whether a rule's secret could be a password someone chose (and so be in a dictionary). */
export function guessable(rule: Pick<SecretRule, 'publicPrefix'>, secret: string): boolean {
  return !rule.publicPrefix && secret.length <= PASSWORD_MAX_LENGTH;
}

/**
 * A digest of the secret that does not hand out a cheap password check. A token with a public
 * format (`ghp_` + 36 random characters) is hashed with SHA-256, which no dictionary reverses.
 * Anything that could be a chosen password (every rule without a public prefix, up to 64
 * characters: long passphrases included) is first stretched with scrypt (N=2^12, r=8: about 8 ms
 * here) salted by rule and path, so testing a dictionary against a published fingerprint costs
 * 8 ms per guess per fingerprint instead of nanoseconds. Digests are cached per salt and secret.
 */
function secretDigest(secret: string, salt: string, stretch: boolean): Buffer {
  if (!stretch) return createHash('sha256').update(secret).digest();
  const key = `${salt}\0${secret}`;
  let digest = digests.get(key);
  if (!digest) {
    digest = scryptSync(secret, salt, 32, { N: 2 ** 12, r: 8, p: 1 });
    digests.set(key, digest);
  }
  return digest;
}

/** rule + path + a digest of the secret: survives line shifts, changes with a new secret. */
export function fingerprint(ruleId: string, path: string, secret: string, stretch = true): string {
  const salt = `imagepipe/v1\0${ruleId}\0${path}`;
  return createHash('sha256')
    .update(salt)
    .update(secretDigest(secret, salt, stretch))
    .digest('hex')
    .slice(0, 32);
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/** 1-based line and column of an offset, by binary search over the line starts. */
function position(starts: number[], offset: number): { line: number; column: number } {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: offset - starts[lo]! + 1 };
}

/** Whether a match is a real secret: present, not a placeholder, random enough, structurally valid. */
function accept(rule: SecretRule, secret: string): boolean {
  if (secret.length === 0 || isPlaceholder(secret)) return false;
  if (rule.entropy !== undefined && shannonEntropy(secret) < rule.entropy) return false;
  if (rule.validate && !rule.validate(secret)) return false;
  return true;
}

/** What an allowlist is checked against. */
interface Candidate {
  path: string;
  secret: string;
  match: string;
  line: string;
  commit?: string;
}

/** Whether an allowlist allows the candidate (gitleaks' semantics: OR of criteria, or AND of those given). */
export function allows(list: Allowlist, c: Candidate): boolean {
  const target = list.regexTarget === 'match' ? c.match : list.regexTarget === 'line' ? c.line : c.secret;
  const lowerSecret = c.secret.toLowerCase();
  const checks: boolean[] = [];
  if (list.commits.length > 0)
    checks.push(c.commit !== undefined && list.commits.some((sha) => c.commit!.startsWith(sha)));
  if (list.paths.length > 0) checks.push(list.paths.some((re) => testRegex(re, c.path)));
  if (list.regexes.length > 0) checks.push(list.regexes.some((re) => testRegex(re, target)));
  if (list.stopwords.length > 0) checks.push(list.stopwords.some((w) => lowerSecret.includes(w)));
  if (checks.length === 0) return false;
  return list.condition === 'AND' ? checks.every(Boolean) : checks.some(Boolean);
}

function testRegex(re: RegExp, text: string): boolean {
  re.lastIndex = 0;
  return re.test(text);
}

/** Whether the path alone allows everything in a file: an OR allowlist one of whose paths matches. */
function pathAllowed(lists: readonly Allowlist[] | undefined, path: string): boolean {
  return (lists ?? []).some((l) => l.condition === 'OR' && l.paths.some((re) => testRegex(re, path)));
}

/**
 * Inline markers that allow the secrets on their line, ours and the ones teams migrating from
 * gitleaks, trufflehog and detect-secrets already have in their code. `imagepipe:allow-next-line`
 * (and detect-secrets' `pragma: allowlist nextline secret`) on the line before allow a line that
 * cannot hold a comment, such as inside a PEM block's first line.
 */
const ALLOW_MARKER =
  /imagepipe:allow(?!-next-line)|gitleaks:allow|trufflehog:ignore|pragma:[^\S\r\n]*allowlist[^\S\r\n]+secret/i;
const ALLOW_NEXT_MARKER =
  /imagepipe:allow-next-line|pragma:[^\S\r\n]*allowlist[^\S\r\n]+nextline[^\S\r\n]+secret/i;

export const INLINE_ALLOW_HELP =
  'add an `imagepipe:allow` comment on its line (or `imagepipe:allow-next-line` on the line before)';

export interface ScanContentOptions {
  /** The commit the text was added in (history mode): carried into findings and checked against allowlists. */
  commit?: CommitInfo;
  /**
   * Maps a line of `content` (1-based) to the line reported, for text that is a file's added
   * lines joined together (history and staged modes).
   */
  lineMap?: readonly number[];
  /**
   * Where `content` starts in its file, for a window of a large file: the 1-based line, and the
   * column offset on that line (0 when the window starts at a line start).
   */
  origin?: { line: number; column: number };
  /** Stop scanning the file after this many milliseconds (a pathological file cannot stall a scan). */
  budgetMs?: number;
  /** Counters the caller sums up. */
  counts?: ContentCounts;
}

export interface ContentCounts {
  allowlisted: number;
  /** Files whose scan stopped at the time budget. */
  overBudget: number;
}

function lineAt(text: string, starts: number[], line: number): string {
  const start = starts[line - 1];
  if (start === undefined) return '';
  const end = starts[line] ?? text.length + 1;
  return text.slice(start, end - 1);
}

/**
 * Scans one file's text. `path` is carried into the findings and matched by path rules and
 * allowlists. When two rules match the same span, the first in rule order (the more specific one)
 * wins. Findings allowed inline are returned with a `suppression`; allowlisted ones are dropped
 * (and counted).
 */
export function scanContent(
  content: string,
  path: string,
  set: CompiledRuleSet,
  options: ScanContentOptions = {},
): Finding[] {
  // A byte-order mark is not a column: drop it so line 1's columns match what editors show.
  const text = content.charCodeAt(0) === 0xfeff ? content.slice(1) : content;
  const { commit, lineMap, counts } = options;
  if (pathAllowed(set.allowlists, path)) {
    if (counts) counts.allowlisted++;
    return [];
  }
  const active = prefilter(text, set);
  if (active.length === 0) return [];
  const deadline = options.budgetMs === undefined ? Infinity : performance.now() + options.budgetMs;
  let starts: number[] | undefined;
  const claimed = new Set<string>();
  const findings: Finding[] = [];
  const origin = options.origin ?? { line: 1, column: 0 };
  const reported = (line: number) => (lineMap ? (lineMap[line - 1] ?? line) : line + origin.line - 1);
  const column = (line: number, col: number) => (line === 1 ? col + origin.column : col);
  const push = (rule: SecretRule, secret: string, from: number, to: number, match: string) => {
    starts ??= lineStarts(text);
    const start = position(starts, from);
    const end = position(starts, to);
    const lineText = lineAt(text, starts, start.line);
    const candidate: Candidate = { path, secret, match, line: lineText, commit: commit?.sha };
    if (
      set.allowlists.some((l) => allows(l, candidate)) ||
      (rule.allowlists ?? []).some((l) => allows(l, candidate))
    ) {
      if (counts) counts.allowlisted++;
      return;
    }
    const finding: Finding = {
      ruleId: rule.id,
      path,
      line: reported(start.line),
      column: column(start.line, start.column),
      endLine: reported(end.line),
      endColumn: column(end.line, end.column),
      secret,
      redacted: rule.pathOnly ? secret : redact(secret, rule),
      fingerprint: fingerprint(rule.id, path, secret, !rule.pathOnly && guessable(rule, secret)),
    };
    if (commit) finding.commit = commit;
    const suppression = inlineSuppression(text, starts, start.line, end.line);
    if (suppression) finding.suppression = suppression;
    findings.push(finding);
  };
  for (const { rule, regex, secretGroup } of active) {
    if (performance.now() > deadline) {
      if (counts) counts.overBudget++;
      break;
    }
    if (rule.path && !testRegex(rule.path, path)) continue;
    if (pathAllowed(rule.allowlists, path)) continue;
    if (rule.pathOnly) {
      const firstLine = text.indexOf('\n') === -1 ? text.length : text.indexOf('\n');
      push(rule, path, 0, firstLine, '');
      continue;
    }
    regex.lastIndex = 0;
    let n = 0;
    for (let m = regex.exec(text); m !== null; m = regex.exec(text)) {
      if (m[0].length === 0) regex.lastIndex++;
      if (++n % 256 === 0 && performance.now() > deadline) break;
      const secret = m[secretGroup];
      const span = m.indices?.[secretGroup];
      if (secret === undefined || !span || !accept(rule, secret)) continue;
      const key = `${span[0]}:${span[1]}`;
      if (claimed.has(key)) continue;
      claimed.add(key);
      push(rule, secret, span[0], span[1], m[0]);
    }
  }
  return findings.sort((a, b) => a.line - b.line || a.column - b.column);
}

function inlineSuppression(
  text: string,
  starts: number[],
  first: number,
  last: number,
): Suppression | undefined {
  for (let line = first; line <= last; line++) {
    const marker = ALLOW_MARKER.exec(lineAt(text, starts, line));
    if (marker) return { kind: 'inSource', justification: `allowed inline with ${marker[0]}` };
  }
  const marker = first > 1 ? ALLOW_NEXT_MARKER.exec(lineAt(text, starts, first - 1)) : null;
  if (marker)
    return { kind: 'inSource', justification: `allowed inline with ${marker[0]} on the line before` };
  return undefined;
}

/**
 * The secrets engine: text in, findings out. Rules are compiled once; a file only meets the rules
 * whose keywords it contains (the prefilter that makes gitleaks fast), and a regex runs over the
 * whole file (a private key spans lines) with `g`, `m` and `d` added, so the exact column of the
 * secret's capture group is known.
 */
import { createHash, scryptSync } from 'node:crypto';
import { isPlaceholder, shannonEntropy } from './placeholders.js';
import type { Finding, SecretRule } from './types.js';

export interface CompiledRule {
  rule: SecretRule;
  regex: RegExp;
  secretGroup: number;
}

export interface CompiledRuleSet {
  rules: CompiledRule[];
  /** Every distinct keyword, with the indices of the rules it enables. */
  keywords: Map<string, number[]>;
}

function groupCount(regex: RegExp): number {
  // A regex that matches the empty string tells us how many groups it has.
  return new RegExp(`${regex.source}|`, regex.flags.replace(/[gy]/g, '')).exec('')!.length - 1;
}

/** Checks and compiles rules. A malformed rule is a programming error in its definition. */
export function compileRules(rules: readonly SecretRule[]): CompiledRuleSet {
  const seen = new Set<string>();
  const compiled: CompiledRule[] = [];
  const keywords = new Map<string, number[]>();
  for (const rule of rules) {
    if (seen.has(rule.id)) throw new Error(`Duplicate secret rule id ${rule.id}`);
    seen.add(rule.id);
    if (rule.keywords.length === 0) throw new Error(`Secret rule ${rule.id} has no keywords`);
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
  return { rules: compiled, keywords };
}

/** The rules whose keywords occur in the text, in rule order. */
export function prefilter(text: string, set: CompiledRuleSet): CompiledRule[] {
  const lower = text.toLowerCase();
  const active = new Set<number>();
  for (const [keyword, indices] of set.keywords) {
    if (lower.includes(keyword)) for (const i of indices) active.add(i);
  }
  return [...active].sort((a, b) => a - b).map((i) => set.rules[i]!);
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

/**
 * Scans one file's text. `path` is only carried into the findings. When two rules match the same
 * span, the first in rule order (the more specific one) wins.
 */
export function scanContent(content: string, path: string, set: CompiledRuleSet): Finding[] {
  // A byte-order mark is not a column: drop it so line 1's columns match what editors show.
  const text = content.charCodeAt(0) === 0xfeff ? content.slice(1) : content;
  const active = prefilter(text, set);
  if (active.length === 0) return [];
  let starts: number[] | undefined;
  const claimed = new Set<string>();
  const findings: Finding[] = [];
  for (const { rule, regex, secretGroup } of active) {
    regex.lastIndex = 0;
    for (let m = regex.exec(text); m !== null; m = regex.exec(text)) {
      if (m[0].length === 0) regex.lastIndex++;
      const secret = m[secretGroup];
      const span = m.indices?.[secretGroup];
      if (secret === undefined || !span || !accept(rule, secret)) continue;
      const key = `${span[0]}:${span[1]}`;
      if (claimed.has(key)) continue;
      claimed.add(key);
      starts ??= lineStarts(text);
      const start = position(starts, span[0]);
      const end = position(starts, span[1]);
      findings.push({
        ruleId: rule.id,
        path,
        line: start.line,
        column: start.column,
        endLine: end.line,
        endColumn: end.column,
        secret,
        redacted: redact(secret, rule),
        fingerprint: fingerprint(rule.id, path, secret, guessable(rule, secret)),
      });
    }
  }
  return findings.sort((a, b) => a.line - b.line || a.column - b.column);
}

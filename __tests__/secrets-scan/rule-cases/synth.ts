/**
 * Synthetic secrets for the rule tables. Every fake secret is assembled at run time (a prefix plus
 * a seeded pseudo-random body), so no case file holds a contiguous token that another scanner or
 * push protection would take for a real one.
 */
import { createHash } from 'node:crypto';

export const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
export const LOWER = 'abcdefghijklmnopqrstuvwxyz';
export const DIGITS = '0123456789';
export const ALNUM = UPPER + LOWER + DIGITS;
export const HEX = '0123456789abcdef';
export const B64 = ALNUM + '+/';
export const B64URL = ALNUM + '-_';
export const BASE32 = UPPER + '234567';
export const BECH32 = 'QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L';
/** What Django's `get_random_secret_key()` draws from. */
export const DJANGO = LOWER + DIGITS + '!@#$%^&*(-_=+)';

/** A seeded generator (mulberry32 over an FNV-1a hash of the label): same label, same output. */
function rng(label: string): () => number {
  let seed = 0x811c9dc5;
  for (const ch of label) seed = Math.imul(seed ^ ch.charCodeAt(0), 0x01000193);
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A random-looking body of `length` characters of `alphabet`, fixed by `label`. */
export function synth(label: string, length: number, alphabet = ALNUM): string {
  const next = rng(label);
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[Math.floor(next() * alphabet.length)];
  return out;
}

export function bytes(label: string, n: number): Buffer {
  const next = rng(label);
  return Buffer.from(Array.from({ length: n }, () => Math.floor(next() * 256)));
}

export const tok = (prefix: string, body: string) => prefix + body;

/** A PEM block of `der`, lines joined by `newline` (a real one, or `\\n` inside a JSON string). */
export function pem(kind: string, der: Buffer, newline = '\n'): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return [`-----BEGIN ${kind}-----`, ...lines, `-----END ${kind}-----`].join(newline);
}

export const b64url = (value: string) => Buffer.from(value).toString('base64url');
export function jwt(header: object, label: string): string {
  const payload = { sub: synth(`${label}-sub`, 10), iat: 1700000000 + label.length, scope: 'read' };
  return [b64url(JSON.stringify(header)), b64url(JSON.stringify(payload)), synth(label, 43, B64URL)].join(
    '.',
  );
}

export const uuid = (label: string) => {
  const h = synth(label, 32, HEX);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
};
export const digits = (label: string, n: number) => synth(label, n, DIGITS);
/** A 40-hex git commit SHA: a digest, never a secret. */
export const gitSha = (label: string) => createHash('sha1').update(label).digest('hex');

// ── The table's shape ───────────────────────────────────────────────────────────────────────────

export interface Truth {
  text: string;
  secret: string;
}
export interface RuleCases {
  truths: Truth[];
  falses: string[];
}

/** A true example: `@@` in the template is where the secret goes. */
export const embed = (template: string, secret: string): Truth => ({
  text: template.replace('@@', () => secret),
  secret,
});

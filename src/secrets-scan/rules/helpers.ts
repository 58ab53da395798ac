/** Building blocks shared by the rule families (see `../rules.ts` for how the engine runs rules). */

/**
 * Between a name and its value: `=`, `:`, `:=` or `=>`, optionally closing the name's quote (and
 * its bracket) before and opening the value's after (`"apiKey": "…"`, `API_KEY = '…'`, `token: …`,
 * `config['SECRET_KEY'] = …`). Its whitespace runs are unbounded but contiguous: a rule that starts
 * at a name scans each run once.
 */
export const ASSIGN = String.raw`(?:["']\]?|\])?[^\S\r\n]*(?:=|:=|:|=>)[^\S\r\n]*["'\x60]?`;

/** The lowercase spellings of `a[_.-]?b`, as keywords for a regex that allows each of them. */
export function joined(a: string, b: string): string[] {
  return ['', '_', '-', '.'].map((sep) => `${a}${sep}${b}`);
}

/** A regex from a raw source string (so `\b` needs no double escaping). */
export function re(source: string, flags = ''): RegExp {
  return new RegExp(source, flags);
}

/** What may follow a rule's name before the assignment: `_API_TOKEN`, `.key`, `-secret`. */
const NAME_TAIL = String.raw`[\w.-]{0,24}?`;

/**
 * A value assigned to a name starting with `name` (a regex source, matched case-insensitively by
 * the rule's `i` flag): `CLOUDFLARE_API_TOKEN=…`, `"fastlyKey": "…"`, `TF_VAR_vercel_token = "…"`.
 * The name starts after a non-alphanumeric character (`_` included, unlike `\b`), its tail is
 * bounded, and the value `value` (the capture group) must not run on into `valueChars`.
 */
export function assigned(name: string, value: string, valueChars = String.raw`A-Za-z0-9_\-+/=`): string {
  return String.raw`(?<![A-Za-z0-9])(?:${name})${NAME_TAIL}${ASSIGN}(${value})(?![${valueChars}])`;
}

/** A UUID, lower or upper case (the rules using it carry the `i` flag or accept either). */
export const UUID = String.raw`[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}`;

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

/** CRC-32 (IEEE) of a string's UTF-8 bytes, the checksum some providers embed in their tokens. */
export function crc32(text: string): number {
  let crc = 0xffffffff;
  for (const byte of Buffer.from(text, 'utf8')) crc = CRC_TABLE[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** Whether a value mixes upper case, lower case and digits, as random tokens of that alphabet do. */
export function mixedCase(value: string): boolean {
  return /[A-Z]/.test(value) && /[a-z]/.test(value) && /[0-9]/.test(value);
}

/** Whether `text` is base64 (or base64url) of a JSON object, the body of several token formats. */
export function base64Json(text: string): Record<string, unknown> | undefined {
  try {
    const json: unknown = JSON.parse(Buffer.from(text, 'base64').toString('utf8'));
    return typeof json === 'object' && json !== null && !Array.isArray(json)
      ? (json as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

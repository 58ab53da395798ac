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

/**
 * The `variables` input: `name=value` lines, passed to Packer as `-var name=value`. Values are
 * never echoed in an error (a malformed line may hold a secret); values of variables the template
 * marks sensitive, or whose names read like secrets, are masked wherever they would be printed.
 */
import { UserError } from '../core/errors.js';

const NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** Names that hold secrets by convention, whatever the template says. */
const SECRET_NAME =
  /passw(or)?d|passphrase|secret|token|credential|api[_-]?key|access[_-]?key|private[_-]?key/i;

export function looksSecret(name: string): boolean {
  return SECRET_NAME.test(name);
}

/** A value no secret looks like: a boolean, a number, or fewer than 6 characters. */
export function looksPlain(value: string): boolean {
  return value.length < 6 || /^(true|false|-?\d+(\.\d+)?)$/i.test(value);
}

/** Parses the lines; blank lines and `#` comments are skipped. A value keeps everything after the first `=`. */
export function parseVariables(input: string, raw: string): Array<[string, string]> {
  const vars: Array<[string, string]> = [];
  raw.split(/\r?\n/).forEach((line, i) => {
    const text = line.trim();
    if (text === '' || text.startsWith('#')) return;
    const eq = text.indexOf('=');
    const name = eq < 0 ? '' : text.slice(0, eq).trim();
    if (eq < 0 || !NAME.test(name)) {
      // Nothing of the line is quoted: it may be a line of a multi-line secret.
      const what = eq < 0 ? 'it has no "="' : 'what comes before "=" is not a variable name';
      throw new UserError(
        `Invalid line ${i + 1} of input '${input}': ${what} (the line is not shown, in case it is part of a secret). Write one name=value per line, e.g. region=eu-west-1; a name is letters, digits, _ and -, not starting with a digit. A value cannot span lines: pass a multi-line value in a var file (var-files) or as an environment variable PKR_VAR_<name>.`,
      );
    }
    vars.push([name, text.slice(eq + 1)]);
  });
  return vars;
}

/**
 * The forms a value takes in what Packer and we print: as it is, in Packer's machine-readable
 * escaping (`,` as `%!(PACKER_COMMA)`, a newline as `\n`), and JSON-escaped (the logged command line).
 */
function forms(value: string): string[] {
  const machine = value.replace(/,/g, '%!(PACKER_COMMA)').replace(/\r/g, '\\r').replace(/\n/g, '\\n');
  const json = JSON.stringify(value).slice(1, -1);
  return [value, machine, json];
}

/** Replaces each secret, in each of its forms, in a text with `***`, longest first, so no part of one survives. */
export function redactor(secrets: Iterable<string>): (text: string) => string {
  const values = [...new Set([...secrets].filter((s) => s.length > 0).flatMap(forms))].sort(
    (a, b) => b.length - a.length,
  );
  if (values.length === 0) return (text) => text;
  return (text) => {
    let out = text;
    for (const v of values) out = out.split(v).join('***');
    return out;
  };
}

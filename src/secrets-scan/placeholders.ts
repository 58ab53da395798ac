/**
 * Values that look like secrets but are not: documentation examples, template variables and
 * filler. Checked on the secret itself (not the whole line), after a rule matched.
 */

const TEMPLATED = [
  /\$\{[^}]*\}/, // ${VAR}, ${{ secrets.X }}
  /\$\([A-Za-z_][\w .:-]*\)/, // $(VAR), $(shell cmd): a name inside, not random punctuation
  /\{\{[^}]*\}\}/, // {{ var }}, {{ .Values.x }}
  /\{%[^%]*%\}/, // {% … %}
  /<[^<>\s]+>/, // <your-token>
  /%\([A-Za-z_]\w*\)[sd]/, // %(name)s
  /^\$[A-Za-z_][A-Za-z0-9_]*$/, // $VAR
  /^%[A-Za-z_][A-Za-z0-9_]*%$/, // %VAR%
  /^\{[A-Za-z_][A-Za-z0-9_]*\}$/, // {var}
];

const FILLER = [
  /example/i, // AKIAIOSFODNN7EXAMPLE, …EXAMPLEKEY
  /x{5,}/i, // xxxxx
  /\*{4,}/, // ****
  /\.{3,}|…/, // ...
  /#{4,}/,
  /0{8,}/,
  /(.)\1{7,}/, // one character repeated
  /1234567|abcdefg/i,
  /(?:^|[^a-z])(?:your|my)[-_ .]?(?:aws[-_ .]?|api[-_ .]?|access[-_ .]?|secret[-_ .]?)*(?:key|token|secret|password|pass)/i,
  /change[-_]?me|placeholder|redacted|dummy|sample|replace[-_]?me|insert[-_ ]|fixme|todo/i,
];

/**
 * Long or multi-line secrets (private keys, certificates' keys, PGP blocks) are base64 bodies in
 * which runs like `AAAAAAAA`, `todo` or `<name@mail>` occur by nature or by chance: for them only
 * the unmistakable markers count.
 */
const LONG_SECRET_MARKERS = [/example/i, /\.{3,}|…/, /\$\{[^}]*\}/, /\{\{[^}]*\}\}/];
const LONG_SECRET = 100;

export function isPlaceholder(secret: string): boolean {
  if (secret.length > LONG_SECRET || secret.includes('\n')) {
    return LONG_SECRET_MARKERS.some((re) => re.test(secret));
  }
  return TEMPLATED.some((re) => re.test(secret)) || FILLER.some((re) => re.test(secret));
}

/** Shannon entropy in bits per character. */
export function shannonEntropy(text: string): number {
  if (text.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const ch of text) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let entropy = 0;
  const n = [...text].length;
  for (const count of counts.values()) {
    const p = count / n;
    entropy -= p * Math.log2(p);
  }
  return entropy;
}

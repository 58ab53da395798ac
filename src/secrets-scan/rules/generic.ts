/**
 * Rules that key on context rather than on a token format: passwords in URLs, connection strings,
 * `curl -u` and `.netrc`, JWTs, Django secret keys, Docker registry logins, Kubernetes Secret
 * manifests, and the generic `name = value` rule, which must stay last (every specific rule wins
 * on the same span).
 */
import { isPlaceholder, shannonEntropy } from '../placeholders.js';
import type { SecretRule } from '../types.js';
import { ASSIGN, joined, re } from './helpers.js';

/** A JWT's header must base64url-decode to a JSON object naming its `alg`. */
function hasJwtHeader(token: string): boolean {
  const header = token.slice(0, token.indexOf('.'));
  try {
    const json: unknown = JSON.parse(Buffer.from(header, 'base64url').toString('utf8'));
    return typeof json === 'object' && json !== null && typeof (json as { alg?: unknown }).alg === 'string';
  } catch {
    return false;
  }
}

/** Passwords that are documentation, not credentials: `user:password@`, `Password=secret;`. */
const PLACEHOLDER_PASSWORDS = new Set([
  'password',
  'passwd',
  'pass',
  'pwd',
  'pw',
  'secret',
  'user',
  'username',
  'test',
  'foo',
  'bar',
  'null',
  'none',
  'empty',
  'mypassword',
  'yourpassword',
  'somepassword',
]);

function isRealPassword(password: string): boolean {
  if (password.length < 4) return false; // `abc`, `xyz`, `123`: test fixtures, not credentials
  if (PLACEHOLDER_PASSWORDS.has(password.toLowerCase())) return false;
  if (/^(.)\1*$/.test(password)) return false; // x, xx, ***
  if (/^(?:%[sdv]|\?|[:@][A-Za-z_]\w*)$/.test(password)) return false; // printf or SQL parameters
  return true;
}

/**
 * A Docker `auth` value is the canonical (padded) base64 of `user:password`: it must decode to
 * printable text with a non-empty user and a password that is neither a placeholder nor filler.
 */
function isDockerAuth(value: string): boolean {
  const decoded = Buffer.from(value, 'base64');
  if (decoded.toString('base64') !== value) return false;
  const text = decoded.toString('utf8');
  if (text.includes('\uFFFD') || /\p{C}/u.test(text)) return false;
  const colon = text.indexOf(':');
  if (colon < 1) return false;
  const password = text.slice(colon + 1);
  return isRealPassword(password) && !isPlaceholder(password);
}

/**
 * The generic rule's value must look random, not like a word, a path or a code reference: entropy
 * of 3.5 bits per character (3 for hex), letters and digits (or symbols), not an identifier such as
 * `my-service-name-v2`, not a path.
 */
/**
 * Names made of words, a short number inside some of them: `CreateOAuth2TokenCommand`,
 * `x-aws-ec2-metadata-token`, `X-Amz-S3session-Token`. Split into words (at `-`, `_`, `.` and case
 * changes), a name has at most two short numbers and words of three letters on average; a random
 * key has many numbers and one- or two-letter words.
 */
function isWordsName(value: string): boolean {
  if (!/^[A-Za-z$][A-Za-z0-9$]*(?:[-_.][A-Za-z0-9$]+)*$/.test(value)) return false;
  const words = value.match(/[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+/g) ?? [];
  const numbers = words.filter((w) => /^[0-9]/.test(w));
  const letters = words.filter((w) => !/^[0-9]/.test(w));
  if (numbers.length > 2 || numbers.some((n) => n.length > 2) || letters.length < 2) return false;
  return letters.reduce((sum, w) => sum + w.length, 0) / letters.length >= 3;
}

function looksLikeGenericSecret(value: string): boolean {
  if (/^[~.]?\//.test(value)) return false;
  // Words and identifiers, maybe with a short number: `correct-horse`, `OpeningParenToken$1`, `NAME_V2`.
  if (/^[A-Za-z_$]+(?:-[A-Za-z_$]+)*-?v?[0-9]{0,3}$/.test(value)) return false;
  if (isWordsName(value)) return false;
  // Hex tops out at 4 bits per character: a random 32-digit hex key is below 3.5 one time in five.
  if (shannonEntropy(value) < (/^[0-9a-f]+$/i.test(value) ? 3 : 3.5)) return false;
  const letters = /[A-Za-z]/.test(value);
  return (letters && /[0-9]/.test(value)) || (/[!@#$%^&*~]/.test(value) && (letters || /[0-9]/.test(value)));
}

/**
 * Whether a Kubernetes Secret's `data`/`stringData` block holds a real value: a line `key: value`
 * (or a `|` block under it) whose value, base64-decoded when it is canonical base64 of text, is
 * neither empty, a placeholder nor a stock password.
 */
function hasSecretValue(block: string): boolean {
  const lines = block.split(/\r?\n/);
  const indent = /^[^\S\r\n]*/.exec(lines[0]!)![0].length;
  const values: string[] = [];
  for (const line of lines) {
    const pair = /^([^\S\r\n]*)[\w.-]+:[^\S\r\n]*(.*)$/.exec(line);
    if (pair && pair[1]!.length === indent) values.push(pair[2]!.trim());
    else if (values.length > 0) values[values.length - 1] += `\n${line.trim()}`;
  }
  return values.some((raw) => {
    const value = raw.replace(/^[|>][-+]?\n?/, '').replace(/^(["'])(.*)\1$/s, '$2');
    if (value === '' || isPlaceholder(value) || !isRealPassword(value)) return false;
    const decoded = Buffer.from(value, 'base64');
    if (decoded.toString('base64') !== value) return true;
    const text = decoded.toString('utf8');
    if (text.includes('\uFFFD') || /[\p{Cc}]/u.test(text.replace(/[\r\n\t]/g, ''))) return true;
    return !isPlaceholder(text) && isRealPassword(text);
  });
}

/** A Kubernetes `kind: Secret` line (also a list item's), alone on its line. */
const SECRET_KIND = String.raw`^[^\S\r\n]*(?:-[^\S\r\n]+)?kind:[^\S\r\n]*["']?Secret["']?[^\S\r\n]*`;

/** The names a connection string gives its server, user or database before `Password=`. */
const CONNECTION_KEY = String.raw`(?:server|data[^\S\r\n]source|host|address|addr|user[^\S\r\n]?id|uid|user(?:name)?|database|dbname|initial[^\S\r\n]catalog)`;

/** What Django's `get_random_secret_key()` draws its 50 characters from (and upper case). */
const DJANGO_CHARS = String.raw`A-Za-z0-9!@#$%^&*(\-_=+)`;
/**
 * A settings lookup with the key as its default: `os.environ.get('SECRET_KEY', '…')`,
 * `env('SECRET_KEY', default='…')`.
 */
const DJANGO_DEFAULT = String.raw`(?:[\w.]{1,40}\([^\r\n,]{0,80},[^\S\r\n]*(?:default[^\S\r\n]*=[^\S\r\n]*)?["'])?`;

export const GENERIC_RULES: readonly SecretRule[] = [
  // ── Passwords in connection strings ───────────────────────────────────────────────────────────
  {
    id: 'url-password',
    title: 'Password in a URL',
    description:
      'A password in a `scheme://user:password@host` URL (database, broker, FTP, HTTP). Change the ' +
      'password on the server it opens, and take the URL from a secret store or environment at runtime.',
    severity: 'high',
    precision: 'medium',
    keywords: ['://'],
    // `postgres:postgres@` (password = user) is a local default, and `@example.com` documentation.
    // Every run is bounded and the user part cannot hold `:`, so it splits from the password one
    // way only: each start costs at most a few hundred steps.
    regex:
      /:(?<=\b[a-z][a-z0-9+.-]{1,30}:)\/\/([^\s:@/?#'"`<>]{0,128}):(?!\1@)([^\s@/?#'"`<>]{1,128})@(?=[A-Za-z0-9[])(?!(?:www\.)?example\.(?:com|org|net)\b)/i,
    secretGroup: 2,
    validate: isRealPassword,
  },
  {
    id: 'connection-string-password',
    title: 'Password in a connection string',
    // `Password=` takes no spaces around `=`: `const password = …` after `username = …` is code.
    description:
      'A password in an ADO.NET, ODBC, JDBC or libpq connection string (`Server=…;User Id=…;Password=…`). ' +
      'Change the database password and read the connection string from a secret store at runtime.',
    severity: 'high',
    precision: 'medium',
    keywords: ['password', 'pwd'],
    // The match starts at the `Password=` key itself; only there does it look back (at most 256
    // characters, on the same line) for an earlier `Server=`, `Host=`, `User Id=`… key. Scanning
    // forward from every `key=` for a `Password=` that may never come is quadratic on a long line
    // of pairs, and a leading lookbehind would run at every position of the file.
    regex: re(
      String.raw`(?:password|pwd)` +
        String.raw`(?<=(?<![A-Za-z0-9])${CONNECTION_KEY}[^\S\r\n]{0,8}=[^\r\n]{0,256}?(?:[;&?"']|[^\S\r\n])(?:password|pwd))` +
        String.raw`=["']?([^;&\s'"]{1,128})`,
      'i',
    ),
    validate: isRealPassword,
  },

  // ── JWT ───────────────────────────────────────────────────────────────────────────────────────
  {
    id: 'jwt',
    title: 'JSON Web Token',
    description:
      'A signed JSON Web Token: until it expires it authenticates as its subject to whoever trusts ' +
      'its issuer. Revoke the session (or rotate the signing key) at the issuer, and do not commit ' +
      'captured tokens.',
    severity: 'medium',
    keywords: ['eyj'],
    publicPrefix: true,
    // Starts only where a run of base64url characters starts (not at `\b`, which also holds after
    // every `-` inside a run): otherwise `eyJa-eyJa-…` is rescanned from each `eyJ`, quadratically.
    regex:
      /(?<![A-Za-z0-9_-])(eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{16,})(?![A-Za-z0-9_-])/,
    validate: hasJwtHeader,
  },

  // ── Django and Docker ─────────────────────────────────────────────────────────────────────────
  {
    id: 'django-secret-key',
    title: 'Django secret key',
    description:
      'A Django `SECRET_KEY`: it signs sessions, password-reset links, messages and CSRF tokens, so ' +
      'whoever holds it can forge them. Generate a new one (`get_random_secret_key()`), load it from ' +
      'the environment or a secret store, and expect every session to be logged out.',
    severity: 'high',
    keywords: ['secret_key'],
    // `SECRET_KEY = '…'`, `DJANGO_SECRET_KEY=…`, or the default of a settings lookup. The generic
    // rule misses most of these keys: they contain `(`, `)` or `%`.
    regex: re(
      String.raw`(?<![A-Za-z0-9_])(?:django[_-]?)?secret_key` +
        ASSIGN +
        DJANGO_DEFAULT +
        String.raw`((?:django-insecure-)?[${DJANGO_CHARS}]{50})(?![${DJANGO_CHARS}])`,
      'i',
    ),
    // 50 characters drawn from 50: real keys have 4.3 bits per character or more (4.9 typically);
    // phrases such as `this-is-a-very-long-secret-key-for-development-only` have less than 4.1.
    entropy: 4.2,
  },
  {
    id: 'docker-config-auth',
    title: 'Registry login in a Docker config.json',
    description:
      'A container registry login saved by `docker login` in a `config.json` (`auths` → `auth`, the ' +
      'base64 of `user:password` or of a user and an access token): it pulls and usually pushes ' +
      'images as that user. Revoke the password or token at the registry and use a credential ' +
      'helper (`credsStore`) instead.',
    severity: 'high',
    keywords: ['"auth'],
    // Also inside a JSON string (`\"auth\":\"…\"`, e.g. a Kubernetes `.dockerconfigjson`).
    regex: /\\?"auth\\?"[^\S\r\n]*:[^\S\r\n]*\\?"([A-Za-z0-9+/]{8,8192}={0,2})\\?"/,
    validate: isDockerAuth,
  },

  // ── Command lines, .netrc and Kubernetes ──────────────────────────────────────────────────────
  {
    id: 'curl-basic-auth',
    title: 'Password in a curl command',
    description:
      'A password given to `curl -u user:password` (or `--user`): it logs in to that server as the ' +
      'user. Change the password, and pass credentials through `--netrc-file`, a config file or an ' +
      'environment variable kept out of the repository.',
    severity: 'high',
    precision: 'medium',
    keywords: ['curl'],
    // From `curl`, at most 512 characters (line continuations included) to the `-u` option.
    regex: re(
      String.raw`\bcurl\b(?:[^\r\n]|\\\r?\n){0,512}?[^\S\r\n](?:-[A-Za-z]{0,8}u|--user)(?:[^\S\r\n]+|=)` +
        String.raw`["']?[^\s:'"\x60]{0,128}:([^\s'"\x60]{1,128})(?=["'\x60]?(?:\s|$))`,
    ),
    validate: isRealPassword,
  },
  {
    id: 'netrc-password',
    title: 'Password in a .netrc entry',
    description:
      'A password in a `.netrc` entry (`machine host login user password …`), which git, curl and ' +
      'ftp send to that host. Change the password (or revoke the token) on the host, and keep ' +
      '`.netrc` out of the repository.',
    severity: 'high',
    precision: 'medium',
    keywords: ['machine'],
    regex:
      /\bmachine[^\S\r\n]+[^\s]{1,253}(?:\s+(?:account|port|protocol)[^\S\r\n]+[^\s]{1,256}){0,2}\s+login[^\S\r\n]+[^\s]{1,256}(?:\s+(?:account|port|protocol)[^\S\r\n]+[^\s]{1,256}){0,2}\s+password[^\S\r\n]+([^\s'"\x60]{1,256})(?!\S)/,
    validate: isRealPassword,
  },
  {
    id: 'kubernetes-secret-data',
    title: 'Values in a Kubernetes Secret manifest',
    description:
      'The `data` or `stringData` of a Kubernetes `kind: Secret` manifest: base64 is an encoding, not ' +
      'encryption, so every value in it is readable. Rotate each credential, delete the manifest from ' +
      'the repository, and keep Secrets in an external store (Sealed Secrets, External Secrets, SOPS).',
    severity: 'high',
    precision: 'medium',
    keywords: ['data:'],
    // The secret is the whole block of values under `data:` (the deeper-indented lines after it),
    // captured in a lookahead and consumed by its backreference, so it is never re-split; the same
    // atomic skip finds the line after the block. The manifest must be a Secret: `kind: Secret` at
    // most 60 lines above `data:` in the same document (no `---` between), or on the line right
    // after the block (`kubectl get -o yaml` sorts keys). A block line is its indentation then a
    // non-blank character, so it splits one way only. `data:` is indented at most 8 (a manifest, or
    // an item of a `kind: List`), so however deeply headers nest, a line is in at most 9 blocks.
    regex: re(
      String.raw`^([^\S\r\n]{0,8})(?:data|stringData):[^\S\r\n]*` +
        String.raw`(?:(?<=${SECRET_KIND}(?:\r?\n(?![^\S\r\n]*---)[^\r\n]{0,8192}){1,60})` +
        String.raw`|(?=(?=((?:\r?\n\1[^\S\r\n]+\S[^\r\n]{0,8192}){1,250}))\2\r?\n${SECRET_KIND}$))` +
        String.raw`\r?\n(?=(\1[^\S\r\n]+[\w.-]{1,253}:[^\r\n]{0,8192}(?:\r?\n\1[^\S\r\n]+\S[^\r\n]{0,8192}){0,250}))\3`,
    ),
    secretGroup: 3,
    validate: hasSecretValue,
  },

  // ── Generic (last: every specific rule wins on the same span) ─────────────────────────────────
  {
    id: 'generic-secret',
    title: 'Generic secret',
    description:
      'A random-looking value assigned to a name like `api_key`, `secret`, `token` or `password`. ' +
      'Revoke or rotate it with whatever issued it, and load it from a secret store or the environment.',
    severity: 'medium',
    precision: 'medium',
    keywords: [
      ...joined('api', 'key'),
      'secret',
      'token',
      'password',
      'passwd',
      'pwd',
      'credential',
      ...joined('access', 'key'),
      ...joined('auth', 'key'),
    ],
    // The name's tail and the value are bounded (24 and 256): a start inside a long run of
    // `token=token=…` scans at most 256 characters, never the rest of the run.
    regex: re(
      String.raw`(?:api[_.-]?key|secret|token|passw(?:or)?d|pwd|credential|access[_.-]?key|auth[_.-]?key)[\w.-]{0,24}?` +
        ASSIGN +
        String.raw`([A-Za-z0-9_\-+/=~!@#$%^&*]{16,256})(?![A-Za-z0-9_\-+/=~!@#$%^&*.(\[{])`,
      'i',
    ),
    // 3.5 bits per character (3 for hex), checked in `looksLikeGenericSecret`.
    entropy: 3,
    validate: looksLikeGenericSecret,
  },
];

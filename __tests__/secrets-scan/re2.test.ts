import { describe, expect, it } from '@jest/globals';
import {
  Re2SyntaxError,
  Re2TranslationError,
  translateRe2,
  translateRe2Rule,
} from '../../src/secrets-scan/re2.js';

/** Every match of the translated pattern, as RE2's FindAllString lists them. */
function matchAll(pattern: string, text: string): string[] {
  const { source, flags } = translateRe2(pattern);
  const re = new RegExp(source, `${flags}g`);
  const out: string[] = [];
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m[0].length === 0) re.lastIndex++;
    out.push(m[0]);
  }
  return out;
}

// [RE2 pattern, text, what Go's regexp.FindAllString returns]: worked out by hand from RE2's
// syntax documentation and confirmed with Go's regexp package.
// prettier-ignore
const MATCHES: [string, string, string[]][] = [
  // Case-insensitivity: whole pattern, scoped, switched off, and RE2's folding orbits.
  ['(?i)abc', 'ABC aBc abd', ['ABC', 'aBc']],
  ['(?i)a(?-i)b', 'AB Ab aB ab', ['Ab', 'ab']],
  ['(?i:a)b', 'Ab AB ab', ['Ab', 'ab']],
  ['a(?i)b|c', 'aB C c', ['aB', 'C', 'c']],
  ['(a(?i)b)c', 'aBc aBC', ['aBc']],
  ['(?i)k', 'k K \u212a', ['k', 'K', '\u212a']],
  ['(?i)s+', 'sS\u017f', ['sS\u017f']],
  ['(?i)[^k]', 'kK\u212ax', ['x']],
  ['(?i)[a-c]+', 'AbC', ['AbC']],
  ['(?i)\\W', 'a\u017f-', ['-']],
  ['(?i)[[:upper:]]+', 'aB1', ['aB']],
  ['(?i)\u00e9', '\u00c9\u00e9', ['\u00c9', '\u00e9']],
  ['(?i)\u03c3', '\u03a3\u03c2\u03c3', ['\u03a3', '\u03c2', '\u03c3']],
  ['(?-i:[Aa]pi|API)', 'Api aPI API', ['Api', 'API']],
  // Dot, \s and anchors: RE2's meanings, not JavaScript's.
  ['.', 'a\rb\n', ['a', '\r', 'b']],
  ['(?s).', 'a\n', ['a', '\n']],
  ['\\s+', 'a \t\v\f\u00a0b', [' \t', '\f']],
  ['\\S+', 'a\u00a0b c', ['a\u00a0b', 'c']],
  ['[^\\S\\n]+', 'a \t\nb', [' \t']],
  ['^a', 'a\na', ['a']],
  ['a$', 'a\na', ['a']],
  ['(?m)^a', 'a\na\r\na', ['a', 'a', 'a']],
  ['(?m)a$', 'a\na\r\na', ['a', 'a']],
  ['\\Aa', 'aa', ['a']],
  ['a\\z', 'aa\n', []],
  ['a\\z', 'aa', ['a']],
  ['\\bk\\b', 'k kk k_', ['k']],
  // Classes: POSIX, Perl, brackets RE2 reads differently from JavaScript.
  ['[[:alpha:]]+', 'ab1c', ['ab', 'c']],
  ['[[:^alpha:]]+', 'ab1-c', ['1-']],
  ['[[:word:]]+', 'a_1-', ['a_1']],
  ['[[:space:]]+', 'a\v\tb', ['\v\t']],
  ['[]a]+', 'a]b', ['a]']],
  ['[^]a]+', 'a]b', ['b']],
  ['[a-]+', 'a-b', ['a-']],
  ['[\\d-z]+', '1-zy', ['1-z']],
  ['[a-b-c]+', 'ab-cd', ['ab-c']],
  ['[\\w.-]+', 'a.b-c d', ['a.b-c', 'd']],
  ['[[]+', '[[a', ['[[']],
  ['\\x41\\x{42}\\101', 'ABA', ['ABA']],
  ['\\012', '\n', ['\n']],
  // Braces RE2 does not read as a repetition are literal.
  ['a{,3}', 'a{,3}', ['a{,3}']],
  ['a{01}', 'a{01}', ['a{01}']],
  ['^\\$(?:\\d+|{\\d+})$', '${12}', ['${12}']],
  ['\\{\\d{0,2}}', '{7}', ['{7}']],
  // Repetition: laziness, (?U), and what RE2 does with parts that can match nothing.
  ['a+?', 'aaa', ['a', 'a', 'a']],
  ['(?U)a+', 'aaa', ['a', 'a', 'a']],
  ['(?U)a+?', 'aaa', ['aaa']],
  ['(?:a*?)?', 'ab', ['', '', '']],
  ['^*a', 'a', ['a']],
  ['\\Q.*\\E+', '.*.**', ['.*', '.**']],
  ['x{0}y', 'xy', ['y']],
  // Named groups.
  ['(?P<user>\\w+)@(?<host>\\w+)', 'me@here', ['me@here']],
  // Unicode classes.
  ['\\pL+', 'ab1\u03b1', ['ab', '\u03b1']],
  ['\\p{Greek}+', 'a\u03b1\u03b2', ['\u03b1\u03b2']],
  ['\\PL+', 'ab1-c', ['1-']],
  ['\\p{^Greek}+', 'a\u03b1b', ['a', 'b']],
  ['(?i)\\p{Lu}', 'aA', ['a', 'A']],
  ['(?i)\\P{Lu}', 'aA1', ['1']],
  ['[\\p{Lu}\\d]+', 'aB1c', ['B1']],
  ['\\pC', 'a\u0007', ['\u0007']],
  // Characters beyond U+FFFF.
  ['\\x{1F600}+', '\u{1F600}\u{1F600}', ['\u{1F600}\u{1F600}']],
  ['[\\x{1F600}-\\x{1F64F}]', 'a\u{1F601}', ['\u{1F601}']],
  ['[^\\x{1F600}]', '\u{1F600}\u{1F601}', ['\u{1F601}']],
];

describe('translateRe2', () => {
  it.each(MATCHES)('%j on %j finds what RE2 finds', (pattern, text, expected) => {
    expect(matchAll(pattern, text)).toEqual(expected);
  });

  it('writes RE2 syntax as JavaScript syntax', () => {
    expect(translateRe2('(?i)ab')).toEqual({ source: '[Aa][Bb]', flags: '' });
    expect(translateRe2('(?P<name>x)')).toEqual({ source: '(?<name>x)', flags: '' });
    expect(translateRe2('\\Aa\\z')).toEqual({ source: '(?<![\\s\\S])a(?![\\s\\S])', flags: '' });
    expect(translateRe2('(?m)^a$')).toEqual({ source: '(?<![^\\n])a(?![^\\n])', flags: '' });
    expect(translateRe2('a.b')).toEqual({ source: 'a[^\\n]b', flags: '' });
    expect(translateRe2('\\pL')).toEqual({ source: '\\p{L}', flags: 'u' });
    expect(translateRe2('\\p{Greek}')).toEqual({ source: '\\p{Script=Greek}', flags: 'u' });
    expect(translateRe2('[]a]')).toEqual({ source: '[\\]a]', flags: '' });
  });

  it('joins neighbouring one-character alternatives into one class, as Go does', () => {
    // `(?:.|\s)` would otherwise try every split of a run of spaces: exponential in JavaScript.
    expect(translateRe2('(?:.|\\s)').source).toBe('(?:[^])');
    expect(translateRe2('a|b|cd|e|f').source).toBe('[ab]|cd|[ef]');
    expect(matchAll('x(?:.|\\s){0,200}?y', `x${' '.repeat(300)}y x \n y`)).toEqual(['x \n y']);
  });

  it('keeps the group numbers, and names only what JavaScript accepts once', () => {
    const { source, flags } = translateRe2('(?P<a>x)(?P<a>y)(?P<1b>z)(w)');
    const m = new RegExp(source, flags).exec('xyzw')!;
    expect(m.slice(1)).toEqual(['x', 'y', 'z', 'w']);
    expect(m.groups).toEqual({ a: 'x' });
  });

  it('leaves ^ and $ to the caller: with the engine’s m flag they match at each line', () => {
    const { source, flags } = translateRe2('^key=\\w+$');
    expect('a\nkey=1\n'.match(new RegExp(source, `${flags}g`))).toBeNull();
    expect('a\nkey=1\n'.match(new RegExp(source, `${flags}gm`))).toEqual(['key=1']);
  });

  it('compiles with the flags the engine adds', () => {
    for (const pattern of ['(?i)[\\w.-]{0,50}?(?:key)', '\\p{Greek}+', '(?s)a.b', '\\x{1F600}'])
      expect(() => {
        const { source, flags } = translateRe2(pattern);
        return new RegExp(source, `${flags}gmd`);
      }).not.toThrow();
  });

  // [pattern, Go's error]: what RE2 rejects, with Go's wording.
  // prettier-ignore
  const INVALID: [string, string][] = [
    ['(a', 'missing closing ): `(a`'],
    ['a)', 'unexpected ): `a)`'],
    ['[a', 'missing closing ]: `[a`'],
    ['[z-a]', 'invalid character class range: `z-a`'],
    ['a**', 'invalid nested repetition operator: `**`'],
    ['a{2}{3}', 'invalid nested repetition operator: `{2}{3}`'],
    ['*a', 'missing argument to repetition operator: `*`'],
    ['(?i)*', 'missing argument to repetition operator: `*`'],
    ['a{1001}', 'invalid repeat count: `{1001}`'],
    ['(a{10}){200}', 'invalid repeat count: `{200}`'],
    ['x{2,1}', 'invalid repeat count: `{2,1}`'],
    ['\\1', 'invalid escape sequence: `\\1`'],
    ['\\8', 'invalid escape sequence: `\\8`'],
    ['\\C', 'invalid escape sequence: `\\C`'],
    ['[\\b]', 'invalid escape sequence: `\\b`'],
    ['[a-\\d]', 'invalid escape sequence: `\\d`'],
    ['\\e', 'invalid escape sequence: `\\e`'],
    ['\\x{110000}', 'invalid escape sequence: `\\x{110000`'],
    ['(?=a)', 'invalid or unsupported Perl syntax: `(?=`'],
    ['(?x)a', 'invalid or unsupported Perl syntax: `(?x`'],
    ['(?i-)a', 'invalid or unsupported Perl syntax: `(?i-)`'],
    ['(?P=name)', 'invalid or unsupported Perl syntax: `(?P`'],
    ['(?P<n!>a)', 'invalid named capture: `(?P<n!>`'],
    ['\\pX', 'invalid character class range: `\\pX`'],
    ['\\p{greek}', 'invalid character class range: `\\p{greek}`'],
    ['[[:foo:]]', 'invalid character class range: `[:foo:]`'],
    ['x\\', 'trailing backslash at end of expression'],
  ];
  it.each(INVALID)('rejects %j as RE2 does', (pattern, reason) => {
    const error = catchError(() => translateRe2(pattern));
    expect(error).toBeInstanceOf(Re2SyntaxError);
    expect((error as Re2SyntaxError).reason).toBe(reason);
  });

  it('names what JavaScript cannot express', () => {
    for (const [pattern, why] of [
      ['\\p{Notascript}', /does not know the Unicode script in \\p\{Notascript\}/],
      ['(?:a?){0,200}', /repetition \{0,200\} of something that can match nothing/],
    ] as const) {
      const error = catchError(() => translateRe2(pattern));
      expect(error).toBeInstanceOf(Re2TranslationError);
      expect((error as Re2TranslationError).reason).toMatch(why);
    }
  });
});

describe('translateRe2Rule', () => {
  /** The secret of each match, as the engine picks it: the chosen group, or the whole match. */
  function secrets(pattern: string, text: string, secretGroup = 0): (string | undefined)[] {
    const t = translateRe2Rule(pattern, secretGroup);
    return [...text.matchAll(new RegExp(t.source, `${t.flags}g`))].map((m) => m[t.secretGroup]);
  }

  it('takes the whole match without groups, and group 1 when it always holds text', () => {
    expect(translateRe2Rule('key=\\w+')).toMatchObject({ groups: 0, secretGroup: 0 });
    expect(translateRe2Rule('key=(\\w+)')).toMatchObject({ groups: 1, secretGroup: 1 });
    // gitleaks takes the first non-empty group, which here is always the outer one.
    expect(translateRe2Rule('((live|test)_[a-f0-9]{4})')).toMatchObject({ groups: 2, secretGroup: 1 });
    expect(secrets('sonar[_.-]?(login|token)=([a-z0-9]{4})', 'sonar_token=ab12')).toEqual(['token']);
  });

  it('keeps an explicit secretGroup', () => {
    expect(translateRe2Rule('(a)(b)', 2)).toMatchObject({ groups: 2, secretGroup: 2 });
    expect(secrets('(sonar)_(\\w+)', 'sonar_x1', 2)).toEqual(['x1']);
  });

  it('copies whichever alternative group matched into one group, at its own position', () => {
    const pattern = 'user=(\\w+);|pass=(\\w+)(?:;|$)|(?:Bearer|Token) ((?:a|b)\\w*)"';
    const t = translateRe2Rule(pattern);
    expect(t.groups).toBe(3);
    const re = new RegExp(t.source, `${t.flags}gd`);
    const found = [...'user=u1; pass=p2; Token bz9"'.matchAll(re)].map((m) => [
      m[t.secretGroup],
      m.indices![t.secretGroup]![0],
    ]);
    expect(found).toEqual([
      ['u1', 5],
      ['p2', 14],
      ['bz9', 24],
    ]);
  });

  it('handles alternatives nested in alternatives, each followed by text', () => {
    const pattern =
      '\\bcurl (?:"(?:Basic ([a-z]+)|Bearer ([a-z]+))"|\'(?:Basic ([a-z]+)|Bearer ([a-z]+))\')\\s';
    expect(secrets(pattern, `curl "Bearer abc" curl 'Basic def' `)).toEqual(['abc', 'def']);
  });

  it('asks for secretGroup when the first non-empty group depends on the match', () => {
    for (const pattern of ['(a)?(b)', '(a*)(b)', '(?:(a)|(b))+']) {
      const error = catchError(() => translateRe2Rule(pattern));
      expect(error).toBeInstanceOf(Re2TranslationError);
      expect((error as Re2TranslationError).reason).toMatch(/set secretGroup/);
    }
  });
});

function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

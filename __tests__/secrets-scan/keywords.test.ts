import { describe, expect, it } from '@jest/globals';
import { KeywordMatcher } from '../../src/secrets-scan/keywords.js';

/** What the matcher must equal: one lowercased copy, one `includes` per keyword. */
const naive = (keywords: readonly string[], text: string) => {
  const lower = text.toLowerCase();
  return Uint8Array.from(keywords, (k) => (lower.includes(k.toLowerCase()) ? 1 : 0));
};

const found = (keywords: string[], text: string) => {
  const result = new KeywordMatcher(keywords).matchAll(text);
  return keywords.filter((_, i) => result[i] === 1);
};

/** mulberry32: the randomized cases are the same on every run. */
function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (n: number) => Math.floor(next() * n) };
}

describe('KeywordMatcher', () => {
  it('finds keywords whatever their case, and only those present', () => {
    expect(found(['akia', 'password', 'ghp_', 'xoxb-'], 'ID=AKIA1234 PassWord: x')).toEqual([
      'akia',
      'password',
    ]);
  });

  it('finds overlapping keywords, and keywords that are prefixes or suffixes of others', () => {
    const keywords = ['he', 'she', 'his', 'hers', 'sk', 'sk-', 'sk-ant-', 'k-a', 'ant', 'x'];
    expect(found(keywords, 'USHERS')).toEqual(['he', 'she', 'hers']);
    expect(found(keywords, 'key=SK-ANT-abc')).toEqual(['sk', 'sk-', 'sk-ant-', 'k-a', 'ant']);
    // A failed longer match must not hide a shorter keyword that starts inside it.
    expect(found(['abcd', 'bce'], 'abce')).toEqual(['bce']);
    expect(found(['aab', 'ab'], 'aaab')).toEqual(['aab', 'ab']);
  });

  it('answers for every keyword given, duplicates and uppercase ones included', () => {
    expect(new KeywordMatcher(['sk', 'SK', 'dd', 'sk']).matchAll('task')).toEqual(
      Uint8Array.from([1, 1, 0, 1]),
    );
  });

  it('handles no keywords, an empty keyword and an empty text as includes() does', () => {
    expect(new KeywordMatcher([]).matchAll('anything')).toEqual(new Uint8Array(0));
    expect(new KeywordMatcher(['', 'a']).matchAll('')).toEqual(Uint8Array.from([1, 0]));
    expect(new KeywordMatcher(['', 'a']).matchAll('A')).toEqual(Uint8Array.from([1, 1]));
  });

  it('rejects a keyword that is not a string, naming it', () => {
    expect(() => new KeywordMatcher(['a', 3 as unknown as string])).toThrow('Keyword 1 is not a string');
  });

  it('gives the same answer for each text when reused', () => {
    const matcher = new KeywordMatcher(['sk', 'dd', 'aws']);
    expect(matcher.matchAll('task')).toEqual(Uint8Array.from([1, 0, 0]));
    expect(matcher.matchAll('address AWS')).toEqual(Uint8Array.from([0, 1, 1]));
    expect(matcher.matchAll('none')).toEqual(Uint8Array.from([0, 0, 0]));
  });

  it('stops reading once every keyword has been seen', () => {
    let reads = 0;
    const body = `AWS sk ${'x'.repeat(10000)}`;
    // A String object whose reads are counted (the matcher reads with charCodeAt).
    const text = Object.assign(new String(body), {
      charCodeAt(i: number) {
        reads++;
        return body.charCodeAt(i);
      },
    }) as unknown as string;
    expect(new KeywordMatcher(['aws', 'sk']).matchAll(text)).toEqual(Uint8Array.from([1, 1]));
    expect(reads).toBeLessThan(20);
    reads = 0;
    expect(new KeywordMatcher(['aws', 'sk', 'zz']).matchAll(text)).toEqual(Uint8Array.from([1, 1, 0]));
    expect(reads).toBe(body.length);
  });

  describe('text outside ASCII, as toLowerCase() lowercases it', () => {
    const cases: [string, string[], string][] = [
      ['the Kelvin sign lowercases to ASCII k', ['sk', 'k'], 'TAS\u212A'],
      ['İ lowercases to i and a combining dot', ['hi', 'i\u0307s', 'hi\u0307'], 'HİS'],
      ['a capital sigma ends a word as ς', ['ας', 'ασ'], 'ΑΣ ok'],
      ['a capital sigma inside a word is σ', ['ας', 'ασ'], 'ΑΣΑ'],
      ['letters with accents', ['größe', 'grösse', 'é'], 'GRÖßE CAFÉ'],
      ['astral letters lowercase as one code point', ['\u{10428}x', '\u{10400}'], '\u{10400}X'],
      [
        'emoji and lone surrogates are left as they are',
        ['a\u{1F680}b', '\ud800z', '\udc00'],
        'A\u{1F680}B \ud800Z',
      ],
      ['a keyword ending in a surrogate', ['\ud801'], '\u{10400}'],
      ['CJK text around a keyword', ['token', '日本'], '日本語 TOKEN 語'],
    ];
    it.each(cases)('%s', (_, keywords, text) => {
      expect(new KeywordMatcher(keywords).matchAll(text)).toEqual(naive(keywords, text));
      expect(naive(keywords, text)).toContain(1);
    });

    it('agrees with toLowerCase() for every code point, alone and between letters', () => {
      // Every BMP character and every astral one that has a lowercase, in groups of 512: each
      // character alone, and between letters (where Σ is not final), as keywords and in the text.
      const chars: string[] = [];
      for (let cp = 0x80; cp < 0x110000; cp++) {
        if (cp >= 0xd800 && cp < 0xe000) continue;
        const ch = String.fromCodePoint(cp);
        if (cp < 0x10000 || ch.toLowerCase() !== ch || ch.toUpperCase() !== ch) chars.push(ch);
      }
      let mismatches = 0;
      for (let i = 0; i < chars.length; i += 512) {
        const group = chars.slice(i, i + 512);
        const keywords = group.flatMap((ch) => [ch.toLowerCase(), `q${ch}q`.toLowerCase()]);
        const text = group.map((ch) => `${ch} q${ch}q ${ch.toUpperCase()}`).join(' ');
        const expected = naive(keywords, text);
        const actual = new KeywordMatcher(keywords).matchAll(text);
        for (let k = 0; k < keywords.length; k++) if (actual[k] !== expected[k]) mismatches++;
      }
      expect(chars.length).toBeGreaterThan(60000);
      expect(mismatches).toBe(0);
    });
  });

  it('agrees with a lowercased copy and includes() on random texts and keywords', () => {
    const r = rng(20240611);
    // ASCII in both cases, and the characters whose lowercasing is not one unit for one unit.
    const alphabet = [
      ...'abcAB_-.:/ ',
      'K',
      'İ',
      'i',
      '\u0307',
      'Σ',
      'σ',
      'ς',
      'ß',
      'Ö',
      'ö',
      '\u{10400}',
      '\u{10428}',
      '\u{1F680}',
      '\ud800',
      '\udc00',
      '日',
    ];
    const randomText = (n: number) =>
      Array.from({ length: n }, () => alphabet[r.int(alphabet.length)]).join('');
    let cases = 0;
    for (let round = 0; round < 400; round++) {
      const text = randomText(r.int(200));
      const keywords = Array.from({ length: 1 + r.int(12) }, () => {
        // Half are pieces of the text (present, in some case), half random (mostly absent).
        if (r.next() < 0.5 && text.length > 0) {
          const start = r.int(text.length);
          return text.slice(start, start + 1 + r.int(6));
        }
        return randomText(1 + r.int(4));
      });
      const matcher = new KeywordMatcher(keywords);
      expect([round, matcher.matchAll(text)]).toEqual([round, naive(keywords, text)]);
      // The same matcher on another text: nothing is carried over.
      const other = randomText(r.int(100));
      expect([round, matcher.matchAll(other)]).toEqual([round, naive(keywords, other)]);
      cases += 2;
    }
    expect(cases).toBe(800);
  });

  it('agrees with includes() on ASCII source text with many keywords', () => {
    const r = rng(7);
    const words = ['task', 'address', 'password', 'AWS_KEY', 'https://x', 'sk-', 'token', 'pwd', 'eyJ', '\n'];
    const text = Array.from({ length: 5000 }, () => words[r.int(words.length)]).join(' ');
    const keywords = [
      'sk',
      'dd',
      'password',
      'aws',
      '://',
      'sk-proj-',
      'eyj',
      'token',
      'pwd',
      'ghp_',
      'akia',
      'q~',
    ];
    expect(new KeywordMatcher(keywords).matchAll(text)).toEqual(naive(keywords, text));
  });
});

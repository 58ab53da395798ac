import { createHash } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import {
  compileRules,
  fingerprint,
  guessable,
  prefilter,
  redact,
  scanContent,
} from '../../src/secrets-scan/engine.js';
import { isPlaceholder, shannonEntropy } from '../../src/secrets-scan/placeholders.js';
import type { Allowlist, SecretRule } from '../../src/secrets-scan/types.js';

const rule = (over: Partial<SecretRule>): SecretRule => ({
  id: 'test-token',
  title: 'Test token',
  description: 'A token for tests.',
  severity: 'high',
  keywords: ['tok_'],
  regex: /\b(tok_[A-Za-z0-9]{16})\b/,
  ...over,
});

const body = 'Qw3rTy9ZpL2mN8vB';

describe('scanContent', () => {
  const set = compileRules([rule({})]);

  it('reports the line and the column of the secret group, 1-based', () => {
    const text = `first line\n  key = "tok_${body}"\n`;
    const [f] = scanContent(text, 'dir/config.txt', set);
    expect(f).toMatchObject({
      ruleId: 'test-token',
      path: 'dir/config.txt',
      line: 2,
      column: 10,
      endLine: 2,
      endColumn: 30,
      secret: `tok_${body}`,
    });
  });

  it('finds every occurrence, sorted by position', () => {
    const text = `tok_${body} and tok_${body.split('').reverse().join('')}\nagain tok_${body}`;
    expect(scanContent(text, 'f', set).map((f) => [f.line, f.column])).toEqual([
      [1, 1],
      [1, 26],
      [2, 7],
    ]);
  });

  it('reports a secret that spans lines with its end line', () => {
    const multi = compileRules([
      rule({ id: 'block', keywords: ['begin'], regex: /BEGIN\n([A-Za-z0-9\n]{20,})\nEND/ }),
    ]);
    const [f] = scanContent(`x\nBEGIN\nQw3rTy9ZpL\nKlMnOpQrSt\nEND\n`, 'k', multi);
    expect(f).toMatchObject({ line: 3, column: 1, endLine: 4, endColumn: 11 });
  });

  it('uses the capture group named by secretGroup', () => {
    const s = compileRules([rule({ regex: /(key)=(tok_[A-Za-z0-9]{16})/, secretGroup: 2 })]);
    expect(scanContent(`key=tok_${body}`, 'f', s)[0]?.secret).toBe(`tok_${body}`);
  });

  it('drops matches below the entropy threshold', () => {
    const s = compileRules([rule({ entropy: 3.5 })]);
    expect(scanContent('tok_abababababababab', 'f', s)).toEqual([]);
    expect(scanContent(`tok_${body}`, 'f', s)).toHaveLength(1);
  });

  it('drops matches the rule validator rejects', () => {
    const s = compileRules([rule({ validate: (secret) => secret.endsWith('B') })]);
    expect(scanContent(`tok_${body}`, 'f', s)).toHaveLength(1);
    expect(scanContent(`tok_${body.slice(0, 15)}C`, 'f', s)).toEqual([]);
  });

  it('drops placeholders', () => {
    expect(scanContent('tok_EXAMPLEexample12', 'f', set)).toEqual([]);
  });

  it('gives a span matched by two rules to the first rule only', () => {
    const s = compileRules([rule({ id: 'specific' }), rule({ id: 'generic', keywords: ['tok'] })]);
    expect(scanContent(`tok_${body}`, 'f', s).map((f) => f.ruleId)).toEqual(['specific']);
  });

  it('keeps case-insensitive flags of a rule', () => {
    const s = compileRules([rule({ regex: /\b(tok_[a-z0-9]{16})\b/i })]);
    expect(scanContent(`TOK_${body}`, 'f', s)).toHaveLength(1);
  });
});

describe('prefilter', () => {
  const set = compileRules([
    rule({ id: 'a', keywords: ['alpha'] }),
    rule({ id: 'b', keywords: ['beta', 'gamma'] }),
    rule({ id: 'c', keywords: ['gamma'] }),
  ]);
  it.each([
    ['nothing here', []],
    ['ALPHA upper case', ['a']],
    ['gamma', ['b', 'c']],
    ['beta alpha', ['a', 'b']],
  ])('%s → %j', (text, ids) => {
    expect(prefilter(text, set).map((r) => r.rule.id)).toEqual(ids);
  });
});

describe('compileRules', () => {
  it('refuses duplicate ids', () => {
    expect(() => compileRules([rule({}), rule({})])).toThrow('Duplicate secret rule id test-token');
  });

  it('runs a configured rule without keywords on every file', () => {
    const set = compileRules([rule({ keywords: [] })]);
    expect(prefilter('anything', set).map((r) => r.rule.id)).toEqual(['test-token']);
    expect(scanContent(`x = tok_${body}`, 'a', set)).toHaveLength(1);
  });
});

const allowlist = (over: Partial<Allowlist>): Allowlist => ({
  condition: 'OR',
  paths: [],
  regexes: [],
  regexTarget: 'secret',
  stopwords: [],
  commits: [],
  ...over,
});

describe('inline allow comments', () => {
  const set = compileRules([rule({})]);
  it.each([
    `key = "tok_${body}" # imagepipe:allow test fixture`,
    `key = "tok_${body}" // gitleaks:allow`,
    `key = "tok_${body}" # trufflehog:ignore`,
    `key = "tok_${body}"  # pragma: allowlist secret`,
    `# imagepipe:allow-next-line\nkey = "tok_${body}"`,
    `# pragma: allowlist nextline secret\nkey = "tok_${body}"`,
  ])('suppress, in source, the finding on the line: %s', (text) => {
    const [f] = scanContent(text, 'a.py', set);
    expect(f?.suppression).toEqual({
      kind: 'inSource',
      justification: expect.stringMatching(/^allowed inline with /),
    });
  });

  it('do not reach other lines', () => {
    const text = `a = "tok_${body}" # imagepipe:allow\nb = "tok_${body.toLowerCase()}"\n# imagepipe:allow-next-line\n\nc = "tok_${body.toUpperCase()}"`;
    expect(scanContent(text, 'a.py', set).map((f) => [f.line, f.suppression?.kind])).toEqual([
      [1, 'inSource'],
      [2, undefined],
      [5, undefined],
    ]);
  });
});

describe('allowlists and path rules', () => {
  const text = `key = "tok_${body}"\nother = "tok_${'Zz'.repeat(8)}"\n`;
  const count = (set: ReturnType<typeof compileRules>, path = 'src/a.env', commit?: string) => {
    const counts = { allowlisted: 0, overBudget: 0 };
    const found = scanContent(text, path, set, {
      counts,
      commit: commit ? { sha: commit, author: 'A', email: 'a@b', date: '2026-01-01T00:00:00Z' } : undefined,
    });
    return [found.length, counts.allowlisted];
  };

  it('drop matches a global allowlist allows, and count them', () => {
    expect(count(compileRules([rule({})]))).toEqual([2, 0]);
    expect(count(compileRules([rule({})], [allowlist({ regexes: [/Zz/] })]))).toEqual([1, 1]);
    expect(count(compileRules([rule({})], [allowlist({ stopwords: ['zzzz'] })]))).toEqual([1, 1]);
    expect(
      count(compileRules([rule({})], [allowlist({ regexTarget: 'line', regexes: [/^other/] })])),
    ).toEqual([1, 1]);
    expect(
      count(compileRules([rule({})], [allowlist({ regexTarget: 'match', regexes: [/^tok_Q/] })])),
    ).toEqual([1, 1]);
    expect(count(compileRules([rule({})], [allowlist({ paths: [/^src\//] })]))).toEqual([0, 1]);
    expect(count(compileRules([rule({})], [allowlist({ paths: [/^test\//] })]))).toEqual([2, 0]);
  });

  it('AND needs every criterion given; commits match by prefix', () => {
    const and = allowlist({ condition: 'AND', paths: [/\.env$/], stopwords: ['zzzz'] });
    expect(count(compileRules([rule({})], [and]))).toEqual([1, 1]);
    expect(count(compileRules([rule({})], [and]), 'src/a.txt')).toEqual([2, 0]);
    const commits = allowlist({ commits: ['0a1b2c'] });
    expect(count(compileRules([rule({})], [commits]), 'a', '0a1b2c3d4e')).toEqual([0, 2]);
    expect(count(compileRules([rule({})], [commits]), 'a', 'ffff')).toEqual([2, 0]);
    expect(count(compileRules([rule({})], [commits]))).toEqual([2, 0]);
  });

  it('apply a rule-level allowlist to its rule only', () => {
    const set = compileRules([rule({ allowlists: [allowlist({ stopwords: ['zzzz'] })] })]);
    expect(count(set)).toEqual([1, 1]);
  });

  it('restrict a rule to the paths it names, and report a path-only rule once per file', () => {
    expect(count(compileRules([rule({ path: /\.env$/ })]))).toEqual([2, 0]);
    expect(count(compileRules([rule({ path: /\.json$/ })]))).toEqual([0, 0]);
    const pathOnly = compileRules([
      rule({ id: 'pypirc', keywords: [], path: /(^|\/)\.pypirc$/, pathOnly: true, regex: /(?:)/ }),
    ]);
    const [f, ...rest] = scanContent('[pypi]\npassword = x\n', 'home/.pypirc', pathOnly);
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ ruleId: 'pypirc', line: 1, column: 1, endColumn: 7, redacted: 'home/.pypirc' });
    expect(scanContent('x', 'home/pypirc.txt', pathOnly)).toEqual([]);
  });

  it('map lines of joined added text back to the file', () => {
    const found = scanContent(text, 'a', compileRules([rule({})]), { lineMap: [10, 42] });
    expect(found.map((f) => [f.line, f.endLine])).toEqual([
      [10, 10],
      [42, 42],
    ]);
  });

  it('stop a file at the time budget and count it', () => {
    const counts = { allowlisted: 0, overBudget: 0 };
    const found = scanContent(text, 'a', compileRules([rule({})]), { budgetMs: -1, counts });
    expect(found).toEqual([]);
    expect(counts.overBudget).toBe(1);
  });
});

describe('redact and fingerprint', () => {
  it('shows the length, and the type marker only for rules whose secrets start with a public one', () => {
    const token = { keywords: ['tok_'], publicPrefix: true };
    expect(redact(`tok_${body}`, token)).toBe('tok_…(20 chars)');
    expect(redact(`TOK_${body}`, token)).toBe('TOK_…(20 chars)');
    const awsKeyId = ['AKIA', 'Q3VZ7RTM', 'PL2XWN4K'].join('');
    expect(redact(awsKeyId, { keywords: ['akia', 'asia'], publicPrefix: true })).toBe('AKIA…(20 chars)');
    // A password or a generic value shows nothing of itself, even when it starts with a keyword.
    expect(redact('secretK8s7Xq2mZ9', { keywords: ['secret', 'token'] })).toBe('…(16 chars)');
    expect(redact('hunter22')).toBe('…(8 chars)');
    // Keywords shorter than 3 characters are never shown; nor more than half a short secret.
    expect(redact('sk0f3a9c1b7e4d2a8f6c5b3e1d9a7c4f', { keywords: ['sk'], publicPrefix: true })).toBe(
      '…(32 chars)',
    );
    expect(redact('key-ab', { keywords: ['key-'], publicPrefix: true })).toBe('key…(6 chars)');
    expect(scanContent(`tok_${body}`, 'f', compileRules([rule({ publicPrefix: true })]))[0]?.redacted).toBe(
      'tok_…(20 chars)',
    );
    expect(scanContent(`tok_${body}`, 'f', compileRules([rule({})]))[0]?.redacted).toBe('…(20 chars)');
  });

  it('does not hand out a cheap check for a guessable secret', () => {
    // A plain SHA-256 of rule, path and a weak password can be matched against a dictionary in
    // microseconds; the published fingerprint must not be that hash.
    const weak = 'Tr0ub4d';
    const plain = createHash('sha256').update(`r\0p\0${weak}`).digest('hex').slice(0, 32);
    expect(fingerprint('r', 'p', weak)).not.toBe(plain);
    expect(fingerprint('r', 'p', weak)).toBe(fingerprint('r', 'p', weak));
    expect(fingerprint('r', 'p', `${weak}!`)).not.toBe(fingerprint('r', 'p', weak));
  });

  it('treats every secret without a public prefix, up to 64 characters, as guessable', () => {
    expect(guessable({}, 'ThisIsMyVeryLongCompanyPassword2024!')).toBe(true);
    expect(guessable({ publicPrefix: true }, `ghp_${body}${body}`)).toBe(false);
    expect(guessable({}, 'b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW')).toBe(
      false,
    );
    const phrase = 'Welcome2Acme-Production-Database!';
    const plain = createHash('sha256')
      .update(`imagepipe/v1\0r\0p`)
      .update(createHash('sha256').update(phrase).digest())
      .digest('hex');
    expect(fingerprint('r', 'p', phrase)).not.toBe(plain.slice(0, 32));
  });

  it('ignores a UTF-8 byte-order mark when counting columns', () => {
    const [f] = scanContent(`\ufeffkey=tok_${body}\n`, 'f', compileRules([rule({})]));
    expect(f).toMatchObject({ line: 1, column: 5 });
  });

  it('depends on rule, path and secret but not on the line', () => {
    const a = fingerprint('r', 'p', 's1');
    expect(a).toMatch(/^[0-9a-f]{32}$/);
    expect(fingerprint('r', 'p', 's1')).toBe(a);
    expect(fingerprint('r', 'p', 's2')).not.toBe(a);
    expect(fingerprint('r', 'q', 's1')).not.toBe(a);
    expect(fingerprint('x', 'p', 's1')).not.toBe(a);
    const set = compileRules([rule({})]);
    const [before] = scanContent(`tok_${body}`, 'f', set);
    const [after] = scanContent(`\n\n  tok_${body}`, 'f', set);
    expect(after!.fingerprint).toBe(before!.fingerprint);
  });
});

describe('isPlaceholder', () => {
  it.each([
    'AKIAIOSFODNN7EXAMPLE',
    'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    '${GITHUB_TOKEN}',
    '${{ secrets.NPM_TOKEN }}',
    '{{ api_key }}',
    '<your-token>',
    'xxxxxxxxxxxxxxxxxxxx',
    '$DB_PASSWORD',
    '$(DB_PASSWORD)',
    'prefix-$(shell cat key)',
    '%(password)s',
    '********',
    'your_api_key_here',
    'changeme',
    'aaaaaaaaaaaaaaaa',
  ])('%s is a placeholder', (value) => {
    expect(isPlaceholder(value)).toBe(true);
  });

  it.each([
    `tok_${body}`,
    'hunter2!Zx',
    'wJalrXUtnFEMIK7MDENGbPxRfiCYzQ8vLm3nTbEs',
    // Django's key alphabet has $ ( ) %: punctuation inside $( ) is not a template.
    'k9$(+x)q2!v%(=m)s7b',
  ])('%s is not', (value) => {
    expect(isPlaceholder(value)).toBe(false);
  });

  it('judges a long or multi-line body (a key) by the unmistakable markers only', () => {
    // Unencrypted OpenSSH keys hold a run of ten As; random base64 can spell "todo" or "<a@b>".
    const key = `-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\nQ8vLm3nTodoEs<a@b>\n-----END OPENSSH PRIVATE KEY-----`;
    expect(isPlaceholder(key)).toBe(false);
    expect(isPlaceholder(key.replace('Q8vLm3n', 'Q8v...'))).toBe(true);
    expect(isPlaceholder(`${key}EXAMPLE`)).toBe(true);
    expect(isPlaceholder('${PRIVATE_KEY}'.padEnd(120, 'x'))).toBe(true);
  });
});

describe('shannonEntropy', () => {
  it.each([
    ['', 0],
    ['aaaa', 0],
    ['abab', 1],
    ['abcd', 2],
  ])('%j → %d bits', (text, bits) => {
    expect(shannonEntropy(text)).toBeCloseTo(bits);
  });
});

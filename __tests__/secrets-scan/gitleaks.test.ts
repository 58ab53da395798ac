import * as path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { isUserError } from '../../src/core/errors.js';
import { loadSecretsConfig } from '../../src/secrets-scan/config.js';
import { parseGitleaksConfig } from '../../src/secrets-scan/gitleaks.js';
import { shannonEntropy } from '../../src/secrets-scan/placeholders.js';
import { BUILTIN_RULES } from '../../src/secrets-scan/rules.js';
import type { SecretRule } from '../../src/secrets-scan/types.js';
import { tmpDir, writeTree } from '../helpers/tmp.js';

const FIXTURES = path.resolve('__tests__/fixtures/secrets-config');
/** Fake secrets, assembled so that no key-shaped literal sits in this file. */
const BODY = ['q8vt2mkp', '9lrx4swn', '6ybj3hfd', '7gce1auq'].join('');
const HEX = ['9F86D081', '884C7D65', '9A2FEAA0'].join('');

const parse = (text: string, file = '/nowhere/.gitleaks.toml') =>
  parseGitleaksConfig(text, file, { displayName: '.gitleaks.toml' });

/** The secret the engine takes from the first match: the rule's group, or the whole match. */
function secretOf(rule: SecretRule, text: string): string | undefined {
  const m = new RegExp(rule.regex.source, `${rule.regex.flags}gd`).exec(text);
  return m?.[rule.secretGroup ?? 0];
}

function userError(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(isUserError(error)).toBe(true);
    expect((error as Error).message).not.toMatch(/\n\s+at /);
    return (error as Error).message;
  }
  throw new Error('expected a UserError');
}

describe('parseGitleaksConfig', () => {
  it('reads rules, both allowlist forms, targetRules and an extended file', async () => {
    const config = await loadSecretsConfig(path.join(FIXTURES, 'gitleaks/.gitleaks.toml'), {
      displayName: '.gitleaks.toml',
    });
    // base.toml sets useDefault: the built-in rules stay on, and both files' disabledRules apply.
    expect(config).toMatchObject({
      file: '.gitleaks.toml',
      format: 'gitleaks',
      useDefault: true,
      disabledRules: ['base-noisy-rule', 'jwt'],
      entropy: {},
    });
    expect(config.rules.map((r) => r.id)).toEqual([
      'acme-api-key',
      'internal-token',
      'pem-in-config',
      'base-shared-rule',
      'github-pat',
    ]);
    expect(config.skippedRules).toEqual([
      {
        id: 'vendor-key-or-token',
        reason: expect.stringMatching(/first of its 2 capture groups.*set secretGroup/),
      },
    ]);
    const byId = Object.fromEntries(config.rules.map((r) => [r.id, r])) as Record<string, SecretRule>;

    const acme = byId['acme-api-key']!;
    expect(acme).toMatchObject({
      title: 'acme-api-key',
      description: 'ACME API key',
      severity: 'high',
      keywords: ['acme_'],
      secretGroup: 1,
      origin: '.gitleaks.toml',
    });
    expect(secretOf(acme, `ACME_${BODY.toUpperCase()};`)).toBe(`ACME_${BODY.toUpperCase()}`);
    expect(acme.allowlists).toEqual([
      {
        condition: 'OR',
        paths: [],
        regexes: [/^acme_0+$/],
        regexTarget: 'secret',
        stopwords: [],
        commits: [],
      },
      {
        description: 'the ACME sandbox key in the docs',
        condition: 'OR',
        paths: [],
        regexes: [/sandbox/],
        regexTarget: 'line',
        stopwords: [],
        commits: [],
      },
    ]);

    const token = byId['internal-token']!;
    expect(token.secretGroup).toBe(1);
    expect(secretOf(token, `auth: ITK-${HEX}\n`)).toBe(HEX);
    expect(token.allowlists).toMatchObject([
      { description: 'tokens in test data', condition: 'AND', regexes: [/# fake/], regexTarget: 'line' },
      { condition: 'OR', stopwords: ['deadbeef'], regexes: [], paths: [] },
    ]);
    expect(token.allowlists![0]!.paths[0]!.test('svc/testdata/keys.txt')).toBe(true);

    const pem = byId['pem-in-config']!;
    expect(pem).toMatchObject({ pathOnly: true, keywords: [] });
    expect(['config/certs/site.PEM', 'src/config/site.pem'].map((p) => pem.path!.test(p))).toEqual([
      true,
      false,
    ]);

    // A rule of the extending file changes the base's rule field by field.
    const shared = byId['base-shared-rule']!;
    expect(shared).toMatchObject({
      description: 'Shared rule, description and a keyword changed here',
      keywords: ['shared_', 'shared-extra'],
      origin: '.gitleaks.toml',
    });
    expect(secretOf(shared, `x shared_${BODY.slice(0, 16)} y`)).toBe(`shared_${BODY.slice(0, 16)}`);

    // A rule with the id of a built-in rule adds to it (useDefault): regex and checks stay.
    const builtin = BUILTIN_RULES.find((r) => r.id === 'github-pat')!;
    const pat = byId['github-pat']!;
    expect(pat).toMatchObject({ title: builtin.title, severity: builtin.severity, origin: 'base.toml' });
    expect(pat.regex).toBe(builtin.regex);
    expect(pat.allowlists!.at(-1)!.paths[0]!.test('node_modules/@octokit/auth-token/README.md')).toBe(true);

    expect(config.allowlists).toMatchObject([
      { description: 'generated files', condition: 'OR', stopwords: [] },
      { description: 'base global allowlist', condition: 'OR', stopwords: ['example'], paths: [] },
    ]);
    expect(config.allowlists[0]!.paths.map((p) => p.test('web/app.min.js'))).toEqual([true, false]);
  });

  it('replaces the built-in rules without [extend], as gitleaks does', () => {
    const config = parse("[[rules]]\nid = \"acme\"\nregex = '''acme_[a-z0-9]{32}'''\n");
    expect(config).toMatchObject({ useDefault: false, disabledRules: [], allowlists: [], skippedRules: [] });
    expect(config.rules[0]).toMatchObject({
      id: 'acme',
      title: 'acme',
      description: 'Defined in .gitleaks.toml.',
    });
  });

  it('reads keys in any case, as gitleaks does', () => {
    const config = parse(
      '[[Rules]]\nID = "acme"\nRegex = "key=(x)(y)"\nSecretGroup = 2\n[[Rules.Allowlists]]\nregextarget = "match"\nRegexes = ["z"]\n',
    );
    expect(config.rules[0]).toMatchObject({ id: 'acme', secretGroup: 2 });
    expect(config.rules[0]!.allowlists![0]!.regexTarget).toBe('match');
  });

  it('keeps a secret only when its entropy is above the limit, as gitleaks does', () => {
    const [rule] = parse('[[rules]]\nid = "hex"\nregex = "id=([a-h]{8})"\nentropy = 3\n').rules as [
      SecretRule,
    ];
    // Eight distinct characters have exactly 3 bits each: gitleaks drops that secret.
    expect(shannonEntropy('abcdefgh')).toBe(3);
    expect(rule.entropy!).toBeGreaterThan(3);
    expect(rule.entropy! - 3).toBeLessThan(1e-12);
    expect(parse('[[rules]]\nid = "x"\nregex = "x"\nentropy = 0\n').rules[0]!.entropy).toBeUndefined();
  });

  it('takes the secret as gitleaks does: the secretGroup, else the first group with text', () => {
    const rules = parse(`
[[rules]]
id = "whole"
regex = '''tok_[a-z0-9]{8}'''
[[rules]]
id = "explicit"
regex = '''(user)=(\\w+)'''
secretGroup = 2
[[rules]]
id = "outer"
regex = '''((?:live|test)_[a-z0-9]{8})'''
[[rules]]
id = "either"
regex = '''user=(\\w+);|(?:Bearer|Token) ([\\w.]+)"'''
`).rules;
    const [whole, explicit, outer, either] = rules as [SecretRule, SecretRule, SecretRule, SecretRule];
    expect(whole.secretGroup).toBe(0);
    expect(secretOf(whole, `a tok_${BODY.slice(0, 8)} b`)).toBe(`tok_${BODY.slice(0, 8)}`);
    expect(secretOf(explicit, `user=${BODY}`)).toBe(BODY);
    expect(secretOf(outer, `k: live_${BODY.slice(0, 8)}`)).toBe(`live_${BODY.slice(0, 8)}`);
    // Two alternative groups: whichever matched, copied into one group at its own position.
    expect(secretOf(either, `user=${BODY};`)).toBe(BODY);
    const text = `curl -H "Token ${BODY}.x"`;
    const m = new RegExp(either.regex.source, `${either.regex.flags}d`).exec(text)!;
    expect([m[either.secretGroup!], m.indices![either.secretGroup!]![0]]).toEqual([
      `${BODY}.x`,
      text.indexOf(BODY),
    ]);
  });

  it('merges onto a built-in rule: a new regex drops its own checks, keywords and allowlists add', () => {
    const config = parse(`
[extend]
useDefault = true
[[rules]]
id = "github-pat"
regex = '''\\bghp_[a-z0-9]{36}\\b'''
entropy = 4
keywords = ["GHP_", "token"]
[[rules.allowlists]]
stopwords = ["example"]
`);
    const builtin = BUILTIN_RULES.find((r) => r.id === 'github-pat')!;
    const [rule] = config.rules as [SecretRule];
    expect(rule).toMatchObject({ id: 'github-pat', title: builtin.title, origin: '.gitleaks.toml' });
    expect(rule.keywords).toEqual([...new Set([...builtin.keywords, 'ghp_', 'token'])]);
    expect(rule.regex.source).toBe('\\bghp_[0-9a-z]{36}\\b');
    expect(rule.validate).toBeUndefined();
    expect(rule.publicPrefix).toBeUndefined();
    expect(rule.entropy).toBeGreaterThan(4);
    expect(rule.allowlists!.at(-1)!.stopwords).toEqual(['example']);
  });

  it('turns off what it extends, not its own rules', () => {
    const config = parse(
      '[extend]\nuseDefault = true\ndisabledRules = ["jwt", "private-key"]\n[[rules]]\nid = "jwt"\nregex = "eyJ[a-z]{20}"\n',
    );
    expect(config.rules.map((r) => r.id)).toEqual(['jwt']);
    expect(config.disabledRules).toEqual(['private-key']);
  });

  it('reports by id what it cannot use, and why', () => {
    const config = parse(`
[extend]
useDefault = true
[[rules]]
id = "composite"
regex = "a"
[[rules.required]]
id = "part"
[[rules]]
id = "part"
regex = "b"
skipReport = true
[[rules]]
id = "either-part"
regex = '''(a)?(b)'''
[[rules]]
id = "scripts"
regex = '''\\p{Notascript}'''
[[rules]]
id = "generic-api-key"
[[rules.allowlists]]
stopwords = ["example"]
[[allowlists]]
targetRules = ["gitleaks-only-rule", "private-key"]
stopwords = ["x"]
`);
    expect(config.rules.map((r) => r.id)).toEqual(['private-key']);
    expect([...config.skippedRules].sort((a, b) => a.id.localeCompare(b.id))).toEqual([
      {
        id: 'composite',
        reason: 'it is a composite rule ([[rules.required]]), which imagepipe does not support',
      },
      { id: 'either-part', reason: expect.stringMatching(/^its regex cannot run here: .*set secretGroup/) },
      {
        id: 'generic-api-key',
        reason: expect.stringMatching(
          /^it only adjusts a default rule, and 'generic-api-key' is not one of imagepipe's/,
        ),
      },
      {
        id: 'gitleaks-only-rule',
        reason: expect.stringMatching(/^an \[\[allowlists\]\] entry targets it, but/),
      },
      { id: 'part', reason: 'skipReport = true: gitleaks reports it only inside a composite rule' },
      {
        id: 'scripts',
        reason:
          "its regex '''\\p{Notascript}''' cannot run here: this Node.js does not know the Unicode script in \\p{Notascript}",
      },
    ]);
  });

  it('follows [extend] path beside the file, two levels deep as gitleaks', () => {
    const dir = tmpDir();
    writeTree(dir, {
      'a.toml': '[extend]\npath = "sub/b.toml"\n[[rules]]\nid = "a"\nregex = "a"\n',
      'sub/b.toml': '[extend]\npath = "c.toml"\n[[rules]]\nid = "b"\nregex = "b"\n',
      'sub/c.toml': '[[rules]]\nid = "c"\nregex = "c"\n',
      'loop.toml': '[extend]\npath = "loop2.toml"\n',
      'loop2.toml': '[extend]\npath = "loop.toml"\n',
    });
    const config = parseGitleaksConfig(
      '[extend]\npath = "sub/b.toml"\n[[rules]]\nid = "a"\nregex = "a"\n',
      path.join(dir, 'a.toml'),
      { displayName: 'a.toml' },
    );
    expect(config.rules.map((r) => [r.id, r.origin])).toEqual([
      ['a', 'a.toml'],
      ['b', 'sub/b.toml'],
      ['c', 'sub/c.toml'],
    ]);
    expect(config.useDefault).toBe(false);
    // gitleaks ignores an [extend] in the third file (and so a loop ends): here it is an error.
    expect(
      userError(() =>
        parseGitleaksConfig('[extend]\npath = "loop2.toml"\n', path.join(dir, 'loop.toml'), {
          displayName: 'loop.toml',
        }),
      ),
    ).toBe(
      'loop.toml:1: this file is extended two levels deep and extends again. gitleaks ignores [extend] this deep: merge the files.',
    );
  });

  const rules = (body: string) => `[[rules]]\nid = "acme"\n${body}`;
  // [case, file content, the whole message]
  // prettier-ignore
  const ERRORS: [string, string, string][] = [
    ['invalid TOML', rules("regex = '''abc\n"), '.gitleaks.toml:3: invalid TOML: unfinished string. Fix the TOML syntax.'],
    ['an unknown key', rules('regex = "x"\nsecret_group = 1\n'),
      ".gitleaks.toml:4: rule 'acme': unknown key 'secret_group' in [[rules]]. Did you mean 'secretGroup'? Allowed keys: id, description, regex, secretGroup, entropy, keywords, path, tags, allowlist, allowlists, required, skipReport."],
    ['an unknown top key', 'titel = "x"\n',
      ".gitleaks.toml:1: unknown key 'titel' in the configuration. Did you mean 'title'? Allowed keys: title, description, extend, rules, allowlist, allowlists."],
    ['a key twice in two cases', rules('regex = "x"\nRegex = "y"\n'), ".gitleaks.toml:4: rule 'acme': 'regex' is given twice. Keep one."],
    ['a wrong type', rules('regex = "x"\nkeywords = "x"\n'), `.gitleaks.toml:4: rule 'acme': keywords must be a list of strings. Write keywords = ["…"].`],
    ['a non-number entropy', rules('regex = "x"\nentropy = "high"\n'), ".gitleaks.toml:4: rule 'acme': entropy must be a number of 0 or more. Write entropy = 3.5."],
    ['a regex RE2 rejects', rules("regex = '''acme_(?=x)'''\n"),
      ".gitleaks.toml:3: rule 'acme': regex '''acme_(?=x)''' is not valid RE2: invalid or unsupported Perl syntax: `(?=`. Fix it: gitleaks compiles it with Go's regexp package."],
    ['a path RE2 rejects', rules("path = '''[z-a]'''\n"),
      ".gitleaks.toml:3: rule 'acme': path '''[z-a]''' is not valid RE2: invalid character class range: `z-a`. Fix it: gitleaks compiles it with Go's regexp package."],
    ['an allowlist regex RE2 rejects', `${rules('regex = "x"\n')}[[rules.allowlists]]\nregexes = ['''(x''']\n`,
      ".gitleaks.toml:5: rule 'acme': regexes '''(x''' is not valid RE2: missing closing ): `(x`. Fix it: gitleaks compiles it with Go's regexp package."],
    ['duplicate ids', `${rules('regex = "x"\n')}[[rules]]\nid = "acme"\nregex = "y"\n`,
      ".gitleaks.toml:5: rule 'acme': this id is defined twice (also rule #1). Give each rule its own id."],
    ['no id', '[[rules]]\nregex = "x"\n', '.gitleaks.toml:1: rule #1: the rule has no id. Give it one: id = "acme-api-key".'],
    ['neither regex nor path', rules('keywords = ["x"]\n'),
      ".gitleaks.toml:2: rule 'acme': the rule has neither regex nor path, so it would find nothing. Give a regex (or a path)."],
    ['a secretGroup beyond the groups', rules('regex = "x(y)"\nsecretGroup = 3\n'),
      ".gitleaks.toml:3: rule 'acme': secretGroup 3 is more than the 1 capture groups of the regex. Name an existing group."],
    ['both global allowlist forms', '[allowlist]\nstopwords = ["a"]\n[[allowlists]]\nstopwords = ["b"]\n',
      '.gitleaks.toml:1: [allowlist] and [[allowlists]] are both given. Move [allowlist] into [[allowlists]] (gitleaks refuses both).'],
    ['both rule allowlist forms', `${rules('regex = "x"\n')}[rules.allowlist]\nstopwords = ["a"]\n[[rules.allowlists]]\nstopwords = ["b"]\n`,
      ".gitleaks.toml:4: rule 'acme': [rules.allowlist] and [[rules.allowlists]] are both given. Move [rules.allowlist] into [[rules.allowlists]] (gitleaks refuses both)."],
    ['an empty allowlist', `${rules('regex = "x"\n')}[[rules.allowlists]]\ndescription = "nothing"\n`,
      ".gitleaks.toml:4: rule 'acme': the allowlist is empty. Give at least one of commits, paths, regexes or stopwords."],
    ['an unknown condition', '[[allowlists]]\ncondition = "xor"\nstopwords = ["a"]\n', ".gitleaks.toml:2: unknown allowlist condition 'xor'. Use 'and' or 'or'."],
    ['an unknown regexTarget', '[[allowlists]]\nregexTarget = "file"\nregexes = ["a"]\n', ".gitleaks.toml:2: unknown regexTarget 'file'. Use 'secret', 'match' or 'line'."],
    ['a targetRules id no rule has', `${rules('regex = "x"\n')}[[allowlists]]\ntargetRules = ["acm"]\nstopwords = ["a"]\n`,
      ".gitleaks.toml:5: targetRules names rule 'acm', which no rule has. Did you mean 'acme'?"],
    ['extend.path with useDefault', '[extend]\nuseDefault = true\npath = "base.toml"\n',
      '.gitleaks.toml:3: extend.path and extend.useDefault are both set. Keep one: gitleaks refuses both.'],
    ['extend.url', '[extend]\nurl = "https://example.invalid/gitleaks.toml"\n',
      '.gitleaks.toml:2: extend.url is not supported (gitleaks ignores it too). Download the file and name it in extend.path.'],
    ['a missing extended file', '[extend]\npath = "missing.toml"\n',
      '.gitleaks.toml:2: the extended file missing.toml cannot be read (ENOENT). Give its path relative to this file.'],
    ['useDefault not a boolean', '[extend]\nuseDefault = "yes"\n', '.gitleaks.toml:2: useDefault must be true or false. Write useDefault = true.'],
    ['rules not an array of tables', '[rules]\nid = "a"\n',
      '.gitleaks.toml:1: [[rules]] must be an array of tables. Write each entry under its own [[rules]] header.'],
    ['an untranslatable global allowlist', "[[allowlists]]\nregexes = ['''\\p{Notascript}''']\n",
      '.gitleaks.toml:1: a regex of this allowlist cannot run here: this Node.js does not know the Unicode script in \\p{Notascript}. Rewrite it.'],
  ];
  it.each(ERRORS)('reports %s with the file, line, rule and fix', (_, text, message) => {
    expect(userError(() => parse(text))).toBe(message);
  });
});

import * as path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { isUserError } from '../../src/core/errors.js';
import { didYouMean, loadSecretsConfig, parseImagepipeConfig } from '../../src/secrets-scan/config.js';
import { tmpDir, writeTree } from '../helpers/tmp.js';

const FIXTURES = path.resolve('__tests__/fixtures/secrets-config');
/** A fake ACME key, assembled so that no key-shaped literal sits in this file. */
const ACME_BODY = ['Zq8vT2mK', 'p9LrX4sW', 'n6YbJ3hF', 'd7GcE1aQ'].join('');

/** The message of the UserError `fn` throws: one line for the user, never a stack trace. */
function userError(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(isUserError(error)).toBe(true);
    const message = (error as Error).message;
    expect(message).not.toMatch(/\n\s+at /);
    return message;
  }
  throw new Error('expected a UserError');
}

async function userErrorAsync(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isUserError(error)).toBe(true);
  return (error as Error).message;
}

describe('loadSecretsConfig with our YAML format', () => {
  it('reads every key of the format', async () => {
    const config = await loadSecretsConfig(path.join(FIXTURES, 'imagepipe/secrets.yaml'), {
      displayName: '.imagepipe/secrets.yaml',
    });
    expect(config).toMatchObject({
      file: '.imagepipe/secrets.yaml',
      format: 'imagepipe',
      useDefault: true,
      disabledRules: ['generic-secret'],
      entropy: { 'generic-secret': 4.2 },
      skippedRules: [],
    });
    expect(config.rules.map((r) => r.id)).toEqual(['acme-api-key', 'deploy-env-file', 'github-pat']);
    const [acme, envFile, pat] = config.rules as [any, any, any];

    expect(acme).toMatchObject({
      title: 'ACME API key',
      description: 'Revoke it in the ACME console, then rotate it.',
      severity: 'critical',
      keywords: ['acme_'],
      secretGroup: 1,
      entropy: 3.5,
      origin: '.imagepipe/secrets.yaml',
    });
    expect(acme.regex.exec(`key: acme_${ACME_BODY}\n`)?.[1]).toBe(ACME_BODY);
    expect(acme.allowlists).toEqual([
      { condition: 'OR', paths: [], regexes: [/^0+$/], regexTarget: 'secret', stopwords: [], commits: [] },
    ]);

    // A rule with a path and no regex reports files by path alone.
    expect(envFile).toMatchObject({
      title: 'Committed deploy env file',
      description: 'Defined in .imagepipe/secrets.yaml.',
      severity: 'medium',
      keywords: [],
      pathOnly: true,
    });
    expect(envFile.regex.test(`acme_${ACME_BODY}`)).toBe(false);
    expect(['config/prod/app.env', 'config/.hidden/x.env'].map((p) => envFile.path.test(p))).toEqual([
      true,
      true,
    ]);
    expect(['src/config/app.env', 'config/app.env.bak'].map((p) => envFile.path.test(p))).toEqual([
      false,
      false,
    ]);

    // An id of a built-in rule is kept: the engine replaces that rule with this one.
    expect(pat).toMatchObject({ title: 'github-pat', severity: 'high', keywords: ['ghp_'] });
    expect(pat.regex.flags).toBe('i');

    const [main, lines, docs] = config.allowlists as [any, any, any];
    expect(config.allowlists).toHaveLength(3);
    expect(main).toMatchObject({
      description: 'fixtures and test keys',
      condition: 'OR',
      regexes: [/^sk_test_/],
      regexTarget: 'secret',
      stopwords: ['example'],
      commits: ['0a1b2c3'],
    });
    expect(
      ['test/fixtures/a/b.txt', 'test/fixtures/.env', 'src/test/fixtures/a'].map((p) =>
        main.paths[0].test(p),
      ),
    ).toEqual([true, true, false]);
    // `lines` are regexes over the whole line: an allowlist of their own (any entry allows).
    expect(lines).toEqual({
      description: 'fixtures and test keys',
      condition: 'OR',
      paths: [],
      regexes: [/# example/],
      regexTarget: 'line',
      stopwords: [],
      commits: [],
    });
    expect(docs).toMatchObject({ condition: 'AND', regexes: [/placeholder/], regexTarget: 'line' });
    expect(docs.paths[0].test('docs/guide/setup.md')).toBe(true);
  });

  it('tells the formats apart without an extension', async () => {
    const toml = await loadSecretsConfig(path.join(FIXTURES, 'detect/gitleaks-config'));
    const yaml = await loadSecretsConfig(path.join(FIXTURES, 'detect/secrets-config'));
    expect([toml.format, yaml.format]).toEqual(['gitleaks', 'imagepipe']);
    expect(toml.file).toBe(path.join(FIXTURES, 'detect/gitleaks-config'));
  });

  it('reads an empty file, or one of comments, as the defaults', () => {
    for (const text of ['', '# nothing configured yet\n', '\uFEFF'])
      expect(parseImagepipeConfig(text, 'secrets.yaml')).toEqual({
        file: 'secrets.yaml',
        format: 'imagepipe',
        useDefault: true,
        rules: [],
        disabledRules: [],
        allowlists: [],
        entropy: {},
        skippedRules: [],
      });
  });

  it('turns the built-in rules off, lowercases keywords and reads (?i)', () => {
    const config = parseImagepipeConfig(
      "use-default: false\nrules:\n  - id: acme\n    regex: '(?i)acme_[a-z0-9]{32}'\n    keywords: ACME_\n",
      's.yaml',
    );
    expect(config.useDefault).toBe(false);
    const [rule] = config.rules as [any];
    expect(rule.keywords).toEqual(['acme_']);
    expect(rule.regex.test(`ACME_${ACME_BODY}`)).toBe(true);
  });

  it('says when the file is missing or is a folder', async () => {
    const dir = tmpDir();
    expect(
      await userErrorAsync(loadSecretsConfig(path.join(dir, 'none.yaml'), { displayName: 'none.yaml' })),
    ).toBe('none.yaml: file not found. Create it, or give the right path.');
    writeTree(dir, { 'conf.yaml/a': '' });
    expect(
      await userErrorAsync(loadSecretsConfig(path.join(dir, 'conf.yaml'), { displayName: 'conf.yaml' })),
    ).toBe('conf.yaml: is a folder, not a file. Name the file itself.');
  });

  const rule = (body: string) => `rules:\n  - id: acme-key\n${body}`;
  // [case, file content, the whole message]
  // prettier-ignore
  const ERRORS: [string, string, string][] = [
    ['invalid YAML', 'rules:\n  - id: a\n    regex: [x\n',
      'f.yaml:4: invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]. Fix the YAML syntax.'],
    ['a key twice', 'use-default: true\nuse-default: false\n', 'f.yaml:2: invalid YAML: Map keys must be unique. Fix the YAML syntax.'],
    ['not a map', '- a\n', 'f.yaml:1: the configuration must be a map of keys. Use use-default, disable, rules, allow, entropy.'],
    ['unknown key', 'use_default: false\n',
      "f.yaml:1: unknown key 'use_default' in the configuration. Did you mean 'use-default'? Allowed keys: use-default, disable, rules, allow, entropy."],
    ['unknown rule key', rule('    regex: acme\n    secret_group: 1\n'),
      "f.yaml:4: unknown key 'secret_group' in a rule. Did you mean 'secret-group'? Allowed keys: id, title, description, severity, regex, secret-group, keywords, entropy, path, allow."],
    ['unknown allow key', 'allow:\n  value: [x]\n',
      "f.yaml:2: unknown key 'value' in allow. Did you mean 'values'? Allowed keys: description, paths, values, lines, stopwords, commits, condition."],
    ['keywords not a list', rule('    regex: acme\n    keywords: 5\n'),
      "f.yaml:4: rule 'acme-key': keywords must be a list of non-empty strings. Write keywords: ['text', …]."],
    ['regex not a string', rule('    regex: 5\n'), "f.yaml:3: rule 'acme-key': regex must be a string. Write regex: 'text' (quote it)."],
    ['regex that does not compile', rule('    regex: "acme_(["\n'),
      `f.yaml:3: rule 'acme-key': regex 'acme_([' is not a valid JavaScript regex (Invalid regular expression: /acme_([/: Unterminated character class). Fix the regex (JavaScript syntax; a leading (?i) makes it case-insensitive).`],
    ['empty regex', rule("    regex: ''\n"), "f.yaml:3: rule 'acme-key': regex is empty. Give the pattern of the secret."],
    ['no regex or path', rule('    keywords: [a]\n'),
      "f.yaml:2: rule 'acme-key': the rule has no regex. Add regex: (or path: for a rule that reports files by name alone)."],
    ['no id', 'rules:\n  - regex: a\n', 'f.yaml:2: a rule has no id. Give it one: - id: acme-api-key.'],
    ['id not kebab-case', 'rules:\n  - id: AcmeKey\n    regex: a\n',
      "f.yaml:2: rule 'AcmeKey': the id is not kebab-case. Use lowercase letters, digits and single hyphens, e.g. acme-api-key."],
    ['duplicate ids', 'rules:\n  - id: acme-key\n    regex: a\n  - id: acme-key\n    regex: b\n',
      "f.yaml:4: rule 'acme-key': this id is defined twice. Give each rule its own id."],
    ['bad severity', rule('    regex: a\n    severity: urgent\n'),
      "f.yaml:4: rule 'acme-key': unknown severity 'urgent'. Use one of critical, high, medium, low."],
    ['secret-group beyond the groups', rule('    regex: "a(b)"\n    secret-group: 2\n'),
      "f.yaml:4: rule 'acme-key': secret-group 2 is more than the 1 capture groups of the regex. Name an existing group (0 is the whole match)."],
    ['negative entropy', rule('    regex: a\n    entropy: -1\n'),
      "f.yaml:4: rule 'acme-key': entropy must be a number of 0 or more. Write entropy: 3.5."],
    ['use-default not a boolean', 'use-default: yes\n', 'f.yaml:1: use-default must be true or false. Write use-default: true.'],
    ['rules not a list', 'rules: {}\n', 'f.yaml:1: rules must be a list. Write each rule as a list item starting with - id: ….'],
    ['disable of an unknown rule', 'disable: [generic-secrets]\n',
      "f.yaml:1: disable names rule 'generic-secrets', which is neither built in nor defined here. Did you mean 'generic-secret'?"],
    ['entropy of an unknown rule', 'entropy:\n  nope: 3\n',
      "f.yaml:2: entropy names rule 'nope', which is neither built in nor defined here. Check the rule id."],
    ['entropy not a number', 'entropy:\n  generic-secret: high\n',
      "f.yaml:2: entropy for 'generic-secret' must be a number of 0 or more. Write generic-secret: 3.5."],
    ['empty allow', 'allow: {}\n', 'f.yaml:1: allow is empty. Give at least one of paths, values, lines, stopwords, commits.'],
    ['values and lines under and', 'allow:\n  condition: and\n  values: [a]\n  lines: [b]\n',
      'f.yaml:2: with condition: and, values and lines cannot be combined. Split them into two allow entries.'],
    ['bad commit', 'allow:\n  commits: [xyz]\n', "f.yaml:2: 'xyz' is not a commit SHA. Give 4 to 40 hex digits."],
    ['bad condition', 'allow:\n  condition: maybe\n  values: [a]\n',
      "f.yaml:2: unknown allow condition 'maybe'. Use or (any entry allows) or and (all given kinds must match)."],
    ['allow regex that does not compile', rule('    regex: a\n    allow:\n      values: ["(x"]\n'),
      `f.yaml:5: rule 'acme-key': allow values '(x' is not a valid JavaScript regex (Invalid regular expression: /(x/: Unterminated group). Fix the regex (JavaScript syntax; a leading (?i) makes it case-insensitive).`],
  ];
  it.each(ERRORS)('reports %s with the file, line, rule and fix', (_, text, message) => {
    expect(userError(() => parseImagepipeConfig(text, 'f.yaml'))).toBe(message);
  });
});

describe('didYouMean', () => {
  it('suggests a close key, ignoring case, - and _, and a swap of two letters', () => {
    expect(didYouMean('secret_group', ['regex', 'secret-group'])).toBe(" Did you mean 'secret-group'?");
    expect(didYouMean('SecretGroup', ['secret-group'])).toBe(" Did you mean 'secret-group'?");
    expect(didYouMean('titel', ['title', 'rules'])).toBe(" Did you mean 'title'?");
    expect(didYouMean('whatever', ['title', 'rules'])).toBe('');
  });
});

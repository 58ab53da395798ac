import { describe, expect, it } from '@jest/globals';
import { UserError } from '../../src/core/errors.js';
import { unmatchedOnly } from '../../src/packer-build/build.js';
import { looksPlain, looksSecret, parseVariables, redactor } from '../../src/packer-build/variables.js';

describe('the variables input', () => {
  it('reads name=value lines, keeping everything after the first =', () => {
    expect(
      parseVariables('variables', 'region=eu-west-1\n\n# a comment\n  ami_name = golden=v2  \n'),
    ).toEqual([
      ['region', 'eu-west-1'],
      ['ami_name', ' golden=v2'],
    ]);
  });

  it('refuses a malformed line without quoting any of it, and says a value cannot span lines', () => {
    const pem = 'key=-----BEGIN KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\nkY2VtZXN0aGluZw==\n';
    expect(() => parseVariables('variables', pem)).toThrow(
      new UserError(
        `Invalid line 2 of input 'variables': it has no "=" (the line is not shown, in case it is part of a secret). Write one name=value per line, e.g. region=eu-west-1; a name is letters, digits, _ and -, not starting with a digit. A value cannot span lines: pass a multi-line value in a var file (var-files) or as an environment variable PKR_VAR_<name>.`,
      ),
    );
    expect(() => parseVariables('variables', '9lives=x')).toThrow(
      /^Invalid line 1 of input 'variables': what comes before "=" is not a variable name \(the line is not shown/,
    );
    for (const bad of [pem, '9lives=s3cr3t-value']) {
      try {
        parseVariables('variables', bad);
      } catch (error) {
        expect((error as Error).message).not.toMatch(/MIIE|kY2V|9lives|s3cr3t/);
      }
    }
  });
});

describe('masking', () => {
  it('knows secret-sounding names and values no secret looks like', () => {
    expect(
      ['db_password', 'API_KEY', 'github-token', 'client_secret', 'ssh_private_key'].every(looksSecret),
    ).toBe(true);
    expect(['region', 'ami_name', 'instance_type'].some(looksSecret)).toBe(false);
    expect(['true', 'False', '3600', '-1', '0.5', 'abc'].every(looksPlain)).toBe(true);
    expect(['eu-west-1', 'hunter22', 'ghp_abcdef'].some(looksPlain)).toBe(false);
  });

  it('redacts a value as it is, in packer machine-readable escaping, and JSON-escaped', () => {
    const redact = redactor(['pa,ss\nword', 's3"cr\\et']);
    expect(redact('1,,ui,say,pa%!(PACKER_COMMA)ss\\nword')).toBe('1,,ui,say,***');
    expect(redact('got pa,ss\nword')).toBe('got ***');
    expect(redact('exec: ["packer","-var","x=s3\\"cr\\\\et"]')).toBe('exec: ["packer","-var","x=***"]');
    expect(redact('s3"cr\\et')).toBe('***');
    expect(redactor([])('unchanged')).toBe('unchanged');
  });
});

describe('only', () => {
  it('finds the patterns that match no build, as packer matches them (exact names or globs)', () => {
    const builds = ['amazon-ebs.golden', 'golden.null.one', 'docker.app'];
    expect(unmatchedOnly(['amazon-ebs.*', 'golden.null.one', '*.app'], builds)).toEqual([]);
    expect(unmatchedOnly(['null.one', 'amazon-ebs.golde', 'docker.*', '!docker.app'], builds)).toEqual([
      'null.one',
      'amazon-ebs.golde',
      '!docker.app',
    ]);
    // A JSON template's names are matched exactly.
    expect(unmatchedOnly(['f*', 'first'], ['first'], false)).toEqual(['f*']);
  });
});

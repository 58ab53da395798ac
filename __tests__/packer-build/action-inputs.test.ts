import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';
import { getInputs, parseReleasesUrl } from '../../src/packer-build/action.js';
import { tmpDir, writeTree } from '../helpers/tmp.js';

const meta = parse(fs.readFileSync('actions/packer-build/action.yml', 'utf8'));

describe('packer-build action.yml and getInputs()', () => {
  const workspace = tmpDir('pkr-inputs-');
  const temp = tmpDir('pkr-runner-temp-');
  writeTree(workspace, {
    'packer/golden.pkr.hcl': 'source "null" "x" {\n  communicator = "none"\n}\n',
    'packer/ci.pkrvars.hcl': 'a = "1"\n',
  });
  writeTree(temp, { 'secrets.pkrvars.hcl': 'password = "from-secrets"\n' });
  const env = (inputs: Record<string, string>) => {
    const e: Record<string, string> = { GITHUB_WORKSPACE: workspace, RUNNER_TEMP: temp };
    for (const [name, value] of Object.entries(inputs)) e[`INPUT_${name.toUpperCase()}`] = value;
    return e;
  };

  it('declares the inputs getInputs() reads, with the defaults the code applies', () => {
    const defaults: Record<string, string> = {};
    for (const [name, spec] of Object.entries<any>(meta.inputs)) {
      if (name !== 'github-token') defaults[name] = String(spec.default ?? '');
    }
    expect(getInputs(env({ ...defaults, template: 'packer' }))).toEqual(
      getInputs(env({ template: 'packer' })),
    );
  });

  it('reads var-files relative to working-directory, or from the runner temp folder', () => {
    const inputs = getInputs(
      env({
        'working-directory': 'packer',
        'var-files': `ci.pkrvars.hcl\n${path.join(temp, 'secrets.pkrvars.hcl')}`,
      }),
    );
    expect(inputs.template.relative).toBe('packer');
    expect(inputs.varFiles).toEqual([
      path.join(fs.realpathSync(workspace), 'packer/ci.pkrvars.hcl'),
      path.join(temp, 'secrets.pkrvars.hcl'),
    ]);
  });

  it('judges a link in the runner temp folder by where it leads', () => {
    fs.symlinkSync('/etc/passwd', path.join(temp, 'leads-out.pkrvars.hcl'));
    expect(() =>
      getInputs(env({ template: 'packer', 'var-files': path.join(temp, 'leads-out.pkrvars.hcl') })),
    ).toThrow(/for input 'var-files': the path must stay inside the workspace/);
  });

  it.each([
    [
      { template: 'packer', 'var-files': '/etc/passwd' },
      /for input 'var-files': the path must stay inside the workspace/,
    ],
    [
      { template: 'packer', 'var-files': path.join(temp, 'missing.pkrvars.hcl') },
      /for input 'var-files': no such file/,
    ],
    [{ template: 'packer', 'parallel-builds': '-1' }, /input 'parallel-builds'/],
    [{ template: 'packer', force: 'yes' }, /input 'force'/],
    [{ template: 'packer', init: 'always' }, /input 'init': allowed values are auto, true, false/],
  ])('refuses %j', (inputs, message) => {
    expect(() => getInputs(env(inputs))).toThrow(message);
  });

  it('takes releases-url over https, or plain http to this machine only', () => {
    expect(parseReleasesUrl('releases-url', 'https://mirror.example.com/hashicorp/')).toBe(
      'https://mirror.example.com/hashicorp',
    );
    expect(parseReleasesUrl('releases-url', 'http://127.0.0.1:8080')).toBe('http://127.0.0.1:8080');
    expect(parseReleasesUrl('releases-url', 'http://localhost:8080')).toBe('http://localhost:8080');
    expect(() => parseReleasesUrl('releases-url', 'http://mirror.example.com')).toThrow(
      /input 'releases-url': give an https URL/,
    );
    expect(() => parseReleasesUrl('releases-url', 'ftp://x')).toThrow(/input 'releases-url'/);
    expect(() => parseReleasesUrl('releases-url', 'not a url')).toThrow(/input 'releases-url'/);
  });
});

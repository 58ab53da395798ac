import { describe, expect, it } from '@jest/globals';
import {
  CFN_GUARD_DEFAULT_VERSION,
  CFN_GUARD_SHA256,
  cfnGuardPlatform,
  cfnGuardRelease,
  parseCfnGuardVersion,
} from '../../src/core/cfn-guard.js';
import { InputError, UserError } from '../../src/core/errors.js';
import { parseVersion } from '../../src/core/tools.js';

describe('cfn-guard releases', () => {
  it.each([
    ['linux', 'x64', 'x86_64-ubuntu'],
    ['linux', 'arm64', 'aarch64-ubuntu'],
    ['darwin', 'x64', 'x86_64-macos'],
    ['darwin', 'arm64', 'aarch64-macos'],
    ['win32', 'x64', undefined],
    ['linux', 'ia32', undefined],
  ] as const)('%s/%s is the platform %s', (platform, arch, key) => {
    expect(cfnGuardPlatform(platform, arch)).toBe(key);
  });

  it('builds the release URL and takes the pinned checksum', () => {
    expect(cfnGuardRelease({ version: '3.2.0', platform: 'linux', arch: 'x64' })).toEqual({
      tool: 'cfn-guard',
      version: '3.2.0',
      arch: 'x64',
      url: 'https://github.com/aws-cloudformation/cloudformation-guard/releases/download/3.2.0/cfn-guard-v3-x86_64-ubuntu-latest.tar.gz',
      sha256: CFN_GUARD_SHA256['3.2.0']!['x86_64-ubuntu'],
    });
    expect(CFN_GUARD_SHA256[CFN_GUARD_DEFAULT_VERSION]?.['x86_64-ubuntu']).toMatch(/^[0-9a-f]{64}$/);
    for (const platforms of Object.values(CFN_GUARD_SHA256))
      for (const sha of Object.values(platforms)) expect(sha).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses a version or platform without a pinned checksum', () => {
    expect(() => cfnGuardRelease({ version: '3.2.0', platform: 'darwin', arch: 'arm64' })).toThrow(
      /^cfn-guard 3\.2\.0 for aarch64-macos has no pinned SHA-256, so it will not be downloaded\. Put cfn-guard 3\.2\.0 on PATH before this step .* or set cfn-guard-version to one with a pinned checksum: 3\.2\.0, 3\.2\.1\.$/,
    );
    expect(() => cfnGuardRelease({ version: '3.2.0', platform: 'win32', arch: 'x64' })).toThrow(UserError);
    expect(() => cfnGuardRelease({ version: '3.2.0', platform: 'win32', arch: 'x64' })).toThrow(
      /^cfn-guard publishes no release for win32\/x64\. Put cfn-guard on PATH/,
    );
  });

  it('takes an exact 3.x version for cfn-guard-version', () => {
    expect(parseCfnGuardVersion('cfn-guard-version', '3.1.2')).toBe('3.1.2');
    for (const bad of ['latest', '3.1', 'v3.1.1', '2.1.4', '3.1.1-rc1']) {
      expect(() => parseCfnGuardVersion('cfn-guard-version', bad)).toThrow(InputError);
    }
    expect(() => parseCfnGuardVersion('cfn-guard-version', '2.1.4')).toThrow(
      `Invalid value "2.1.4" for input 'cfn-guard-version': give an exact cfn-guard 3 version such as 3.2.0.`,
    );
  });

  it('reads the version a tool prints', () => {
    expect(parseVersion('cfn-guard 3.1.1\n')).toBe('3.1.1');
    expect(parseVersion('no version here')).toBeUndefined();
  });
});

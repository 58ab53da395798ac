/**
 * The real cfn-guard for tests: the binary that the npm package @cdklabs/cdk-validator-cfnguard
 * ships (cfn-guard 3.1.1 for Linux and macOS), with the AWS Control Tower Guard rules it ships
 * too. The package is not a dependency (its peer aws-cdk-lib is huge): on first use it is fetched
 * with `npm pack` from the npm registry into `.cache/cfn-guard/` (gitignored), so `npm test` and
 * `.ci/run` get it the same way on a fresh clone. The binary's SHA-256 is checked. When it cannot
 * be had, the tests that need it fail; they are never skipped.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const CFN_GUARD_PACKAGE = '@cdklabs/cdk-validator-cfnguard@0.0.62';
export const CFN_GUARD_TEST_VERSION = '3.1.1';

/** SHA-256 of the binaries in that package version, by `<os>/<arch>` as the package lays them out. */
const BINARY_SHA256: Record<string, string> = {
  'ubuntu/x86_64': '9c7a820318676dc7372f6756ddfc7ca5f0c019299fb5505fda6dfd54718c58bd',
  'ubuntu/aarch64': 'f596043df77b6e839759e90e3d08671b5384c6e07d4a9c34f6d0bfbc76148154',
  'macos/x86_64': '3e8118e3c4cd98901b3a21b7037a40674023945349ad4661f1a7101f2d96c31f',
  'macos/aarch64': '89e97faaabb5431bc16d0487b5c8e67573e3f84e397b87985bfb02c2bdd4f46a',
};

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const CACHE = path.join(ROOT, '.cache', 'cfn-guard', CFN_GUARD_PACKAGE.replace(/[@/]/g, '_'));

export interface CfnGuardFixture {
  /** The cfn-guard executable. */
  binary: string;
  /** `rules/control-tower/cfn-guard`: 237 Control Tower Guard rules, one folder per service. */
  controlTowerRules: string;
  version: string;
}

function platformDir(): string {
  const os = process.platform === 'linux' ? 'ubuntu' : process.platform === 'darwin' ? 'macos' : undefined;
  const arch = process.arch === 'x64' ? 'x86_64' : process.arch === 'arm64' ? 'aarch64' : undefined;
  if (!os || !arch)
    throw new Error(`${CFN_GUARD_PACKAGE} ships no cfn-guard for ${process.platform}/${process.arch}`);
  return `${os}/${arch}`;
}

function sha256(file: string): string {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

function fixtureIn(dir: string): CfnGuardFixture {
  return {
    binary: path.join(dir, 'package', 'bin', ...platformDir().split('/'), 'cfn-guard'),
    controlTowerRules: path.join(dir, 'package', 'rules', 'control-tower', 'cfn-guard'),
    version: CFN_GUARD_TEST_VERSION,
  };
}

/** Downloads and unpacks the package into a scratch folder, then moves it into place at once. */
function fetchPackage(): void {
  fs.mkdirSync(path.dirname(CACHE), { recursive: true });
  const scratch = fs.mkdtempSync(`${CACHE}.tmp-`);
  try {
    execFileSync(
      'npm',
      ['pack', CFN_GUARD_PACKAGE, '--pack-destination', scratch, '--silent', '--ignore-scripts'],
      {
        cwd: scratch,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const tarball = fs.readdirSync(scratch).find((f) => f.endsWith('.tgz'));
    if (!tarball) throw new Error('npm pack wrote no tarball');
    const members = [`package/bin/${platformDir()}/cfn-guard`, 'package/rules', 'package/LICENSE'];
    execFileSync('tar', ['-xzf', path.join(scratch, tarball), '-C', scratch, ...members]);
    fs.rmSync(path.join(scratch, tarball));
    try {
      fs.renameSync(scratch, CACHE);
    } catch (error) {
      // Another test worker got there first.
      if (!fs.existsSync(CACHE)) throw error;
    }
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

let cached: CfnGuardFixture | undefined;

/** The cfn-guard binary and rules, fetched on first use. Throws (failing the test) when impossible. */
export function cfnGuard(): CfnGuardFixture {
  if (cached) return cached;
  let fixture = fixtureIn(CACHE);
  if (!fs.existsSync(fixture.binary)) {
    try {
      fetchPackage();
    } catch (error) {
      const err = error as { stderr?: Buffer; message: string };
      throw new Error(
        `The tests need the real cfn-guard from ${CFN_GUARD_PACKAGE} on the npm registry, and it could not be fetched into ${CACHE}: ${err.stderr?.toString().trim() || err.message}`,
      );
    }
    fixture = fixtureIn(CACHE);
  }
  const expected = BINARY_SHA256[platformDir()];
  const actual = sha256(fixture.binary);
  if (actual !== expected) {
    throw new Error(
      `${fixture.binary} has SHA-256 ${actual}, not the ${expected} of ${CFN_GUARD_PACKAGE}: delete ${CACHE} and run again.`,
    );
  }
  fs.chmodSync(fixture.binary, 0o755);
  cached = fixture;
  return fixture;
}

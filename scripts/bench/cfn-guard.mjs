// cfn-guard for the policy bench: the binary and the AWS Control Tower Guard rules that the npm
// package @cdklabs/cdk-validator-cfnguard ships, in the same cache as the tests' helper
// (__tests__/helpers/cfn-guard.ts: `.cache/cfn-guard/`, fetched with `npm pack`, the binary's
// SHA-256 checked). Only the minimal part of that helper is repeated here; keep the package,
// checksums and layout in step with it. A cfn-guard on PATH stands in for a binary the package
// lacks or that fails its checksum; without the package's rules there is nothing to compare.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT } from '../targets.mjs';
import { onPath } from './measure.mjs';

export const CFN_GUARD_PACKAGE = '@cdklabs/cdk-validator-cfnguard@0.0.62';
const BINARY_SHA256 = {
  'ubuntu/x86_64': '9c7a820318676dc7372f6756ddfc7ca5f0c019299fb5505fda6dfd54718c58bd',
  'ubuntu/aarch64': 'f596043df77b6e839759e90e3d08671b5384c6e07d4a9c34f6d0bfbc76148154',
  'macos/x86_64': '3e8118e3c4cd98901b3a21b7037a40674023945349ad4661f1a7101f2d96c31f',
  'macos/aarch64': '89e97faaabb5431bc16d0487b5c8e67573e3f84e397b87985bfb02c2bdd4f46a',
};
const CACHE = path.join(ROOT, '.cache', 'cfn-guard', CFN_GUARD_PACKAGE.replace(/[@/]/g, '_'));

function platformDir() {
  const os = { linux: 'ubuntu', darwin: 'macos' }[process.platform];
  const arch = { x64: 'x86_64', arm64: 'aarch64' }[process.arch];
  return os && arch ? `${os}/${arch}` : undefined;
}

/** `npm pack`s the package into a scratch folder, unpacks what is needed, moves it into place. */
function fetchPackage(platform) {
  fs.mkdirSync(path.dirname(CACHE), { recursive: true });
  const scratch = fs.mkdtempSync(`${CACHE}.tmp-`);
  try {
    const pack = ['pack', CFN_GUARD_PACKAGE, '--pack-destination', scratch, '--silent', '--ignore-scripts'];
    execFileSync('npm', pack, { cwd: scratch, stdio: ['ignore', 'pipe', 'pipe'] });
    const tarball = fs.readdirSync(scratch).find((f) => f.endsWith('.tgz'));
    if (!tarball) throw new Error('npm pack wrote no tarball');
    const members = [
      ...(platform ? [`package/bin/${platform}/cfn-guard`] : []),
      'package/rules',
      'package/LICENSE',
    ];
    execFileSync('tar', ['-xzf', path.join(scratch, tarball), '-C', scratch, ...members]);
    fs.rmSync(path.join(scratch, tarball));
    try {
      fs.renameSync(scratch, CACHE);
    } catch (error) {
      // A test worker got there first.
      if (!fs.existsSync(CACHE)) throw error;
    }
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * `{ binary, rules, ruleCount, version }`, or `{ unavailable }` saying why not (no network, say).
 * Never throws: the bench prints the reason in the table.
 */
export function findCfnGuard() {
  const platform = platformDir();
  const rules = path.join(CACHE, 'package', 'rules', 'control-tower', 'cfn-guard');
  if (!fs.existsSync(rules)) {
    try {
      fetchPackage(platform);
    } catch (error) {
      const stderr = error.stderr?.toString().trim();
      const reason = stderr
        ? stderr.split('\n')[0]
        : error.status
          ? `npm pack exited with ${error.status}`
          : error.message;
      return { unavailable: `not available (${CFN_GUARD_PACKAGE} could not be fetched: ${reason})` };
    }
  }
  let binary = platform && path.join(CACHE, 'package', 'bin', ...platform.split('/'), 'cfn-guard');
  const sha = (f) => createHash('sha256').update(fs.readFileSync(f)).digest('hex');
  if (binary && fs.existsSync(binary) && sha(binary) === BINARY_SHA256[platform]) fs.chmodSync(binary, 0o755);
  else if (onPath('cfn-guard')) binary = 'cfn-guard';
  else {
    const why = binary
      ? `${binary} is missing or fails its SHA-256 check`
      : `the package has no cfn-guard for ${process.platform}/${process.arch}`;
    return { unavailable: `not available (${why}, and none is on PATH)` };
  }
  const version = spawnSync(binary, ['--version'], { encoding: 'utf8' }).stdout?.trim() || 'cfn-guard';
  const ruleCount = fs
    .readdirSync(rules, { recursive: true })
    .filter((f) => /\.(guard|ruleset)$/.test(String(f))).length;
  return { binary, rules, ruleCount, version };
}

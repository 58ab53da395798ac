// Runs every bundle once, the way the GitHub runner starts an action (node dist/<name>/index.js
// with INPUT_* from action.yml defaults, GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, GITHUB_WORKSPACE) in
// an empty workspace, and the CLI with --version and --help. A bundle that crashes at start (a
// missing module, an ESM/CJS mix-up) fails here, even when ncc built it without complaint.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ROOT, actionTargets } from './targets.mjs';

const failures = [];
const stack = /^\s+at .+[(:]\d+/m;

for (const target of actionTargets()) {
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), `imagepipe-run-${target.name}-`));
  const output = path.join(workspace, '.github-output');
  const summary = path.join(workspace, '.github-step-summary');
  fs.writeFileSync(output, '');
  fs.writeFileSync(summary, '');
  const env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    GITHUB_WORKSPACE: workspace,
    GITHUB_OUTPUT: output,
    GITHUB_STEP_SUMMARY: summary,
    RUNNER_TEMP: os.tmpdir(),
  };
  for (const [name, spec] of Object.entries(target.action.inputs ?? {})) {
    if (spec?.default !== undefined) env[`INPUT_${name.toUpperCase()}`] = String(spec.default);
  }
  const result = spawnSync(process.execPath, [path.join(ROOT, target.out, 'index.js')], {
    cwd: workspace,
    env,
    encoding: 'utf8',
    timeout: 120_000,
  });
  const ok =
    (result.status === 0 || (result.status === 1 && /^::error::/m.test(result.stdout))) &&
    !stack.test(result.stderr) &&
    !/Unexpected error/.test(result.stdout);
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${target.out}/index.js (exit ${result.status})`);
  if (!ok) failures.push(`${target.out}/index.js:\n${result.stdout}\n${result.stderr}`);
  fs.rmSync(workspace, { recursive: true, force: true });
}

const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
for (const args of [['--version'], ['--help'], ['secrets-scan', '--help']]) {
  const result = spawnSync(process.execPath, [path.join(ROOT, 'dist', 'cli', 'index.js'), ...args], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  const ok = result.status === 0 && (args[0] !== '--version' || result.stdout.trim() === pkg.version);
  console.log(`${ok ? 'ok  ' : 'FAIL'} dist/cli/index.js ${args.join(' ')} (exit ${result.status})`);
  if (!ok) failures.push(`dist/cli/index.js ${args.join(' ')}:\n${result.stdout}\n${result.stderr}`);
}

if (failures.length > 0) {
  console.error(`\n${failures.join('\n\n')}`);
  process.exit(1);
}

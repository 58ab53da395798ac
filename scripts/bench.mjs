// npm run bench: measures each engine next to the tool users would otherwise pick, on the same
// input, and prints the figures. Nothing here asserts a timing.
//
// secrets-scan: a corpus of real source (this project's installed node_modules JavaScript, TypeScript
// and JSON, 10 MB by default: BENCH_MB=60 for more) with secrets planted at known places, scanned by imagepipe, by secretlint
// (its recommended preset, installed as a dev dependency) and by gitleaks when one is on PATH.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ROOT } from './targets.mjs';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const TARGET_BYTES = Number(process.env.BENCH_MB ?? 10) * 1024 * 1024;
// A tool still running after this is reported as such (secretlint needs minutes on 60 MB).
const LIMIT_MS = Number(process.env.BENCH_LIMIT_S ?? 300) * 1000;

function buildCorpus() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'imagepipe-bench-'));
  const sources = fs
    .readdirSync(path.join(ROOT, 'node_modules'), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && /\.(js|ts|json|md)$/.test(e.name))
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
  let bytes = 0;
  let files = 0;
  for (const src of sources) {
    const size = fs.statSync(src).size;
    if (size > 2 * 1024 * 1024) continue;
    const dest = path.join(dir, 'src', path.relative(path.join(ROOT, 'node_modules'), src));
    fs.mkdirSync(path.dirname(dest), { recursive: true });
    fs.copyFileSync(src, dest);
    bytes += size;
    files++;
    if (bytes >= TARGET_BYTES) break;
  }
  // Planted secrets (synthetic), one per file, in files spread over the corpus.
  const join = (...p) => p.join('');
  const planted = [
    `AWS_ACCESS_KEY_ID=${join('AKIA', 'Q3VZ7RTM', 'PL2XWN4K')}`,
    `token = "${join('ghp_', 'Rk7Wq2ZxLm9Tb4VnPc3Hs8JdGf6Ya1UeXo5Q')}"`,
    `const url = "postgres://app:${join('Tr0ub4dor', 'Zq8vLx')}@db:5432/app";`,
    `SLACK=${join('xoxb-', '2048613790-', '4096123578901-', 'Rk7Wq2ZxLm9Tb4VnPc3Hs8Jd')}`,
    join(
      '-----BEGIN OPENSSH PRIVATE KEY-----\n',
      'b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\n'.repeat(5),
      '-----END OPENSSH PRIVATE KEY-----',
    ),
  ];
  planted.forEach((line, i) => fs.writeFileSync(path.join(dir, `planted-${i}.txt`), `${line}\n`));
  return { dir, bytes, files: files + planted.length, planted: planted.length };
}

function time(cmd, args, cwd) {
  const times = [];
  let last;
  for (let i = 0; i < RUNS; i++) {
    const t0 = process.hrtime.bigint();
    last = spawnSync(cmd, args, { cwd, encoding: 'utf8', maxBuffer: 1024 * 1024 * 1024, timeout: LIMIT_MS });
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    if (last.error?.code === 'ETIMEDOUT') return { error: `did not finish within ${LIMIT_MS / 1000} s` };
    if (last.error?.code === 'ENOENT') return { error: 'not available: not on PATH' };
    if (last.error) return { error: last.error.message };
  }
  times.sort((a, b) => a - b);
  return { ms: times[Math.floor(times.length / 2)], result: last };
}

function row(name, measured, bytes, count) {
  if (measured.error) return `| ${name} | ${measured.error} | | |`;
  const mbps = bytes / 1024 / 1024 / (measured.ms / 1000);
  return `| ${name} | ${measured.ms.toFixed(0)} ms | ${mbps.toFixed(1)} MB/s | ${count(measured.result)} |`;
}

const corpus = buildCorpus();
console.log(
  `secrets-scan corpus: ${corpus.files} files, ${(corpus.bytes / 1024 / 1024).toFixed(1)} MB, ${corpus.planted} planted secrets; median of ${RUNS} runs; ${os.cpus().length} cores, node ${process.version}\n`,
);
console.log('| tool | wall time | throughput | findings |\n| --- | --- | --- | --- |');

const imagepipe = time(
  process.execPath,
  [path.join(ROOT, 'dist/cli/index.js'), 'secrets-scan', '.', '--format', 'json', '--no-fail'],
  corpus.dir,
);
console.log(
  row('imagepipe secrets-scan', imagepipe, corpus.bytes, (r) => JSON.parse(r.stdout).findings.length),
);

const secretlintBin = path.join(ROOT, 'node_modules/.bin/secretlint');
const secretlintReport = path.join(os.tmpdir(), `imagepipe-bench-secretlint-${process.pid}.json`);
fs.writeFileSync(
  path.join(corpus.dir, '.secretlintrc.json'),
  JSON.stringify({ rules: [{ id: '@secretlint/secretlint-rule-preset-recommend' }] }),
);
// secretlint's JSON embeds each file's content: it goes to a file, not a pipe.
const secretlint = fs.existsSync(secretlintBin)
  ? time(
      secretlintBin,
      ['**/*', '--format', 'json', '--output', secretlintReport, '--secretlintrc', '.secretlintrc.json'],
      corpus.dir,
    )
  : { error: 'not installed' };
console.log(
  row('secretlint (preset-recommend)', secretlint, corpus.bytes, () =>
    JSON.parse(fs.readFileSync(secretlintReport, 'utf8')).reduce((n, f) => n + f.messages.length, 0),
  ),
);
fs.rmSync(secretlintReport, { force: true });

const gitleaks = time(
  'gitleaks',
  ['dir', '.', '--no-banner', '--exit-code', '0', '--report-format', 'json', '--report-path', '-'],
  corpus.dir,
);
console.log(row('gitleaks dir', gitleaks, corpus.bytes, (r) => JSON.parse(r.stdout || '[]').length));

fs.rmSync(corpus.dir, { recursive: true, force: true });

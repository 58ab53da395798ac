// The secrets-scan bench: how fast secrets-scan is, next to the tools users would otherwise pick,
// on the same inputs; prints figures and the targets they are held to.
//
// 1. A generated tree (BENCH_MB, default 50 MiB: source in several languages, JSON/YAML, .env
//    files, lock files, minified bundles, markdown; files from a few hundred bytes to a few MB)
//    with planted synthetic secrets, scanned by imagepipe, secretlint (recommended preset) and
//    gitleaks `dir` when on PATH. secretlint is slow: a run still going after BENCH_LIMIT_S
//    (default 120) is stopped and reported as a bound.
// 2. A generated git history (BENCH_COMMITS, default 5000) built with `git fast-import`, with
//    secrets added and later deleted, scanned by imagepipe `--mode history` and gitleaks `git`.
// 3. Each run's peak memory (max RSS). Child processes (git) are not included.
// The prefilter's keyword search has its own bench: node scripts/bench/keywords.mjs.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ROOT } from '../targets.mjs';
import { ensureHistory, ensureTree } from './fixtures.mjs';
import {
  LIMIT_MS,
  fmtMb,
  fmtTime,
  measure,
  onPath,
  printTable,
  printTargets,
  readReport,
  setting,
  verdict,
  work,
} from './measure.mjs';
import { countFound } from './plant.mjs';

const TARGETS = { speedup: 5, commits: 5000, historySeconds: 10, peakMb: 256 };

export function benchSecrets(CLI) {
  const MB = setting('BENCH_MB', 50, 1);
  const COMMITS = Math.round(setting('BENCH_COMMITS', 5000, 10));
  const rows = [];

  /** One table row; `rate` turns milliseconds into the throughput shown (a bound when stopped). */
  function addRow(scan, tool, m, rate, report) {
    if (m.error || m.unavailable) {
      rows.push([scan, tool, m.error ?? m.unavailable, '', '', '', '']);
      return;
    }
    // A stopped run left no report.
    const found = m.timedOut ? { error: 'none (stopped)' } : report();
    rows.push([
      scan,
      tool,
      fmtTime(m),
      `${m.timedOut ? '< ' : ''}${rate(m.ms)}`,
      `${m.timedOut && m.peakMb !== undefined ? '≥ ' : ''}${fmtMb(m.peakMb)}`,
      found.error ?? String(found.findings.length),
      found.error === undefined ? `${found.planted}/${found.of}` : '',
    ]);
  }

  // --- 1. the tree -----------------------------------------------------------------------------
  const tree = ensureTree({ mb: MB });
  const treeMb = tree.bytes / 1024 / 1024;
  const mbps = (ms) => `${(treeMb / (ms / 1000)).toFixed(1)} MB/s`;
  const relativeToTree = (p) => (path.isAbsolute(p) ? path.relative(tree.root, p) : p.replace(/^\.\//, ''));
  const treeFound = (findings) => ({
    findings,
    planted: countFound(tree.planted, findings),
    of: tree.planted.length,
  });

  const ipReport = path.join(work, 'imagepipe-tree.json');
  const ipTree = measure(
    [CLI, 'secrets-scan', tree.root, '--no-fail', '--format', 'json', '--output', ipReport],
    {
      node: true,
    },
  );
  if (!ipTree.error && ipTree.status !== 0)
    ipTree.error = `exit code ${ipTree.status}: ${ipTree.stderr.trim().split('\n')[0]}`;
  addRow(`tree ${treeMb.toFixed(0)} MB`, 'imagepipe', ipTree, mbps, () =>
    readReport(ipReport, (j) => treeFound(j.findings.map((f) => ({ path: f.path, line: f.line })))),
  );

  const secretlintBin = path.join(ROOT, 'node_modules', '.bin', 'secretlint');
  const slReport = path.join(work, 'secretlint.json');
  const slConfig = path.join(work, 'secretlintrc.json');
  fs.writeFileSync(
    slConfig,
    JSON.stringify({ rules: [{ id: '@secretlint/secretlint-rule-preset-recommend' }] }),
  );
  // secretlint's JSON embeds each file's content: it goes to a file, not a pipe.
  const slTree = fs.existsSync(secretlintBin)
    ? measure(
        [
          fs.realpathSync(secretlintBin),
          '**/*',
          '--format',
          'json',
          '--output',
          slReport,
          '--secretlintrc',
          slConfig,
        ],
        { node: true, cwd: tree.root },
      )
    : { unavailable: 'not installed (npm ci)' };
  addRow('', 'secretlint (recommended)', slTree, mbps, () =>
    readReport(slReport, (j) =>
      treeFound(
        j.flatMap((file) =>
          file.messages.map((m) => ({ path: relativeToTree(file.filePath), line: m.loc.start.line })),
        ),
      ),
    ),
  );

  const gitleaksReport = path.join(work, 'gitleaks.json');
  const gitleaksArgs = [
    '--no-banner',
    '--exit-code',
    '0',
    '--report-format',
    'json',
    '--report-path',
    gitleaksReport,
  ];
  const hasGitleaks = onPath('gitleaks');
  const glTree = hasGitleaks
    ? measure(['gitleaks', 'dir', '.', ...gitleaksArgs], { cwd: tree.root })
    : { unavailable: 'not on PATH' };
  addRow('', 'gitleaks dir', glTree, mbps, () =>
    readReport(gitleaksReport, (j) =>
      treeFound(j.map((f) => ({ path: relativeToTree(f.File), line: f.StartLine }))),
    ),
  );

  // --- 2. the history --------------------------------------------------------------------------
  const history = ensureHistory({ commits: COMMITS });
  const perSecond = (ms) => `${(COMMITS / (ms / 1000)).toFixed(0)} commits/s`;
  const historyFound = (findings) => ({
    findings,
    planted: countFound(history.planted, findings),
    of: history.planted.length,
  });

  const ipHistoryReport = path.join(work, 'imagepipe-history.json');
  const ipHistory = measure(
    [
      CLI,
      'secrets-scan',
      history.root,
      '--mode',
      'history',
      '--no-fail',
      '--format',
      'json',
      '--output',
      ipHistoryReport,
    ],
    { node: true },
  );
  // A CLI without history mode refuses the option as a usage error (exit code 2).
  if (!ipHistory.error && ipHistory.status === 2 && /--mode|history|unknown option/i.test(ipHistory.stderr))
    ipHistory.unavailable = 'history mode unavailable in this build of the CLI';
  else if (!ipHistory.error && ipHistory.status !== 0)
    ipHistory.error = `exit code ${ipHistory.status}: ${ipHistory.stderr.trim().split('\n')[0]}`;
  addRow(`history ${COMMITS} commits`, 'imagepipe --mode history', ipHistory, perSecond, () =>
    readReport(ipHistoryReport, (j) => historyFound(j.findings.map((f) => ({ path: f.path, line: f.line })))),
  );

  const glHistory = hasGitleaks
    ? measure(['gitleaks', 'git', '.', ...gitleaksArgs], { cwd: history.root })
    : { unavailable: 'not on PATH' };
  addRow('', 'gitleaks git', glHistory, perSecond, () =>
    readReport(gitleaksReport, (j) => historyFound(j.map((f) => ({ path: f.File, line: f.StartLine })))),
  );

  // --- the table and the targets ---------------------------------------------------------------
  const git = spawnSync('git', ['--version'], { encoding: 'utf8' }).stdout?.trim() ?? 'git not found';
  console.log(
    `secrets-scan bench: ${os.cpus().length} cores, node ${process.version}, ${git}; time limit ${LIMIT_MS / 1000} s per run`,
  );
  console.log(
    `tree: ${tree.files} files, ${treeMb.toFixed(1)} MB, ${tree.planted.length} planted secrets${tree.cached ? ' (cached)' : ''}: ${tree.root}`,
  );
  console.log(
    `history: ${history.commits} commits, ${history.changedFiles} file changes, ${history.planted.length} planted secrets added then deleted${history.cached ? ' (cached)' : ''}: ${history.root}`,
  );
  console.log('peak RSS is the scanning process alone (git processes it starts are not counted)\n');
  printTable(['scan', 'tool', 'time', 'throughput', 'peak RSS', 'findings', 'planted found'], rows);

  const targets = [];
  if (ipTree.ms && !ipTree.error && slTree.ms && !slTree.error) {
    // A stopped secretlint run only bounds its time from below, so the ratio is a lower bound.
    const ratio = slTree.ms / ipTree.ms;
    const bound = slTree.timedOut ? '≥ ' : '';
    targets.push([
      `imagepipe ≥ ${TARGETS.speedup}× secretlint's MB/s`,
      `${bound}${ratio.toFixed(1)}×`,
      verdict(ratio >= TARGETS.speedup ? true : slTree.timedOut ? undefined : false),
    ]);
  } else targets.push([`imagepipe ≥ ${TARGETS.speedup}× secretlint's MB/s`, 'not measured', 'n/a']);
  if (ipHistory.ms && !ipHistory.error && !ipHistory.unavailable) {
    const scaled = ((ipHistory.ms / 1000) * TARGETS.commits) / COMMITS;
    targets.push([
      `${TARGETS.commits} commits < ${TARGETS.historySeconds} s`,
      `${scaled.toFixed(2)} s${COMMITS === TARGETS.commits ? '' : ` (scaled from ${COMMITS})`}`,
      verdict(scaled < TARGETS.historySeconds),
    ]);
  } else targets.push([`${TARGETS.commits} commits < ${TARGETS.historySeconds} s`, 'not measured', 'n/a']);
  const peaks = [ipTree, ipHistory].filter((m) => m.peakMb !== undefined && !m.error && !m.unavailable);
  targets.push([
    `imagepipe peak RSS < ${TARGETS.peakMb} MB`,
    peaks.length ? `${Math.max(...peaks.map((m) => m.peakMb)).toFixed(0)} MB` : 'not measured',
    verdict(peaks.length ? peaks.every((m) => m.peakMb < TARGETS.peakMb) : undefined),
  ]);
  printTargets(targets);
}

// What every bench of `npm run bench` shares: its settings from the environment, the CLI under
// test, running a tool a few times for its median wall time and peak memory, and the tables.
// Peak memory (max RSS): Node processes preload ./maxrss.mjs; other programs run under
// /usr/bin/time when it exists. Nothing here asserts a timing.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from '../targets.mjs';

/** A number from the environment, or `fallback`; anything else below `min` ends the bench (exit 2). */
export function setting(name, fallback, min) {
  const raw = process.env[name];
  const value = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isFinite(value) || value < min) {
    console.error(`${name}=${raw} is not valid: give a number of at least ${min} (default ${fallback}).`);
    process.exit(2);
  }
  return value;
}

export const RUNS = Math.round(setting('BENCH_RUNS', 3, 1));
export const LIMIT_MS = setting('BENCH_LIMIT_S', 120, 1) * 1000;
/** After a run this long, a tool is not run again. */
const REPEAT_BELOW_MS = 20_000;

/** The CLI under test: dist/cli/index.js, or another build of it named by BENCH_CLI. Exits when missing. */
export function cliPath() {
  const cli = path.resolve(process.env.BENCH_CLI || path.join(ROOT, 'dist', 'cli', 'index.js'));
  if (!fs.existsSync(cli)) {
    console.error(`${cli} is missing: run \`npm run build\` first (or fix BENCH_CLI).`);
    process.exit(2);
  }
  return cli;
}

const PRELOAD = pathToFileURL(path.join(ROOT, 'scripts', 'bench', 'maxrss.mjs')).href;
const TIME = fs.existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

/** A scratch folder for reports and RSS figures, removed when the bench exits. */
export const work = fs.mkdtempSync(path.join(os.tmpdir(), 'imagepipe-bench-run-'));
process.on('exit', () => fs.rmSync(work, { recursive: true, force: true }));

export function onPath(command) {
  return (process.env.PATH ?? '')
    .split(path.delimiter)
    .some((dir) => dir && fs.existsSync(path.join(dir, command)));
}

/**
 * Runs a tool up to RUNS times. `node: true` runs `argv` (a script and its arguments) under this
 * Node with the RSS preload; otherwise `argv[0]` is a program, run under /usr/bin/time when there.
 * Returns the median wall time, the largest peak RSS, and the last run's exit status, stdout and stderr.
 */
export function measure(argv, { node = false, cwd = work, runs = RUNS } = {}) {
  const times = [];
  let peakKb;
  let last;
  for (let run = 0; run < runs; run++) {
    const rssFile = path.join(work, `rss-${process.hrtime.bigint()}`);
    const [cmd, ...args] = node
      ? [process.execPath, '--import', PRELOAD, ...argv]
      : TIME
        ? [TIME, '-f', '%M', '-o', rssFile, ...argv]
        : argv;
    const t0 = process.hrtime.bigint();
    last = spawnSync(cmd, args, {
      cwd,
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
      timeout: LIMIT_MS,
      env: { ...process.env, IMAGEPIPE_BENCH_RSS_FILE: rssFile },
    });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (fs.existsSync(rssFile)) {
      const kb = Number(fs.readFileSync(rssFile, 'utf8').trim().split('\n').pop());
      if (Number.isFinite(kb)) peakKb = Math.max(peakKb ?? 0, kb);
    }
    // A stopped run's peak so far only bounds the real one from below.
    if (last.error?.code === 'ETIMEDOUT')
      return { timedOut: true, ms: LIMIT_MS, peakMb: peakKb === undefined ? undefined : peakKb / 1024 };
    if (last.error) return { error: last.error.message };
    times.push(ms);
    if (ms > REPEAT_BELOW_MS) break;
  }
  times.sort((a, b) => a - b);
  return {
    ms: times[Math.floor(times.length / 2)],
    runs: times.length,
    peakMb: peakKb === undefined ? undefined : peakKb / 1024,
    status: last.status,
    stdout: last.stdout,
    stderr: last.stderr,
  };
}

/** Reads a JSON report a tool wrote; a missing or broken one is reported in the row, not thrown. */
export function readReport(file, findings) {
  try {
    return findings(JSON.parse(fs.readFileSync(file, 'utf8')));
  } catch (error) {
    return { error: `no readable report (${error.message.split('\n')[0]})` };
  } finally {
    fs.rmSync(file, { force: true });
  }
}

export const fmtTime = (m) =>
  m.timedOut
    ? `> ${(m.ms / 1000).toFixed(0)} s (stopped)`
    : `${(m.ms / 1000).toFixed(2)} s${m.runs > 1 ? ` (median of ${m.runs})` : ''}`;
export const fmtMb = (mb) => (mb === undefined ? 'n/a' : `${mb.toFixed(0)} MB`);
export const verdict = (ok) => (ok === undefined ? 'n/a' : ok ? 'met' : 'NOT met');

/** A Markdown table: a header row, then one line per row. */
export function printTable(header, rows) {
  console.log(`| ${header.join(' | ')} |\n|${header.map(() => ' --- |').join('')}`);
  for (const row of rows) console.log(`| ${row.join(' | ')} |`);
}

/** The targets table: `[target, measured, verdict]` rows, after a blank line. */
export function printTargets(targets) {
  console.log('\n| target | measured | |\n| --- | --- | --- |');
  for (const t of targets) console.log(`| ${t.join(' | ')} |`);
}

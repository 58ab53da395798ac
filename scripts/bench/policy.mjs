// The policy-as-code bench: how fast policy-as-code reads a generated corpus of infrastructure code
// (iac-corpus.mjs: BENCH_CFN CloudFormation templates, default 1500; BENCH_TF Terraform files,
// default 1000, in modules of 3–6 files; BENCH_OTHER each of Dockerfiles, Kubernetes manifests and
// Packer templates, default 50), next to cfn-guard with the AWS Control Tower Guard rules, the tool
// users would otherwise pick for CloudFormation. imagepipe scans the whole corpus, then each part
// on its own for files/s per format, and an empty folder for its start-up. cfn-guard is slow: it
// checks BENCH_GUARD_SAMPLE templates spread over the corpus (default 50; 0 skips it), imagepipe
// scans the same ones, and cfn-guard's time for the whole corpus is extrapolated from its rate.
// checkov, the usual pick for Terraform, is a Python package this machine cannot install.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CFN_GUARD_PACKAGE, findCfnGuard } from './cfn-guard.mjs';
import { ensureIacCorpus } from './iac-corpus.mjs';
import {
  LIMIT_MS,
  fmtMb,
  fmtTime,
  measure,
  printTable,
  printTargets,
  readReport,
  setting,
  verdict,
  work,
} from './measure.mjs';

const TARGETS = { cfn: 1500, tf: 1000, seconds: 10, peakMb: 512 };
const firstLine = (s) => (s ?? '').trim().split('\n')[0];
const mb = (bytes) =>
  bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(0)} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const ok = (m) => m && !m.error && !m.unavailable && !m.timedOut && m.ms !== undefined;

/** One imagepipe run over `dir`, with what its JSON report says it read and found. */
function imagepipe(cli, dir) {
  const report = path.join(work, 'policy-as-code.json');
  const args = [cli, 'policy-as-code', dir, '--no-fail', '--format', 'json', '--output', report];
  const m = measure(args, { node: true });
  if (!m.error && !m.timedOut && m.status !== 0) m.error = `exit code ${m.status}: ${firstLine(m.stderr)}`;
  if (!m.error && !m.timedOut)
    m.found = readReport(report, (j) => ({
      stats: j.stats,
      open: j.findings.filter((f) => !f.suppressed).length,
      suppressed: j.findings.filter((f) => f.suppressed).length,
      parseErrors: j.findings.filter((f) => f.rule === 'parse-error').length,
    }));
  return m;
}

/** cfn-guard over a folder of templates, its findings counted as failed rules per template. */
function cfnGuard(guard, dir) {
  const args = ['validate', '--rules', guard.rules, '--data', dir, '--structured'];
  const m = measure([guard.binary, ...args, '--output-format', 'json', '--show-summary', 'none']);
  // Exit code 19: some rule failed.
  if (!m.error && !m.timedOut && m.status !== 0 && m.status !== 19)
    m.error = `exit code ${m.status}: ${firstLine(m.stderr || m.stdout)}`;
  if (ok(m)) {
    try {
      const results = JSON.parse(m.stdout);
      const errors = results.filter((r) => !['PASS', 'FAIL', 'SKIP'].includes(r.status)).length;
      const failed = results.reduce((n, r) => n + (r.not_compliant?.length ?? 0), 0);
      m.found = { files: results.length, failed, errors };
    } catch (error) {
      m.found = { error: `no readable output (${firstLine(error.message)})` };
    }
  }
  m.stdout = undefined;
  return m;
}

/** The templates cfn-guard checks, spread evenly over the corpus, copied into one folder. */
function guardSample(corpus, n) {
  const dir = path.join(work, 'guard-sample');
  fs.mkdirSync(dir, { recursive: true });
  const picked = Array.from(
    { length: n },
    (_, i) => corpus.templates[Math.floor((i * corpus.templates.length) / n)],
  );
  for (const rel of picked) {
    const from = path.join(corpus.root, corpus.parts.cloudformation, rel);
    fs.copyFileSync(from, path.join(dir, rel.replace(/\//g, '-')));
  }
  return dir;
}

function perFormat(stats) {
  const names = {
    cloudformation: 'CloudFormation',
    terraform: 'Terraform',
    dockerfile: 'Dockerfile',
    kubernetes: 'Kubernetes',
    packer: 'Packer',
  };
  return Object.entries(stats.filesByFormat)
    .filter(([, n]) => n > 0)
    .map(([f, n]) => `${n} ${names[f] ?? f}`)
    .join(', ');
}

function row(scan, tool, m, files) {
  if (!ok(m) && !m.timedOut) return [scan, tool, m.error ?? m.unavailable, '', '', '', '', '', ''];
  const found = m.found ?? {};
  const read = found.stats?.filesRead ?? found.files ?? files;
  const rate = read / (m.ms / 1000);
  return [
    scan,
    tool,
    fmtTime(m),
    m.timedOut ? `< ${rate.toFixed(1)}` : rate >= 100 ? rate.toFixed(0) : rate.toFixed(1),
    `${m.timedOut && m.peakMb !== undefined ? '≥ ' : ''}${fmtMb(m.peakMb)}`,
    found.stats ? `${found.stats.durationMs} ms` : '',
    found.stats ? perFormat(found.stats) : found.files !== undefined ? `${found.files} CloudFormation` : '',
    found.error ??
      (found.stats
        ? `${found.open}${found.suppressed ? ` (+${found.suppressed} suppressed)` : ''}`
        : found.failed !== undefined
          ? `${found.failed} failed rules`
          : ''),
    found.parseErrors ?? (found.errors !== undefined ? `${found.errors} not evaluated` : ''),
  ];
}

export function benchPolicy(cli) {
  const CFN = Math.round(setting('BENCH_CFN', TARGETS.cfn, 1));
  const TF = Math.round(setting('BENCH_TF', TARGETS.tf, 1));
  const OTHER = Math.round(setting('BENCH_OTHER', 50, 0));
  const SAMPLE = Math.min(CFN, Math.round(setting('BENCH_GUARD_SAMPLE', 50, 0)));
  const corpus = ensureIacCorpus({ cfn: CFN, tf: TF, other: OTHER });
  const part = (name) => path.join(corpus.root, corpus.parts[name]);
  const total = CFN + TF + 3 * OTHER;
  const bytes = Object.values(corpus.bytes).reduce((a, b) => a + b, 0);

  const all = imagepipe(cli, corpus.root);
  const cfn = imagepipe(cli, part('cloudformation'));
  const tf = imagepipe(cli, part('terraform'));
  const other = OTHER > 0 ? imagepipe(cli, part('other')) : undefined;
  const empty = path.join(work, 'empty');
  fs.mkdirSync(empty);
  const startup = imagepipe(cli, empty);

  const guard = SAMPLE > 0 ? findCfnGuard() : { unavailable: 'skipped (BENCH_GUARD_SAMPLE=0)' };
  const sampleDir = SAMPLE > 0 ? guardSample(corpus, SAMPLE) : undefined;
  const ipSample = sampleDir ? imagepipe(cli, sampleDir) : undefined;
  const cg = guard.unavailable ? { unavailable: guard.unavailable } : cfnGuard(guard, sampleDir);

  const rows = [
    row(`all: ${total} files, ${mb(bytes)}`, 'imagepipe', all, total),
    row(`CloudFormation: ${CFN} templates, ${mb(corpus.bytes.cloudformation)}`, 'imagepipe', cfn, CFN),
    row(
      `Terraform: ${TF} files in ${corpus.modules} modules, ${mb(corpus.bytes.terraform)}`,
      'imagepipe',
      tf,
      TF,
    ),
    ...(other
      ? [row(`other: ${3 * OTHER} files, ${mb(corpus.bytes.other)}`, 'imagepipe', other, 3 * OTHER)]
      : []),
    row('empty folder (start-up)', 'imagepipe', startup, 0).map((c, i) => (i === 3 ? '' : c)),
  ];
  const guardTool = guard.version ? `${guard.version}, ${guard.ruleCount} Control Tower rules` : 'cfn-guard';
  if (ipSample) {
    rows.push(row(`CloudFormation sample: ${SAMPLE} templates`, 'imagepipe', ipSample, SAMPLE));
    rows.push(row('', guardTool, cg, SAMPLE));
  } else rows.push(row('CloudFormation sample', guardTool, cg, 0));
  const guardAll = ok(cg) ? (cg.ms * CFN) / SAMPLE : cg.timedOut ? (LIMIT_MS * CFN) / SAMPLE : undefined;
  if (guardAll !== undefined) {
    const rate = (CFN / (guardAll / 1000)).toFixed(1);
    const bound = cg.timedOut ? '> ' : '≈ ';
    rows.push([
      `CloudFormation: ${CFN} templates`,
      `${guardTool} (extrapolated)`,
      `${bound}${(guardAll / 1000).toFixed(0)} s`,
      `${cg.timedOut ? '< ' : ''}${rate}`,
      '',
      '',
      '',
      '',
      '',
    ]);
  }
  rows.push([
    `Terraform: ${TF} files`,
    'checkov',
    'not measured: a Python package, and this machine reaches no PyPI',
    '',
    '',
    '',
    '',
    '',
    '',
  ]);

  console.log(
    `policy-as-code bench: ${os.cpus().length} cores, node ${process.version}; time limit ${LIMIT_MS / 1000} s per run`,
  );
  const others = OTHER ? `, ${OTHER} each of Dockerfiles, Kubernetes manifests and Packer templates` : '';
  console.log(
    `corpus: ${total} files, ${mb(bytes)}: ${CFN} CloudFormation templates, ${TF} Terraform files in ${corpus.modules} modules${others}; generated in ${(corpus.generatedMs / 1000).toFixed(1)} s${corpus.cached ? ' (cached)' : ''}: ${corpus.root}`,
  );
  if (guard.version)
    console.log(
      `cfn-guard: ${guard.version} and the Control Tower rules of ${CFN_GUARD_PACKAGE}, over ${SAMPLE} templates spread over the corpus, with --structured --output-format json (its quickest output)`,
    );
  console.log(
    'files/s from wall time (start-up included); in-process is the scan time the report gives; peak RSS is the scanning process alone\n',
  );
  printTable(
    ['scan', 'tool', 'time', 'files/s', 'peak RSS', 'in-process', 'files read', 'findings', 'parse errors'],
    rows,
  );
  if (ok(ipSample) && ok(cg))
    console.log(
      `\nOn the same ${SAMPLE} templates imagepipe took ${(ipSample.ms / 1000).toFixed(2)} s and cfn-guard ${(cg.ms / 1000).toFixed(2)} s: ${(cg.ms / ipSample.ms).toFixed(0)}× (their rules differ: ${guard.ruleCount} Control Tower rules against imagepipe's built-in ones).`,
    );

  const full = CFN >= TARGETS.cfn && TF >= TARGETS.tf;
  const measured = (text) => (full ? text : `${text} (corpus below ${TARGETS.cfn} + ${TARGETS.tf})`);
  const peaks = [all, cfn, tf, other, startup, ipSample].filter((m) => ok(m) && m.peakMb !== undefined);
  printTargets([
    [
      `${TARGETS.cfn} CloudFormation + ${TARGETS.tf} Terraform files < ${TARGETS.seconds} s`,
      ok(all) || all.timedOut
        ? measured(
            `${all.timedOut ? '> ' : ''}${(all.ms / 1000).toFixed(2)} s${OTHER ? `, with the ${3 * OTHER} other files` : ''}`,
          )
        : 'not measured',
      verdict((ok(all) || all.timedOut) && full ? all.ms < TARGETS.seconds * 1000 : undefined),
    ],
    [
      `imagepipe peak RSS < ${TARGETS.peakMb} MB`,
      peaks.length ? `${Math.max(...peaks.map((m) => m.peakMb)).toFixed(0)} MB` : 'not measured',
      verdict(peaks.length ? peaks.every((m) => m.peakMb < TARGETS.peakMb) : undefined),
    ],
  ]);
}

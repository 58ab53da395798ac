// The packer-build bench: what `imagepipe packer-build` costs on top of the packer it drives, next
// to what teams otherwise write by hand after hashicorp/setup-packer (`packer fmt -check`, `packer
// validate`, `packer build -machine-readable`, then grep the log for the artifacts).
//
// 1. The real packer (from PATH) builds a generated HCL2 template: BENCH_PACKER_BUILDS `null`
//    builds (default 10), each a shell-local provisioner printing BENCH_PACKER_LINES lines (default
//    2000), plus a manifest post-processor. Timed: `packer build` alone, the hand-written steps, and
//    imagepipe (init, fmt-check, validate, build, artifacts and manifest).
// 2. How fast imagepipe reads and relays packer's machine-readable stream, apart from packer's own
//    speed: a stand-in `packer` replays BENCH_PACKER_STREAM_MB of captured-shape output (default
//    100), and imagepipe reads it all, redacting and relaying each line and collecting the artifacts.
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  fmtMb,
  fmtTime,
  measure,
  onPath,
  printTable,
  printTargets,
  setting,
  verdict,
  work,
} from './measure.mjs';

const BUILDS = Math.round(setting('BENCH_PACKER_BUILDS', 10, 1));
const LINES = Math.round(setting('BENCH_PACKER_LINES', 2000, 0));
const STREAM_MB = setting('BENCH_PACKER_STREAM_MB', 100, 1);
/** imagepipe may add this much to the hand-written steps' wall time on a real build. */
const TARGETS = { overheadS: 1, streamMbS: 20, peakMb: 256 };
const firstLine = (s) => (s ?? '').trim().split('\n')[0];

function template(dir) {
  const names = Array.from({ length: BUILDS }, (_, i) => `b${i}`);
  const sources = names.map((n) => `source "null" "${n}" {\n  communicator = "none"\n}\n`).join('\n');
  const text = `${sources}
build {
  sources = [${names.map((n) => `"source.null.${n}"`).join(', ')}]

  provisioner "shell-local" {
    inline = ["i=0; while [ $i -lt ${LINES} ]; do echo \\"line $i of the build log, password=not-a-secret\\"; i=$((i+1)); done"]
  }

  post-processor "manifest" {
    output = "manifest.json"
  }
}
`;
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'bench.pkr.hcl'), text);
  fs.writeFileSync(
    path.join(dir, 'by-hand.sh'),
    `set -e
packer fmt -check .
packer validate .
packer build -machine-readable . > build.log
grep -E '^[0-9]+,[^,]*,artifact,0,id,' build.log | cut -d, -f6- > artifacts.txt
`,
  );
}

/** A stand-in packer that answers --version and replays a machine-readable stream for `build`. */
function replayPacker(dir) {
  fs.mkdirSync(dir, { recursive: true });
  const stream = path.join(dir, 'stream.txt');
  // Written synchronously: the runs that read it block this process's event loop.
  const fd = fs.openSync(stream, 'w');
  const target = STREAM_MB * 1024 * 1024;
  let size = 0;
  let n = 0;
  const t = 1796000000;
  const chunk = [];
  while (size < target) {
    const line =
      n % 50 === 49
        ? `${t},amazon-ebs.golden,ui,say,    amazon-ebs.golden: Setting up libssl3:amd64 (3.0.13-0ubuntu3.${n})%!(PACKER_COMMA) done\\n`
        : `${t},,ui,say,==> amazon-ebs.golden: Installing packages: step ${n} of the provisioner's output`;
    chunk.push(line);
    size += line.length + 1;
    n++;
    if (chunk.length === 10_000) {
      fs.writeSync(fd, `${chunk.join('\n')}\n`);
      chunk.length = 0;
    }
  }
  const regions = ['eu-west-1', 'us-east-1', 'ap-southeast-2'];
  const ids = regions.map((r, i) => `${r}:ami-0${i}23456789abcdef0`).join('%!(PACKER_COMMA)');
  chunk.push(
    `${t},amazon-ebs.golden,artifact-count,1`,
    `${t},amazon-ebs.golden,artifact,0,builder-id,mitchellh.amazonebs`,
    `${t},amazon-ebs.golden,artifact,0,id,${ids}`,
    `${t},amazon-ebs.golden,artifact,0,string,AMIs were created`,
    `${t},amazon-ebs.golden,artifact,0,files-count,0`,
    `${t},amazon-ebs.golden,artifact,0,end`,
  );
  fs.writeSync(fd, `${chunk.join('\n')}\n`);
  fs.closeSync(fd);
  const bin = path.join(dir, 'bin');
  fs.mkdirSync(bin, { recursive: true });
  fs.writeFileSync(
    path.join(bin, 'packer'),
    `#!/bin/sh
case "$1" in
  --version|version) echo 1.6.6 ;;
  build) cat '${stream}' ;;
esac
`,
    { mode: 0o755 },
  );
  fs.writeFileSync(
    path.join(dir, 'golden.json'),
    '{"builders": [{"type": "amazon-ebs", "name": "golden"}]}\n',
  );
  return { bin, size, lines: n };
}

function imagepipe(cli, dir, extra = [], env) {
  const report = path.join(work, 'packer-build.json');
  const args = [cli, 'packer-build', ...extra, '--format', 'json', '--output', report];
  const saved = process.env.PATH;
  if (env?.PATH) process.env.PATH = env.PATH;
  const m = measure(args, { node: true, cwd: dir });
  process.env.PATH = saved;
  if (!m.error && !m.timedOut && m.status !== 0) m.error = `exit code ${m.status}: ${firstLine(m.stderr)}`;
  if (!m.error && !m.timedOut) {
    try {
      m.report = JSON.parse(fs.readFileSync(report, 'utf8'));
    } catch (error) {
      m.error = `no readable report (${error.message})`;
    }
  }
  return m;
}

const shown = (m) => (m.error ? `error: ${m.error}` : fmtTime(m));

export async function benchPacker(cli) {
  console.log(`## packer-build`);
  if (!onPath('packer')) {
    console.log('\npacker is not on PATH: install it (`apt-get install packer`) to run this bench.');
    return;
  }
  const dir = path.join(work, 'packer-real');
  template(dir);
  const clean = () => {
    for (const f of ['manifest.json', 'build.log', 'artifacts.txt'])
      fs.rmSync(path.join(dir, f), { force: true });
  };
  console.log(
    `\n${BUILDS} null builds, each printing ${LINES} log lines through shell-local (${BUILDS * LINES} lines in all), with the real packer:\n`,
  );
  clean();
  const bare = measure(['packer', 'build', '-machine-readable', '.'], { cwd: dir });
  if (!bare.error && bare.status !== 0) bare.error = `exit code ${bare.status}: ${firstLine(bare.stderr)}`;
  clean();
  const byHand = measure(['sh', 'by-hand.sh'], { cwd: dir });
  if (!byHand.error && byHand.status !== 0)
    byHand.error = `exit code ${byHand.status}: ${firstLine(byHand.stderr)}`;
  clean();
  const ours = imagepipe(cli, dir, ['.', '--manifest-file', 'run-manifest.json']);
  const artifacts = ours.report?.artifacts?.length;
  printTable(
    ['run', 'time', 'peak memory', 'what it gives'],
    [
      ['`packer build -machine-readable` alone', shown(bare), fmtMb(bare.peakMb), 'a log'],
      [
        'by hand: fmt -check, validate, build, grep the artifact ids',
        shown(byHand),
        fmtMb(byHand.peakMb),
        'a log and a list of ids',
      ],
      [
        '`imagepipe packer-build`',
        shown(ours),
        fmtMb(ours.peakMb),
        ours.error ? '' : `${artifacts} artifacts, a manifest of this run, each step in its own group`,
      ],
    ],
  );

  const replay = replayPacker(path.join(work, 'packer-replay'));
  const sizeMb = replay.size / 1024 / 1024;
  console.log(
    `\nReading packer's machine-readable output: ${sizeMb.toFixed(0)} MB, ${replay.lines.toLocaleString('en')} lines replayed by a stand-in packer:\n`,
  );
  const stream = imagepipe(
    cli,
    path.join(work, 'packer-replay'),
    ['golden.json', '--no-validate', '--manifest-file', 'm.json'],
    { PATH: `${replay.bin}${path.delimiter}${process.env.PATH}` },
  );
  const mbS = stream.error ? undefined : sizeMb / (stream.ms / 1000);
  const amis = stream.report ? Object.keys(stream.report.amis).length : undefined;
  printTable(
    ['run', 'time', 'MB/s', 'lines/s', 'peak memory', 'AMIs read'],
    [
      [
        '`imagepipe packer-build` (redact, relay, parse)',
        shown(stream),
        mbS === undefined ? 'n/a' : mbS.toFixed(1),
        mbS === undefined ? 'n/a' : Math.round(replay.lines / (stream.ms / 1000)).toLocaleString('en'),
        fmtMb(stream.peakMb),
        amis ?? 'n/a',
      ],
    ],
  );
  const overhead = ours.error || byHand.error ? undefined : (ours.ms - byHand.ms) / 1000;
  printTargets([
    [
      `overhead over the hand-written steps ≤ ${TARGETS.overheadS} s`,
      overhead === undefined ? 'n/a' : `${overhead.toFixed(2)} s`,
      verdict(overhead === undefined ? undefined : overhead <= TARGETS.overheadS),
    ],
    [
      `machine-readable stream ≥ ${TARGETS.streamMbS} MB/s`,
      mbS === undefined ? 'n/a' : `${mbS.toFixed(1)} MB/s`,
      verdict(mbS === undefined ? undefined : mbS >= TARGETS.streamMbS),
    ],
    [
      `peak memory on the stream ≤ ${TARGETS.peakMb} MB`,
      fmtMb(stream.peakMb),
      verdict(stream.peakMb === undefined ? undefined : stream.peakMb <= TARGETS.peakMb),
    ],
  ]);
}

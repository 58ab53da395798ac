// The publish-image bench: how fast `imagepipe publish-image` pushes an image to a registry with its
// own distribution client, next to `skopeo copy`, and how much memory it needs for large layers.
//
// 1. A generated OCI image layout of BENCH_PUBLISH_MB (default 200 MiB) of incompressible data in
//    5 layers (40/30/15/10/5 % of it; each a tar of one file of random bytes, stored as gzip members
//    at level 0), tagged `bench`, is pushed to a real registry (Debian's docker-registry on
//    127.0.0.1, plain HTTP, storage in a temporary folder removed at the end) by `skopeo copy` and
//    by imagepipe, each run to a repository of its own. Each skopeo run has an empty blob info
//    cache, as on a fresh CI runner (with the shared one it mounts what an earlier run uploaded).
// 2. The same image pushed again to a repository that already holds it, by both: imagepipe should
//    upload nothing.
// 3. Peak memory: imagepipe's on the pushes above, and on one push of an image with a single layer
//    of BENCH_PUBLISH_BIG_MB (default 1024 MiB), next to skopeo's (under /usr/bin/time).
// Each run is shown with what the registry's access log says it did: blobs uploaded, mounted or
// found there, manifests put, requests made.
import { Buffer } from 'node:buffer';
import { spawn } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import * as zlib from 'node:zlib';
import { cached } from './fixtures.mjs';
import {
  RUNS,
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

const MB = setting('BENCH_PUBLISH_MB', 200, 1);
const BIG_MB = setting('BENCH_PUBLISH_BIG_MB', 1024, 1);
/** The image's layers, as shares of BENCH_PUBLISH_MB: 80/60/30/20/10 of the default 200. */
const SHARES = [0.4, 0.3, 0.15, 0.1, 0.05];
/** imagepipe's push may take this many times skopeo's; its peak memory on the big layer stays under this. */
const TARGETS = { ratio: 1.2, bigPeakMb: 200 };
/** As measure(): after a run this long, a tool is not run again. */
const REPEAT_BELOW_MS = 20_000;
const TAG = 'bench';
const MIB = 1024 * 1024;
const MTIME = 1767225600; // 2026-01-01T00:00:00Z: the same bytes for the same random data.
const firstLine = (s) => (s ?? '').trim().split('\n')[0];

// --- the image -------------------------------------------------------------------------------------

/** A ustar header for one regular file. */
function tarHeader(name, size) {
  const h = Buffer.alloc(512);
  h.write(name, 0, 100);
  h.write('0000644\0', 100);
  h.write('0000000\0', 108);
  h.write('0000000\0', 116);
  h.write(`${size.toString(8).padStart(11, '0')}\0`, 124);
  h.write(`${MTIME.toString(8).padStart(11, '0')}\0`, 136);
  h.write(' '.repeat(8), 148);
  h.write('0', 156);
  h.write('ustar\0', 257);
  h.write('00', 263);
  let sum = 0;
  for (const byte of h) sum += byte;
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  return h;
}

/** The pieces of a tar holding one file of `size` random bytes, 1 MiB at most each. */
function* tarOfRandom(name, size) {
  yield tarHeader(name, size);
  for (let left = size; left > 0; left -= MIB) yield crypto.randomBytes(Math.min(left, MIB));
  // The file padded to a whole block, then the two zero blocks that end the archive.
  yield Buffer.alloc(((512 - (size % 512)) % 512) + 1024);
}

function sha256(data) {
  return `sha256:${crypto.createHash('sha256').update(data).digest('hex')}`;
}

function writeBlob(dir, bytes) {
  const digest = sha256(bytes);
  fs.writeFileSync(path.join(dir, 'blobs', 'sha256', digest.slice(7)), bytes);
  return { digest, size: bytes.length };
}

/**
 * A gzip layer: the tar written as one gzip member per piece at level 0 (random bytes do not
 * compress), so the blob is about the size of its content and any gzip reader takes it. Returns
 * its descriptor and its diff ID (the digest of the uncompressed tar).
 */
function writeLayer(dir, name, size) {
  const temp = path.join(dir, 'blobs', 'sha256', `tmp-${process.pid}`);
  const fd = fs.openSync(temp, 'w');
  const blobHash = crypto.createHash('sha256');
  const tarHash = crypto.createHash('sha256');
  let written = 0;
  for (const piece of tarOfRandom(name, size)) {
    tarHash.update(piece);
    const member = zlib.gzipSync(piece, { level: 0 });
    blobHash.update(member);
    fs.writeSync(fd, member);
    written += member.length;
  }
  fs.closeSync(fd);
  const digest = `sha256:${blobHash.digest('hex')}`;
  fs.renameSync(temp, path.join(dir, 'blobs', 'sha256', digest.slice(7)));
  return {
    descriptor: { mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest, size: written },
    diffId: `sha256:${tarHash.digest('hex')}`,
  };
}

/** An OCI image layout at `dir/layout` whose index.json tags one image `bench`, with layers of these sizes. */
function writeLayout(dir, layerSizes) {
  const layout = path.join(dir, 'layout');
  fs.mkdirSync(path.join(layout, 'blobs', 'sha256'), { recursive: true });
  fs.writeFileSync(path.join(layout, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
  const layers = layerSizes.map((size, i) => writeLayer(layout, `data/layer-${i + 1}.bin`, size));
  const created = new Date(MTIME * 1000).toISOString();
  const config = writeBlob(
    layout,
    Buffer.from(
      JSON.stringify({
        created,
        architecture: 'amd64',
        os: 'linux',
        config: { Cmd: ['/bin/sh'] },
        rootfs: { type: 'layers', diff_ids: layers.map((l) => l.diffId) },
        history: layers.map((_, i) => ({ created, created_by: `imagepipe bench: layer ${i + 1}` })),
      }),
    ),
  );
  const manifest = writeBlob(
    layout,
    Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...config },
        layers: layers.map((l) => l.descriptor),
      }),
    ),
  );
  fs.writeFileSync(
    path.join(layout, 'index.json'),
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.index.v1+json',
      manifests: [
        {
          mediaType: 'application/vnd.oci.image.manifest.v1+json',
          ...manifest,
          annotations: { 'org.opencontainers.image.ref.name': TAG },
        },
      ],
    }),
  );
  const bytes = config.size + manifest.size + layers.reduce((n, l) => n + l.descriptor.size, 0);
  return { layout, digest: manifest.digest, layers: layers.length, bytes };
}

/** The generated image (cached): `mb` MiB in layers of these shares of it. */
function ensureImage(name, mb, shares) {
  return cached(`${name}-${mb}mb-${shares.length}l`, (dir) =>
    writeLayout(
      dir,
      shares.map((share) => Math.max(1, Math.round(mb * MIB * share))),
    ),
  );
}

// --- the registry ----------------------------------------------------------------------------------

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function ping(url) {
  return new Promise((resolve) => {
    const req = http.get(`${url}/v2/`, { timeout: 1000 }, (res) => {
      res.resume();
      resolve(true);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => req.destroy());
  });
}

/**
 * Debian's docker-registry on 127.0.0.1 over plain HTTP, storing into a temporary folder. Its
 * access log tells what each run did: `requestsSince(mark())` are the requests since the mark.
 */
async function startRegistry() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'imagepipe-bench-registry-'));
  const host = `127.0.0.1:${await freePort()}`;
  const config = path.join(dir, 'config.yml');
  fs.writeFileSync(
    config,
    [
      'version: 0.1',
      'log:',
      '  level: error',
      '  accesslog:',
      '    disabled: false',
      'storage:',
      `  filesystem: { rootdirectory: ${JSON.stringify(path.join(dir, 'data'))} }`,
      'http:',
      `  addr: ${host}`,
      '',
    ].join('\n'),
  );
  const logFile = path.join(dir, 'registry.log');
  const log = fs.openSync(logFile, 'a');
  const child = spawn('docker-registry', ['serve', config], { stdio: ['ignore', log, log] });
  fs.closeSync(log);
  let exited = false;
  child.once('exit', () => (exited = true));
  // Also when the bench ends early: no registry is left running, no storage left behind.
  const cleanup = () => {
    if (!exited) child.kill('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  };
  process.on('exit', cleanup);
  const stop = async () => {
    process.off('exit', cleanup);
    if (!exited) {
      const gone = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await Promise.race([gone, sleep(5000)]);
    }
    cleanup();
  };
  const baseUrl = `http://${host}`;
  for (let i = 0; !(await ping(baseUrl)); i++) {
    if (i > 100 || exited) {
      const text = fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8').trim() : '';
      await stop();
      throw new Error(`docker-registry did not start${text ? `:\n${text}` : ''}`);
    }
    await sleep(100);
  }
  return {
    host,
    stop,
    mark: () => fs.statSync(logFile).size,
    /** `{ method, path, status }` of each request logged after `mark`. */
    requestsSince(mark) {
      const fd = fs.openSync(logFile, 'r');
      const size = fs.fstatSync(fd).size;
      const text = Buffer.alloc(Math.max(0, size - mark));
      fs.readSync(fd, text, 0, text.length, mark);
      fs.closeSync(fd);
      const requests = [];
      // 127.0.0.1 - - [date] "METHOD /path HTTP/1.1" status size ...
      for (const m of text.toString('utf8').matchAll(/"([A-Z]+) (\/v2\/\S*) HTTP\/[\d.]+" (\d{3})/g))
        requests.push({ method: m[1], path: m[2], status: Number(m[3]) });
      return requests;
    },
  };
}

/** What a run did to the registry, from its access log: blobs uploaded, mounted, found there. */
function blobsDone(requests) {
  const done = { uploaded: 0, mounted: 0, existing: 0, manifests: 0, requests: requests.length };
  for (const { method, path: p, status } of requests) {
    if (method === 'PUT' && status === 201 && /\/blobs\/uploads\/.*[?&]digest=/.test(p)) done.uploaded++;
    else if (method === 'POST' && status === 201 && /[?&]mount=/.test(p)) done.mounted++;
    else if (method === 'HEAD' && status === 200 && /\/blobs\/sha256:/.test(p)) done.existing++;
    else if (method === 'PUT' && status === 201 && /\/manifests\//.test(p)) done.manifests++;
  }
  return done;
}

const blobsText = (d) =>
  [
    `${d.uploaded} uploaded`,
    d.mounted ? `${d.mounted} mounted` : '',
    d.existing ? `${d.existing} found there` : '',
    `${d.manifests} manifest${d.manifests === 1 ? '' : 's'} put`,
    `${d.requests} request${d.requests === 1 ? '' : 's'}`,
  ]
    .filter(Boolean)
    .join(', ');

// --- the runs --------------------------------------------------------------------------------------

/**
 * measure() for runs that must differ: run `i` runs `argvOf(i)` (a repository of its own, say), up
 * to `runs` times (default RUNS), once when a run takes more than 20 s; `env` is added to the
 * environment of each. Returns what measure() does, with an `error` for a run that failed, and
 * `blobs`: what the registry's access log says each run did.
 */
async function measureEach(registry, argvOf, { runs = RUNS, env = () => ({}), ...options } = {}) {
  const times = [];
  const blobs = [];
  let peakMb;
  let last;
  for (let run = 0; run < runs; run++) {
    const mark = registry.mark();
    const extra = env(run);
    const saved = Object.fromEntries(Object.keys(extra).map((k) => [k, process.env[k]]));
    Object.assign(process.env, extra);
    const m = measure(argvOf(run), { ...options, runs: 1 });
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    if (m.peakMb !== undefined) peakMb = Math.max(peakMb ?? 0, m.peakMb);
    if (m.error || m.timedOut) return { ...m, peakMb };
    if (m.status !== 0) return { error: `exit code ${m.status}: ${firstLine(m.stderr)}`, peakMb };
    // The access log is written as each response ends: give the last line time to land.
    await sleep(200);
    blobs.push(blobsDone(registry.requestsSince(mark)));
    times.push(m.ms);
    last = m;
    if (m.ms > REPEAT_BELOW_MS) break;
  }
  times.sort((a, b) => a - b);
  return { ...last, ms: times[Math.floor(times.length / 2)], runs: times.length, peakMb, blobs };
}

/** Each run's blobs, once when every run did the same. */
function runsText(m) {
  if (m.error || !m.blobs) return '';
  const texts = m.blobs.map(blobsText);
  return new Set(texts).size === 1 ? texts[0] : texts.map((t, i) => `run ${i + 1}: ${t}`).join('; ');
}

export async function benchPublish(cli) {
  console.log('## publish-image');
  const missing = ['skopeo', 'docker-registry'].filter((c) => !onPath(c));
  if (missing.length) {
    console.log(
      `\n${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} not on PATH: install ${missing.length > 1 ? 'them' : 'it'} (\`apt-get install skopeo docker-registry\`) to run this bench.`,
    );
    return;
  }
  const image = ensureImage('oci-publish', MB, SHARES);
  const imageMb = image.bytes / MIB;
  const big = ensureImage('oci-publish-big', BIG_MB, [1]);
  const bigMb = big.bytes / MIB;
  const registry = await startRegistry();
  try {
    const { host } = registry;
    let repos = 0;
    /** A repository no run has pushed to. */
    const fresh = (tool) => `${host}/${tool}-${++repos}/app:${TAG}`;
    const skopeo = (img, dest) => [
      'skopeo',
      'copy',
      '--dest-tls-verify=false',
      `oci:${img.layout}:${TAG}`,
      `docker://${dest}`,
    ];
    // Each skopeo run starts with an empty blob info cache of its own, as on a fresh CI runner:
    // with the shared one it would mount the blobs an earlier run uploaded instead of sending them.
    // XDG_DATA_HOME holds it; _CONTAINERS_ROOTLESS_UID makes skopeo run as root look there too,
    // instead of in /var/lib/containers/cache.
    let caches = 0;
    const skopeoEnv = () => ({
      XDG_DATA_HOME: path.join(work, `skopeo-cache-${++caches}`),
      _CONTAINERS_ROOTLESS_UID: String(process.getuid?.() || 1000),
    });
    const imagepipe = (img, dest) => [
      cli,
      'publish-image',
      `oci:${img.layout}:${TAG}`,
      '-d',
      dest,
      '--insecure-registry',
      host,
    ];

    console.log(
      `\nAn OCI layout of ${imageMb.toFixed(0)} MiB in ${image.layers} gzip layers of random bytes, pushed over plain HTTP to docker-registry on ${host}, each run to a repository of its own:\n`,
    );
    const skopeoDests = [];
    const oursDests = [];
    const firstSkopeo = (run) => skopeo(image, (skopeoDests[run] = fresh('skopeo')));
    const firstOurs = (run) => imagepipe(image, (oursDests[run] = fresh('imagepipe')));
    const skopeoPush = await measureEach(registry, firstSkopeo, { env: skopeoEnv });
    const oursPush = await measureEach(registry, firstOurs, { node: true });
    const ok = (m) => !m.error && !m.timedOut;
    // Again into a repository that holds the image already: the first run's of each tool.
    const again = (push, argv, options) =>
      ok(push) ? measureEach(registry, argv, options) : { error: 'the first push failed' };
    const skopeoAgain = await again(skopeoPush, () => skopeo(image, skopeoDests[0]), { env: skopeoEnv });
    const oursAgain = await again(oursPush, () => imagepipe(image, oursDests[0]), { node: true });

    const shown = (m) => (m.error ? `error: ${m.error}` : fmtTime(m));
    const rate = (m, mb) => (ok(m) ? (mb / (m.ms / 1000)).toFixed(1) : 'n/a');
    const ratioOf = (ours, theirs) => (ok(ours) && ok(theirs) ? ours.ms / theirs.ms : undefined);
    const fmtRatio = (r) => (r === undefined ? 'n/a' : `${r.toFixed(2)}×`);
    const ratio = ratioOf(oursPush, skopeoPush);
    // A push to a repository that holds the image sends next to nothing: no rate for it.
    const row = (run, tool, m, vsSkopeo = '') => [
      run,
      tool,
      shown(m),
      run === 'push' ? rate(m, imageMb) : '',
      vsSkopeo,
      fmtMb(m.peakMb),
      runsText(m),
    ];
    printTable(
      ['run', 'tool', 'time', 'MB/s', '× skopeo', 'peak memory', 'what the registry saw'],
      [
        row('push', '`skopeo copy`', skopeoPush),
        row('push', '`imagepipe publish-image`', oursPush, fmtRatio(ratio)),
        row('push again, repository holds it', '`skopeo copy`', skopeoAgain),
        row(
          'push again, repository holds it',
          '`imagepipe publish-image`',
          oursAgain,
          fmtRatio(ratioOf(oursAgain, skopeoAgain)),
        ),
      ],
    );

    console.log(
      `\nOne push of an image with a single ${bigMb.toFixed(0)} MiB layer, to a repository of its own:\n`,
    );
    const bigSkopeo = await measureEach(registry, () => skopeo(big, fresh('skopeo')), {
      runs: 1,
      env: skopeoEnv,
    });
    const bigOurs = await measureEach(registry, () => imagepipe(big, fresh('imagepipe')), {
      runs: 1,
      node: true,
    });
    printTable(
      ['tool', 'time', 'MB/s', 'peak memory', 'what the registry saw'],
      [
        [
          '`skopeo copy`',
          shown(bigSkopeo),
          rate(bigSkopeo, bigMb),
          fmtMb(bigSkopeo.peakMb),
          runsText(bigSkopeo),
        ],
        [
          '`imagepipe publish-image`',
          shown(bigOurs),
          rate(bigOurs, bigMb),
          fmtMb(bigOurs.peakMb),
          runsText(bigOurs),
        ],
      ],
    );

    const sentNothing = ok(oursAgain)
      ? oursAgain.blobs.every((b) => b.uploaded + b.mounted === 0)
      : undefined;
    printTargets([
      [
        `push within ${TARGETS.ratio}× of \`skopeo copy\``,
        fmtRatio(ratio),
        verdict(ratio === undefined ? undefined : ratio <= TARGETS.ratio),
      ],
      [
        'a push to a repository that holds the image uploads nothing',
        ok(oursAgain) ? runsText(oursAgain) : 'n/a',
        verdict(sentNothing),
      ],
      [
        `peak memory pushing one ${bigMb.toFixed(0)} MiB layer well under ${TARGETS.bigPeakMb} MB`,
        ok(bigOurs) ? fmtMb(bigOurs.peakMb) : 'n/a',
        verdict(ok(bigOurs) && bigOurs.peakMb !== undefined ? bigOurs.peakMb < TARGETS.bigPeakMb : undefined),
      ],
    ]);
  } finally {
    await registry.stop();
  }
}

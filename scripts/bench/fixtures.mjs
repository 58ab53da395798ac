// The benchmark's inputs, generated once and cached under the temp folder, keyed by their
// parameters and the generator's version: a folder tree of a given size, and a git history of a
// given number of commits built with `git fast-import`. A manifest written last marks a complete one.
import { Buffer } from 'node:buffer';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { KINDS, generate, rng, treeFiles } from './corpus.mjs';
import { plantedSecrets } from './plant.mjs';

/** Bump when the generated content changes, so stale caches are not reused. */
const GENERATOR_VERSION = 1;
export const CACHE_ROOT = path.join(os.tmpdir(), 'imagepipe-bench-cache');

/** Builds `name` once with `build(dir)` (which returns the manifest), then returns the cached manifest. */
export function cached(name, build) {
  const dir = path.join(CACHE_ROOT, `${name}-v${GENERATOR_VERSION}`);
  const manifestFile = path.join(dir, 'manifest.json');
  if (fs.existsSync(manifestFile))
    return { ...JSON.parse(fs.readFileSync(manifestFile, 'utf8')), cached: true };
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const manifest = { dir, ...build(dir) };
  fs.writeFileSync(manifestFile, JSON.stringify(manifest));
  return { ...manifest, cached: false };
}

/**
 * Puts each planted secret in a generated file of its kind (or in a file of its own) and returns
 * where it ended up: the path and the 1-based line of the secret, read back from the final text.
 */
function plant(files, secrets, r) {
  const placed = secrets.map((secret, n) => {
    if (secret.file) {
      const file = { path: secret.file, kind: 'planted', text: `${secret.lines.join('\n')}\n` };
      files.push(file);
      return { secret, file };
    }
    const candidates = files.filter((f) => f.kind === secret.kind);
    const file = candidates[(n * 7) % candidates.length];
    const lines = file.text.split('\n');
    lines.splice(1 + r.int(Math.max(1, lines.length - 2)), 0, ...secret.lines);
    file.text = lines.join('\n');
    return { secret, file };
  });
  return placed.map(({ secret, file }) => ({
    id: secret.id,
    path: file.path,
    line: file.text.split('\n').indexOf(secret.lines[secret.line - 1]) + 1,
  }));
}

/** A folder of about `mb` MiB: the generated mix of files, with the planted secrets. */
export function ensureTree({ mb, seed = 1 }) {
  return cached(`tree-${mb}mb-s${seed}`, (dir) => {
    const root = path.join(dir, 'tree');
    const files = [...treeFiles(seed, mb * 1024 * 1024)];
    const planted = plant(files, plantedSecrets(seed + 1000), rng(seed + 2000));
    let bytes = 0;
    for (const f of files) {
      const target = path.join(root, f.path);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, f.text);
      bytes += Buffer.byteLength(f.text);
    }
    return { root, files: files.length, bytes, planted };
  });
}

const EXTENSIONS = { env: '.env', ts: '.ts', py: '.py', yaml: '.yaml', sh: '.sh' };
const SMALL_KINDS = KINDS.filter((k) => !['package-lock', 'yarn-lock', 'minified'].includes(k.kind));

/**
 * A repository of `commits` commits on one branch, written as a `git fast-import` stream: a first
 * commit of a few hundred files, then commits that change a few lines in one to three files, add a
 * file or delete one, and a lock file that grows now and then. Each planted secret is added in a
 * commit of its own and deleted some commits later, so it is only in history.
 */
export function ensureHistory({ commits, seed = 1 }) {
  return cached(`history-${commits}c-s${seed}`, (dir) => {
    const repo = path.join(dir, 'repo');
    const r = rng(seed);
    const streamFile = path.join(dir, 'fast-import.stream');
    const fd = fs.openSync(streamFile, 'w');
    const out = (s) => fs.writeSync(fd, s);
    const data = (s) => out(`data ${Buffer.byteLength(s)}\n${s}\n`);
    const tree = new Map();
    const kindOf = new Map();
    for (const f of treeFiles(seed, 2 * 1024 * 1024)) {
      if (f.text.length > 64 * 1024) continue;
      tree.set(f.path, f.text);
      kindOf.set(f.path, f.kind);
    }
    const lock = 'package-lock.json';
    tree.set(lock, generate('package-lock', r, 100 * 1024));
    kindOf.set(lock, 'package-lock');

    const secrets = plantedSecrets(seed + 1000);
    // The commits that add a secret (spread over the history) and those that delete it again.
    const addAt = new Map(secrets.map((s, i) => [Math.floor(((i + 1) * commits) / (secrets.length + 2)), s]));
    const removeAt = new Map();
    const planted = [];
    // Files no random change touches: the planted ones, until the commit that deletes them.
    const fixed = new Set();
    let changedFiles = 0;
    const epoch = 1_700_000_000;

    for (let c = 1; c <= commits; c++) {
      const changes = new Map();
      let message;
      if (c === 1) {
        for (const [p, text] of tree) changes.set(p, text);
        message = 'Initial import';
      } else if (addAt.has(c)) {
        const s = addAt.get(c);
        const p = s.file ?? `config/${s.id}${EXTENSIONS[s.kind]}`;
        const padding = Array.from({ length: 3 }, () => `# ${s.id} settings`).join('\n');
        changes.set(p, `${padding}\n${s.lines.join('\n')}\n`);
        planted.push({ id: s.id, path: p, line: 3 + s.line, commit: c });
        fixed.add(p);
        removeAt.set(c + 1 + r.int(Math.max(1, Math.floor(commits / 20))), p);
        message = `Add ${s.id.split('-')[0]} settings`;
      } else {
        const paths = [...tree.keys()].filter((p) => !fixed.has(p));
        const action = r.next();
        if (action < 0.1 && tree.size > 100) {
          changes.set(r.pick(paths.filter((p) => p !== lock)), null);
          message = 'Remove an unused file';
        } else if (action < 0.25) {
          const k = r.pick(SMALL_KINDS);
          let p = k.name(r);
          while (tree.has(p)) p = p.replace(/(\.[^./]*)?$/, (ext) => `-${c}${ext}`);
          kindOf.set(p, k.kind);
          changes.set(p, generate(k.kind, r, r.logSize(300, 16000)));
          message = `Add ${path.basename(p)}`;
        } else {
          const n = r.chance(0.03) ? 1 : r.between(1, 3);
          for (let i = 0; i < n; i++) {
            const p = r.chance(0.03) ? lock : r.pick(paths);
            const lines = tree.get(p).split('\n');
            const at = r.int(lines.length);
            lines.splice(
              at,
              r.int(4),
              ...generate(kindOf.get(p), r, r.logSize(80, 1500)).split('\n').slice(1, 12),
            );
            changes.set(p, lines.join('\n'));
          }
          message = `Update ${[...changes.keys()].map((p) => path.basename(p)).join(', ')}`;
        }
      }
      if (removeAt.has(c)) changes.set(removeAt.get(c), null);

      const when = epoch + c * 3600;
      out(`commit refs/heads/main\nmark :${c}\n`);
      out(`author Dev ${c % 7} <dev${c % 7}@example.com> ${when} +0000\n`);
      out(`committer Dev ${c % 7} <dev${c % 7}@example.com> ${when} +0000\n`);
      data(message);
      if (c > 1) out(`from :${c - 1}\n`);
      for (const [p, text] of changes) {
        changedFiles++;
        if (text === null) {
          tree.delete(p);
          out(`D ${p}\n`);
        } else {
          tree.set(p, text);
          out(`M 100644 inline ${p}\n`);
          data(text);
        }
      }
      out('\n');
    }
    fs.closeSync(fd);

    fs.mkdirSync(repo, { recursive: true });
    const git = (args, input) => {
      const res = spawnSync('git', args, { cwd: repo, stdio: [input ?? 'ignore', 'ignore', 'pipe'] });
      if (res.status !== 0) throw new Error(`git ${args.join(' ')} failed: ${res.stderr}`);
    };
    git(['init', '-q', '-b', 'main']);
    const stream = fs.openSync(streamFile, 'r');
    git(['fast-import', '--quiet'], stream);
    fs.closeSync(stream);
    fs.rmSync(streamFile);
    git(['checkout', '-q', '-f', 'main']);
    return { root: repo, commits, changedFiles, planted };
  });
}

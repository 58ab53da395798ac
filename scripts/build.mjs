// npm run build: bundles every target with ncc into dist/<name>/.
// npm run check-dist: bundles into a scratch folder and fails on any difference from dist/.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ROOT, allTargets } from './targets.mjs';

const check = process.argv.includes('--check');
const ncc = path.join(ROOT, 'node_modules', '@vercel', 'ncc', 'dist', 'ncc', 'cli.js');
const outRoot = check ? fs.mkdtempSync(path.join(os.tmpdir(), 'imagepipe-dist-')) : ROOT;

function listFiles(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .sort();
}

// WebAssembly a bundle loads at run time from its own folder (src/policy-as-code/parse/hcl.ts):
// tree-sitter's runtime and the HCL grammar, copied next to index.js when the bundle uses them.
// ncc emits its own copy of the runtime as a hashed asset, but reads it as text and so corrupts
// it; that copy is deleted (the code hands the runtime to web-tree-sitter as bytes instead).
const WASM_MARKER = 'tree-sitter-hcl.wasm';
const WASM = [
  ['tree-sitter-hcl.wasm', '@tree-sitter-grammars/tree-sitter-hcl/tree-sitter-hcl.wasm'],
  ['web-tree-sitter.wasm', 'web-tree-sitter/web-tree-sitter.wasm'],
];

// webpack's namespace helper (`__nccwpck_require__.t`) copies a CommonJS module's properties only
// when module.exports is an object, so `await import('module')` of a builtin whose exports are a
// function yields a namespace without `createRequire` (web-tree-sitter does exactly that). Node's
// own namespaces for such builtins do carry the properties: the bundle is made to agree.
const NAMESPACE_LOOP = "typeof current == 'object' && !~leafPrototypes.indexOf(current)";
const NAMESPACE_LOOP_FIXED =
  "(typeof current == 'object' || typeof current == 'function') && !~leafPrototypes.indexOf(current)";

function finishBundle(out) {
  const index = path.join(out, 'index.js');
  let code = fs.readFileSync(index, 'utf8');
  if (code.includes(NAMESPACE_LOOP)) {
    code = code.replace(NAMESPACE_LOOP, NAMESPACE_LOOP_FIXED);
    fs.writeFileSync(index, code);
  }
  for (const f of fs.readdirSync(out)) if (/^[0-9a-f]{20}\.wasm$/.test(f)) fs.rmSync(path.join(out, f));
  if (code.includes(WASM_MARKER)) {
    for (const [name, from] of WASM)
      fs.copyFileSync(path.join(ROOT, 'node_modules', from), path.join(out, name));
  }
}

const targets = allTargets();
for (const target of targets) {
  const out = path.join(outRoot, target.out);
  fs.rmSync(out, { recursive: true, force: true });
  const started = Date.now();
  execFileSync(
    process.execPath,
    [
      ncc,
      'build',
      target.entry,
      '--out',
      out,
      '--source-map',
      '--license',
      'licenses.txt',
      '--quiet',
      '--target',
      'es2022',
    ],
    { cwd: ROOT, stdio: 'inherit' },
  );
  finishBundle(out);
  console.log(`built ${target.out} (${Date.now() - started} ms)`);
}

if (!check) {
  // A bundle folder whose target is gone is stale.
  const known = new Set(targets.map((t) => path.basename(t.out)));
  for (const name of fs.existsSync(path.join(ROOT, 'dist')) ? fs.readdirSync(path.join(ROOT, 'dist')) : []) {
    if (!known.has(name)) fs.rmSync(path.join(ROOT, 'dist', name), { recursive: true, force: true });
  }
  process.exit(0);
}

const committed = path.join(ROOT, 'dist');
const fresh = path.join(outRoot, 'dist');
const a = listFiles(committed);
const b = listFiles(fresh);
const problems = [];
for (const f of new Set([...a, ...b])) {
  if (!a.includes(f)) problems.push(`dist/${f} is missing: it is built but not committed`);
  else if (!b.includes(f)) problems.push(`dist/${f} is stale: nothing builds it any more`);
  else if (!fs.readFileSync(path.join(committed, f)).equals(fs.readFileSync(path.join(fresh, f)))) {
    problems.push(`dist/${f} differs from a fresh build`);
  }
}
fs.rmSync(outRoot, { recursive: true, force: true });
if (problems.length > 0) {
  console.error(problems.join('\n'));
  console.error('dist/ is out of date: run `npm run build` and commit dist/ with the src/ change.');
  process.exit(1);
}
console.log(`dist/ matches a fresh build (${a.length} files).`);

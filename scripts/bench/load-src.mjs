// Imports a module of src/ from a bench script without a build: every src/**/*.ts is transpiled
// (no type check) into a cache folder keyed by the sources' content, whose imports already end in .js.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';
import { ROOT } from '../targets.mjs';
import { CACHE_ROOT } from './fixtures.mjs';

export async function importSource(relative) {
  const src = path.join(ROOT, 'src');
  const files = fs
    .readdirSync(src, { recursive: true })
    .filter((f) => f.endsWith('.ts'))
    .sort();
  const hash = createHash('sha256');
  for (const f of files) hash.update(f).update(fs.readFileSync(path.join(src, f)));
  const out = path.join(CACHE_ROOT, `src-${hash.digest('hex').slice(0, 16)}`);
  if (!fs.existsSync(out)) {
    const tmp = `${out}.tmp-${process.pid}`;
    for (const f of files) {
      const { outputText } = ts.transpileModule(fs.readFileSync(path.join(src, f), 'utf8'), {
        compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
        fileName: f,
      });
      const target = path.join(tmp, f.replace(/\.ts$/, '.js'));
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, outputText);
    }
    // The transpiled modules are ES modules like the sources.
    fs.writeFileSync(path.join(tmp, 'package.json'), '{"type":"module"}\n');
    fs.renameSync(tmp, out);
  }
  return import(path.join(out, relative.replace(/^src\//, '').replace(/\.ts$/, '.js')));
}

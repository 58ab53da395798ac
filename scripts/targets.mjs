// What `npm run build` bundles: every actions/<name>/action.yml whose runs.main points at
// ../../dist/<name>/index.js, from src/<name>/index.ts, plus the CLI. A new action needs no edit here.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';

export const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');

export function actionTargets() {
  const dir = path.join(ROOT, 'actions');
  const names = fs.existsSync(dir) ? fs.readdirSync(dir).sort() : [];
  const targets = [];
  for (const name of names) {
    const file = path.join(dir, name, 'action.yml');
    if (!fs.existsSync(file)) continue;
    const meta = parse(fs.readFileSync(file, 'utf8'));
    const expected = `../../dist/${name}/index.js`;
    if (meta?.runs?.using !== 'node24' || meta?.runs?.main !== expected) {
      throw new Error(`${path.relative(ROOT, file)}: runs must be { using: node24, main: ${expected} }`);
    }
    const entry = path.join('src', name, 'index.ts');
    if (!fs.existsSync(path.join(ROOT, entry)))
      throw new Error(`${path.relative(ROOT, file)}: no entry ${entry}`);
    targets.push({ name, entry, out: path.join('dist', name), action: meta });
  }
  return targets;
}

export function allTargets() {
  return [
    ...actionTargets(),
    { name: 'cli', entry: path.join('src', 'cli', 'index.ts'), out: path.join('dist', 'cli') },
  ];
}

/**
 * Tree scans spread over worker threads find exactly what a single-threaded scan finds. Workers
 * start from the bundle, so this runs the built CLI (dist/cli/index.js).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { PLANTED, plantedTree } from '../helpers/planted.js';
import { tmpDir, writeTree } from '../helpers/tmp.js';

const CLI = path.resolve('dist/cli/index.js');

function scan(dir: string, workers: string) {
  const out = path.join(tmpDir(), 'report.json');
  const r = spawnSync(
    process.execPath,
    [CLI, 'secrets-scan', dir, '--format', 'json', '--output', out, '--verbose'],
    {
      encoding: 'utf8',
      env: { ...process.env, IMAGEPIPE_WORKERS: workers },
    },
  );
  return { status: r.status, stderr: r.stderr, report: JSON.parse(fs.readFileSync(out, 'utf8')) };
}

describe('worker threads', () => {
  it('find the same secrets, at the same places, as the main thread', () => {
    const dir = tmpDir();
    const files: Record<string, string> = {};
    for (let i = 0; i < 300; i++)
      files[`src/m${i}.ts`] = `export const value${i} = ${i};\n// token handling ${i}\n`;
    for (const [rel, text] of Object.entries(plantedTree())) files[`nested/${rel}`] = text;
    files['big/binary.bin'] = 'a\u0000b';
    writeTree(dir, files);

    const single = scan(dir, '0');
    const pooled = scan(dir, '2');
    expect(single.stderr).toContain('scanning in the main thread');
    expect(pooled.stderr).toContain('2 worker threads');
    expect(pooled.status).toBe(1);
    expect(pooled.report.findings).toEqual(single.report.findings);
    expect(pooled.report.findings.length).toBe(5);
    const { durationMs: _a, ...pooledStats } = pooled.report.stats;
    const { durationMs: _b, ...singleStats } = single.report.stats;
    expect(pooledStats).toEqual(singleStats);
    expect(pooledStats).toMatchObject({ filesScanned: 304, skippedBinary: 1 });
    expect(JSON.stringify(pooled.report)).not.toContain(PLANTED.awsSecret);
  });
});

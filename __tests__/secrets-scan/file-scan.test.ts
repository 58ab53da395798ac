import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import {
  STREAM_THRESHOLD,
  scanBuffer,
  scanFileSync,
  scanLargeFileSync,
} from '../../src/secrets-scan/file-scan.js';
import { ruleSetup } from '../../src/secrets-scan/ruleset.js';
import { PLANTED } from '../helpers/planted.js';
import { tmpDir } from '../helpers/tmp.js';

const { set } = ruleSetup();
const WINDOW = 2 * 1024 * 1024;

/**
 * ~7 MiB of text with secrets placed by byte offset: at the start, after multi-byte text, straddling
 * the first window's end, inside a line longer than the overlap that crosses the second window's
 * end (so the third window starts mid-line), and at the end.
 */
function largeText(): string {
  const parts: string[] = [];
  let bytes = 0;
  const add = (text: string) => {
    parts.push(text);
    bytes += Buffer.byteLength(text);
  };
  /** ASCII filler lines up to just before the byte offset. */
  const fillTo = (offset: number) => {
    const line = 'const value = computeSomething(input, options);\n';
    while (bytes + line.length <= offset) add(line);
    add('/'.repeat(offset - bytes - 1) + '\n');
  };
  add(`AWS_ACCESS_KEY_ID=${PLANTED.awsKeyId}\n`);
  add('// ünïcödé 日本語 text\n'.repeat(1000));
  fillTo(WINDOW - 20);
  add(`token = "${PLANTED.githubPat}"\n`);
  fillTo(2 * WINDOW - 80_000);
  add(`${'x'.repeat(100_000)} ${PLANTED.githubPat} ${'y'.repeat(50_000)}\n`);
  fillTo(3 * WINDOW + 5);
  add(`DATABASE_URL=postgres://app:${PLANTED.dbPassword}@db:5432/app\n`);
  fillTo(3 * WINDOW + WINDOW / 2);
  add(`token = "${PLANTED.githubPat}"\n`);
  return parts.join('');
}

describe('large files', () => {
  it('are scanned in windows with exactly the findings, lines and columns of a whole read', () => {
    const dir = tmpDir();
    const file = path.join(dir, 'big.js');
    const text = largeText();
    fs.writeFileSync(file, text);
    const job = { file, rel: 'big.js', maxBytes: 64 * 1024 * 1024, budgetMs: 60_000 };
    expect(fs.statSync(file).size).toBeGreaterThan(STREAM_THRESHOLD);

    const whole = scanBuffer(fs.readFileSync(file), job, set);
    const windowed = scanLargeFileSync(job, set);
    const shape = (o: typeof whole) =>
      o.kind === 'scanned'
        ? o.findings.map((f) => [f.ruleId, f.line, f.column, f.endLine, f.endColumn])
        : o.kind;
    expect(shape(windowed)).toEqual(shape(whole));
    expect(windowed).toMatchObject({ kind: 'scanned', bytes: Buffer.byteLength(text) });
    if (windowed.kind !== 'scanned') throw new Error('not scanned');
    expect(windowed.findings.map((f) => f.ruleId)).toEqual([
      'aws-access-key-id',
      'github-pat',
      'github-pat',
      'url-password',
      'github-pat',
    ]);
    // scanFileSync picks the windowed path for a file this size.
    expect(shape(scanFileSync(job, set))).toEqual(shape(whole));
  });

  it('are still checked for binary content first', () => {
    const file = path.join(tmpDir(), 'blob.bin');
    fs.writeFileSync(
      file,
      Buffer.concat([Buffer.from([0, 1, 2]), Buffer.alloc(STREAM_THRESHOLD + 10, 0x41)]),
    );
    expect(scanFileSync({ file, rel: 'blob.bin', maxBytes: 1 << 30, budgetMs: 1000 }, set)).toEqual({
      kind: 'binary',
    });
  });
});

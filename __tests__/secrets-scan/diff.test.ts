import { describe, expect, it } from '@jest/globals';
import { DiffReader, unquotePath, type AddedText } from '../../src/secrets-scan/diff.js';

function read(text: string, chunkSize = 7, maxFileBytes = 1 << 20): AddedText[] {
  const files: AddedText[] = [];
  const reader = new DiffReader({ onFile: (f) => files.push(f), maxFileBytes });
  const buffer = Buffer.from(text, 'utf8');
  // Chunk boundaries fall inside lines and inside multi-byte characters.
  for (let i = 0; i < buffer.length; i += chunkSize) reader.push(buffer.subarray(i, i + chunkSize));
  reader.end();
  return files;
}

const DIFF = [
  '\x01aaaa\x1fAda\x1fada@example.invalid\x1f2026-01-02T03:04:05+00:00',
  '',
  'diff --git a/app.env b/app.env',
  'index 1..2 100644',
  '--- a/app.env',
  '+++ b/app.env',
  '@@ -1,2 +1,3 @@',
  '-old',
  '--- removed line that looks like a header',
  '+new café',
  '++++ b/added line that looks like a header',
  '+third',
  '@@ -10 +11 @@',
  '-x',
  '+eleven',
  '\\ No newline at end of file',
  'diff --git a/gone.txt b/gone.txt',
  'deleted file mode 100644',
  '--- a/gone.txt',
  '+++ /dev/null',
  '@@ -1 +0,0 @@',
  '-bye',
  'diff --git a/logo.png b/logo.png',
  'Binary files a/logo.png and b/logo.png differ',
  '\x01bbbb\x1fBo\x1fbo@example.invalid\x1f2026-02-03T00:00:00+00:00',
  '',
  'diff --git "a/sp ace\\t\\303\\251.txt" "b/sp ace\\t\\303\\251.txt"',
  'new file mode 100644',
  '--- /dev/null',
  '+++ "b/sp ace\\t\\303\\251.txt"',
  '@@ -0,0 +1,2 @@',
  '+one',
  '+two',
  '',
].join('\n');

describe('DiffReader', () => {
  it.each([1, 3, 7, 4096])(
    'keeps the added lines per file and commit with their line numbers (chunks of %i)',
    (size) => {
      const files = read(DIFF, size);
      expect(files.map((f) => [f.commit?.sha, f.path, f.text, f.lines])).toEqual([
        [
          'aaaa',
          'app.env',
          'new café\n+++ b/added line that looks like a header\nthird\neleven',
          [1, 2, 3, 11],
        ],
        ['bbbb', 'sp ace\té.txt', 'one\ntwo', [1, 2]],
      ]);
      expect(files[0]!.commit).toEqual({
        sha: 'aaaa',
        author: 'Ada',
        email: 'ada@example.invalid',
        date: '2026-01-02T03:04:05+00:00',
      });
    },
  );

  it('keeps only the first maxFileBytes of a file and says so', () => {
    const [f] = read(DIFF, 4096, 12);
    expect(f).toMatchObject({ path: 'app.env', text: 'new café', truncated: true });
  });

  it('reads staged diffs, which have no commit header', () => {
    const files = read(DIFF.split('\n').slice(2, 16).join('\n'));
    expect(files.map((f) => [f.commit, f.path, f.lines])).toEqual([[undefined, 'app.env', [1, 2, 3, 11]]]);
  });
});

describe('unquotePath', () => {
  it.each([
    ['plain/path.txt', 'plain/path.txt'],
    ['"b/a\\"q\\\\b"', 'b/a"q\\b'],
    ['"b/\\346\\227\\245.txt"', 'b/日.txt'],
    ['"b/new\\nline"', 'b/new\nline'],
  ])('%s → %j', (raw, expected) => expect(unquotePath(raw)).toBe(expected));
});

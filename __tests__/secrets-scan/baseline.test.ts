import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { recordingReporter } from '../../src/core/reporter.js';
import { readBaseline, writeBaseline } from '../../src/secrets-scan/baseline.js';
import { toSarif } from '../../src/secrets-scan/report.js';
import { runScan } from '../../src/secrets-scan/run-scan.js';
import { PLANTED } from '../helpers/planted.js';
import { git, gitInit, tmpDir, writeTree } from '../helpers/tmp.js';

const scan = (target: string, baseline?: string) =>
  runScan({
    mode: 'tree',
    target,
    reporter: recordingReporter(),
    ...(baseline ? { baseline: { file: baseline, shown: 'baseline.json' } } : {}),
  });

describe('baselines', () => {
  it('accept today’s findings without the secrets, survive line shifts, and still fail a new secret', async () => {
    const repo = tmpDir();
    gitInit(repo);
    writeTree(repo, {
      'app.env': `AWS_ACCESS_KEY_ID=${PLANTED.awsKeyId}\n`,
      'db.txt': `postgres://u:${PLANTED.dbPassword}@h/db\n`,
    });
    const first = await scan(repo);
    const file = path.join(tmpDir(), 'baseline.json');
    writeBaseline(file, first.findings);
    const text = fs.readFileSync(file, 'utf8');
    expect(text).not.toContain(PLANTED.awsKeyId);
    expect(text).not.toContain(PLANTED.dbPassword);
    expect(JSON.parse(text).findings.map((e: { rule: string; path: string }) => [e.path, e.rule])).toEqual([
      ['app.env', 'aws-access-key-id'],
      ['db.txt', 'url-password'],
    ]);

    // Lines move; the same secrets are still accepted.
    writeTree(repo, { 'app.env': `# moved down\n\nAWS_ACCESS_KEY_ID=${PLANTED.awsKeyId}\n` });
    const shifted = await scan(repo, file);
    expect(shifted.baselined).toBe(2);
    expect(shifted.findings.every((f) => f.suppression?.kind === 'external')).toBe(true);
    const sarif = toSarif(shifted).runs[0] as { results: { suppressions?: { kind: string }[] }[] };
    expect(sarif.results.map((r) => r.suppressions?.[0]?.kind)).toEqual(['external', 'external']);

    // A new secret on the baselined line is not accepted.
    const rotated = PLANTED.awsKeyId.slice(0, -4) + 'ZZZZ';
    writeTree(repo, { 'app.env': `AWS_ACCESS_KEY_ID=${rotated}\n` });
    const fresh = await scan(repo, file);
    expect(fresh.findings.filter((f) => !f.suppression).map((f) => f.path)).toEqual(['app.env']);
  });

  it('refuses a corrupt or foreign baseline with the file and the fix', () => {
    const dir = tmpDir();
    const write = (name: string, content: string) => {
      fs.writeFileSync(path.join(dir, name), content);
      return path.join(dir, name);
    };
    expect(() => readBaseline(write('a.json', '{not json'), 'a.json')).toThrow(
      /^The baseline a.json is not a secrets-scan baseline: it is not valid JSON .*--write-baseline a.json/,
    );
    expect(() => readBaseline(write('b.json', '{"findings": []}'), 'b.json')).toThrow(/"format" is not/);
    expect(() =>
      readBaseline(
        write(
          'c.json',
          JSON.stringify({
            format: 'imagepipe-secrets-baseline',
            version: 1,
            findings: [{ fingerprint: 'x' }],
          }),
        ),
        'c.json',
      ),
    ).toThrow(/findings\[0\] has no 32-hex-digit "fingerprint"/);
    expect(() => readBaseline(path.join(dir, 'missing.json'), 'missing.json')).toThrow(
      /Could not read the baseline missing.json/,
    );
  });

  it('is read before the scan, so a bad one fails fast', async () => {
    const repo = tmpDir();
    git(repo, 'init', '-q');
    await expect(scan(repo, path.join(repo, 'nope.json'))).rejects.toThrow(/Could not read the baseline/);
  });
});

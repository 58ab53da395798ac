import { describe, expect, it } from '@jest/globals';
import { annotations, summaryOf, toJson, toSarif, toText } from '../../src/secrets-scan/report.js';
import { emptyStats, type ScanResult } from '../../src/secrets-scan/scan.js';
import type { Finding, SecretRule } from '../../src/secrets-scan/types.js';
import { sarifSchemaErrors } from '../helpers/sarif-schema.js';

const rules: SecretRule[] = [
  {
    id: 'key',
    title: 'Private key',
    description: 'd',
    severity: 'critical',
    keywords: ['begin'],
    regex: /x/,
  },
  {
    id: 'word',
    title: 'Generic',
    description: 'd',
    severity: 'medium',
    keywords: ['secret'],
    regex: /x/,
    precision: 'medium',
  },
];
const secret = ['S3cr3t', 'Value', 'Zq8vLx'].join('-');
const finding = (over: Partial<Finding>): Finding => ({
  ruleId: 'word',
  path: 'a.env',
  line: 1,
  column: 8,
  endLine: 1,
  endColumn: 27,
  secret,
  redacted: '…(19 chars)',
  fingerprint: 'f'.repeat(32),
  ...over,
});
const result = (findings: Finding[]): ScanResult => ({
  base: '/repo',
  findings,
  rules,
  stats: { ...emptyStats('git'), filesScanned: 1, bytesScanned: 2048, durationMs: 3 },
});

describe('secrets-scan reports', () => {
  const scan = result([
    finding({}),
    finding({ line: 3 }),
    finding({
      ruleId: 'key',
      path: 'id_rsa',
      line: 1,
      column: 1,
      endLine: 7,
      endColumn: 30,
      fingerprint: 'k'.repeat(32),
    }),
  ]);

  it('SARIF: valid, one result each, distinct fingerprints for the same secret twice, rule precision', () => {
    const log = toSarif(scan);
    expect(sarifSchemaErrors(log)).toEqual([]);
    const run = log.runs[0] as any;
    expect(run.results.map((r: any) => r.partialFingerprints['imagepipe/v1'])).toEqual([
      'f'.repeat(32),
      `${'f'.repeat(32)}:1`,
      'k'.repeat(32),
    ]);
    expect(run.tool.driver.rules.map((r: any) => [r.id, r.properties.precision])).toEqual([
      ['key', 'high'],
      ['word', 'medium'],
    ]);
    expect(run.results[2].locations[0].physicalLocation.region).toEqual({
      startLine: 1,
      startColumn: 1,
      endLine: 7,
      endColumn: 30,
    });
  });

  it('annotations carry a column only for one-line spans, as the runner requires', () => {
    const [one, , multi] = annotations(scan);
    expect(one).toMatchObject({ file: 'a.env', line: 1, endLine: 1, column: 8, level: 'error' });
    expect(multi).toMatchObject({ file: 'id_rsa', line: 1, endLine: 7 });
    expect(multi).not.toHaveProperty('column');
  });

  it('no report carries the secret', () => {
    const everything = [
      JSON.stringify(toSarif(scan)),
      JSON.stringify(toJson(scan)),
      toText(scan),
      summaryOf(scan, 's.sarif').render(),
      JSON.stringify(annotations(scan)),
    ].join('\n');
    expect(everything).not.toContain(secret);
  });

  it('counts in words', () => {
    expect(toText(result([finding({})]))).toContain('1 secret found.\nScanned 1 file (2 KiB) in 3 ms.');
    expect(summaryOf(result([]), undefined).render()).toContain('No secrets found.');
  });
});

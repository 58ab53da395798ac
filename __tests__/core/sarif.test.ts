import { describe, expect, it } from '@jest/globals';
import { buildSarif, toSarifUri, type ResultInput, type RuleInput } from '../../src/core/sarif.js';
import { sarifSchemaErrors } from '../helpers/sarif-schema.js';

const tool = {
  name: 'imagepipe test',
  version: '1.2.3',
  informationUri: 'https://example.invalid/imagepipe',
};
const rules: RuleInput[] = [
  { id: 'r-critical', name: 'Critical', shortDescription: 'crit', severity: 'critical', help: 'Fix **it**' },
  { id: 'r-medium', name: 'Medium', shortDescription: 'med', severity: 'medium' },
  { id: 'r-unused', name: 'Unused', shortDescription: 'unused', severity: 'low' },
];
const result = (over: Partial<ResultInput>): ResultInput => ({
  ruleId: 'r-critical',
  severity: 'critical',
  message: 'found',
  path: 'a/b.txt',
  startLine: 3,
  fingerprint: 'abc',
  ...over,
});

describe('buildSarif', () => {
  const log = buildSarif(tool, rules, [
    result({ startColumn: 5, endLine: 3, endColumn: 9, properties: { redacted: 'ab…' } }),
    result({ ruleId: 'r-medium', severity: 'medium', path: '.\\win\\path with space#1.txt', startLine: 0 }),
    result({ suppression: { kind: 'inSource', justification: 'test data' } }),
  ]);

  it('is valid against the official SARIF 2.1.0 schema', () => {
    expect(sarifSchemaErrors(log)).toEqual([]);
  });

  it('an empty run is valid too', () => {
    expect(sarifSchemaErrors(buildSarif(tool, rules, []))).toEqual([]);
  });

  it('carries only the rules used, with security-severity and a level', () => {
    const driver = (log.runs[0] as any).tool.driver;
    expect(driver.rules.map((r: any) => r.id)).toEqual(['r-critical', 'r-medium']);
    expect(driver.rules[0].properties['security-severity']).toBe('9.5');
    expect(driver.rules[1].properties['security-severity']).toBe('5.5');
    expect(driver.rules[0].defaultConfiguration.level).toBe('error');
  });

  it('uses repo-relative / URIs, startLine ≥ 1, and stable fingerprints', () => {
    const results = (log.runs[0] as any).results;
    expect(results[0].locations[0].physicalLocation).toEqual({
      artifactLocation: { uri: 'a/b.txt' },
      region: { startLine: 3, startColumn: 5, endLine: 3, endColumn: 9 },
    });
    expect(results[1].locations[0].physicalLocation.artifactLocation.uri).toBe(
      'win/path%20with%20space%231.txt',
    );
    expect(results[1].locations[0].physicalLocation.region.startLine).toBe(1);
    expect(results[1].level).toBe('warning');
    expect(results[0].partialFingerprints).toEqual({ 'imagepipe/v1': 'abc' });
    expect(results[2].suppressions).toEqual([
      { kind: 'inSource', status: 'accepted', justification: 'test data' },
    ]);
  });

  it.each([
    ['./a/b', 'a/b'],
    ['a\\b\\c', 'a/b/c'],
    ['/abs/x', 'abs/x'],
    ['a/../b', 'b'],
  ])('toSarifUri(%s) = %s', (input, expected) => {
    expect(toSarifUri(input)).toBe(expected);
  });
});

import { describe, expect, it } from '@jest/globals';
import { XMLParser } from 'fast-xml-parser';
import { recordingReporter } from '../../src/core/reporter.js';
import {
  annotations,
  failing,
  summaryOf,
  toJson,
  toJUnit,
  toSarif,
  toText,
} from '../../src/policy-as-code/report.js';
import { runPolicy } from '../../src/policy-as-code/run-policy.js';
import { sarifSchemaErrors } from '../helpers/sarif-schema.js';
import { tmpDir, writeTree } from '../helpers/tmp.js';

const TEMPLATE = `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Open:
    Type: AWS::EC2::Volume
    Properties:
      Size: 10
  Accepted:
    # imagepipe:skip=ebs-volume-unencrypted scratch space, wiped per run
    Type: AWS::EC2::Volume
    Properties:
      Size: 10
`;

async function scan() {
  const dir = tmpDir('policy-report-');
  writeTree(dir, {
    'stack.yaml': TEMPLATE,
    'broken.yaml': 'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  A: [\n',
    '.imagepipe/policy.yaml':
      'custom-rules:\n  - id: acme-small\n    title: Volumes stay small\n    severity: low\n    resource: AWS::EC2::Volume\n    path: Size\n    require: { less-or-equal: 8 }\n',
  });
  return runPolicy({ target: dir, workspace: dir, reporter: recordingReporter() });
}

describe('policy reports', () => {
  it('writes SARIF the 2.1.0 schema accepts, suppressed findings marked, rules with help and severity', async () => {
    const { result } = await scan();
    const sarif = toSarif(result) as unknown as {
      runs: Array<{
        results: Array<Record<string, unknown>>;
        tool: { driver: { rules: Array<Record<string, unknown>> } };
      }>;
    };
    expect(sarifSchemaErrors(sarif)).toEqual([]);
    const results = sarif.runs[0]!.results;
    expect(results.map((r) => [r.ruleId, (r.locations as never[]).length])).toEqual([
      ['parse-error', 1],
      ['ebs-volume-unencrypted', 1],
      ['acme-small', 1],
      ['ebs-volume-unencrypted', 1],
      ['acme-small', 1],
    ]);
    const suppressed = results.filter((r) => r.suppressions);
    expect(suppressed).toHaveLength(1);
    expect(suppressed[0]!.suppressions).toEqual([
      { kind: 'inSource', status: 'accepted', justification: 'imagepipe:skip: scratch space, wiped per run' },
    ]);
    const rule = sarif.runs[0]!.tool.driver.rules.find((r) => r.id === 'ebs-volume-unencrypted')!;
    expect(rule.properties).toMatchObject({ 'security-severity': '8.0' });
    expect((rule.help as { text: string }).text).toMatch(/Fix:.*Encrypted: true[\s\S]*checkov CKV_AWS_3/);
  });

  it('gates at the threshold: low findings fail only at low', async () => {
    const { result } = await scan();
    expect(failing(result.findings, 'high').map((f) => f.ruleId)).toEqual([
      'parse-error',
      'ebs-volume-unencrypted',
    ]);
    expect(failing(result.findings, 'low')).toHaveLength(4);
    const json = toJson(result, 'high');
    expect(json.findings.map((f) => f.failsGate)).toEqual([true, true, false, false, false]);
  });

  it('writes JUnit with a failing case per rule and file at or above the threshold', async () => {
    const { result } = await scan();
    const xml = new XMLParser({ ignoreAttributes: false }).parse(toJUnit(result, 'high'));
    expect(xml.testsuites['@_failures']).toBe('2');
    expect(xml.testsuites['@_tests']).toBe('3');
  });

  it('groups the summary by severity and lists suppressions with their reasons', async () => {
    const { result } = await scan();
    const html = summaryOf(result, 'high', 'policy.sarif').render();
    expect(html).toMatch(/<h3>High \(2\), fails the step<\/h3>/);
    expect(html).toMatch(/<h3>Low \(2\)<\/h3>/);
    expect(html).toMatch(/<h3>Suppressed \(1\)<\/h3>[\s\S]*scratch space, wiped per run/);
  });

  it('annotates failing findings as errors and the rest as warnings', async () => {
    const { result } = await scan();
    expect(annotations(result, 'high').map((a) => [a.level, a.file, a.line])).toEqual([
      ['error', 'broken.yaml', 4],
      ['error', 'stack.yaml', 3],
      ['warning', 'stack.yaml', 6],
      ['warning', 'stack.yaml', 11],
    ]);
    expect(toText(result, 'high')).toMatch(/^broken.yaml:4:1: high: parse-error: /);
  });
});

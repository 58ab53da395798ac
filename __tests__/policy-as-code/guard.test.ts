/**
 * CloudFormation Guard rules with the real cfn-guard (3.1.1 from @cdklabs/cdk-validator-cfnguard,
 * fetched by the helper) and the AWS Control Tower rules that package ships.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { UserError } from '../../src/core/errors.js';
import { recordingReporter } from '../../src/core/reporter.js';
import { runGuard } from '../../src/policy-as-code/guard.js';
import { loadGuardRules } from '../../src/policy-as-code/guard-rules.js';
import { parseFile } from '../../src/policy-as-code/parse/index.js';
import { toSarif } from '../../src/policy-as-code/report.js';
import { runPolicy } from '../../src/policy-as-code/run-policy.js';
import type { PolicyFinding } from '../../src/policy-as-code/types.js';
import { cfnGuard, type CfnGuardFixture } from '../helpers/cfn-guard.js';
import { sarifSchemaErrors } from '../helpers/sarif-schema.js';
import { tmpDir, writeTree } from '../helpers/tmp.js';

let guard: CfnGuardFixture;
let ct: (rel: string) => string;

beforeAll(() => {
  guard = cfnGuard();
  ct = (rel) => path.join(guard.controlTowerRules, rel);
});

const S3_PR_1 = 'guard:s3_bucket_level_public_access_prohibited_check';

const BUCKETS = `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Logs:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: logs
      PublicAccessBlockConfiguration:
        BlockPublicAcls: true
        BlockPublicPolicy: false
        IgnorePublicAcls: true
        RestrictPublicBuckets: true
  Data:
    Type: AWS::S3::Bucket
`;

const SAFE = `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Logs:
    Type: AWS::S3::Bucket
    Properties:
      PublicAccessBlockConfiguration:
        BlockPublicAcls: true
        BlockPublicPolicy: true
        IgnorePublicAcls: true
        RestrictPublicBuckets: true
`;

async function policy(
  files: Record<string, string>,
  guardRules: string[],
  extra: { reporter?: ReturnType<typeof recordingReporter>; allowInline?: boolean } = {},
) {
  const dir = tmpDir('pac-guard-');
  writeTree(dir, files);
  const reporter = extra.reporter ?? recordingReporter();
  const run = await runPolicy({
    target: dir,
    workspace: dir,
    guardRules: guardRules.map((f) => ({ file: path.isAbsolute(f) ? f : path.join(dir, f), shown: f })),
    cfnGuard: async () => guard.binary,
    ...(extra.allowInline === false ? { allowInlineSuppressions: false } : {}),
    reporter,
  });
  return { ...run, dir, reporter };
}

const guardOnly = (findings: PolicyFinding[]) => findings.filter((f) => f.ruleId.startsWith('guard'));
const where = (f: PolicyFinding) => [f.ruleId, f.file, f.pos.line, f.pos.column];

describe('Guard rules through cfn-guard', () => {
  it('reports a failed rule at the property, and at the resource when the property is missing', async () => {
    const { result } = await policy({ 'stack.yaml': BUCKETS }, [ct('s3/ct-s3-pr-1.guard')]);
    const findings = guardOnly(result.findings);
    expect(findings.map(where)).toEqual([
      [S3_PR_1, 'stack.yaml', 9, 9],
      [S3_PR_1, 'stack.yaml', 12, 3],
    ]);
    const [value, missing] = findings as [PolicyFinding, PolicyFinding];
    expect(value).toMatchObject({
      severity: 'high',
      format: 'cloudformation',
      resource: 'AWS::S3::Bucket Logs',
      title: '[CT.S3.PR.1]: Require an Amazon S3 bucket to have block public access settings configured',
      pos: { line: 9, column: 9, endLine: 9, endColumn: 33 },
    });
    expect(value.message).toBe(
      'Logs: PublicAccessBlockConfiguration.BlockPublicPolicy is false, expected == true. [CT.S3.PR.1]: Require an Amazon S3 bucket to have block public access settings configured',
    );
    expect(missing.resource).toBe('AWS::S3::Bucket Data');
    expect(missing.message).toMatch(/^Data: Properties is missing\./);
    // The Rule carries the texts of the rules file, so SARIF describes it.
    const rule = result.rules.find((r) => r.id === S3_PR_1)!;
    expect(rule).toMatchObject({ origin: 'cfn-guard', formats: ['cloudformation'] });
    expect(rule.description).toMatch(/^This control checks whether your Amazon Simple Storage Service/);
    expect(rule.fix).toMatch(/must be set to true under the bucket-level 'PublicAccessBlockConfiguration'/);
    const sarif = toSarif(result) as any;
    expect(sarifSchemaErrors(sarif)).toEqual([]);
    const described = sarif.runs[0].tool.driver.rules.find((r: any) => r.id === S3_PR_1);
    expect(described.properties.tags).toContain('cfn-guard');
    expect(sarif.runs[0].results.filter((r: any) => r.ruleId === S3_PR_1)).toHaveLength(2);
  });

  it('reports nothing for a template that passes, and leaves the built-in findings alone', async () => {
    const { result } = await policy({ 'stack.yaml': SAFE }, [ct('s3/ct-s3-pr-1.guard')]);
    expect(guardOnly(result.findings)).toEqual([]);
    const builtin = await policy({ 'stack.yaml': SAFE }, []);
    expect(result.findings.map(where)).toEqual(builtin.result.findings.map(where));
  });

  it('merges the failed clauses at one place into one finding, listing what is wrong', async () => {
    const { result } = await policy(
      {
        'stack.yaml': `Parameters:
  Flag: {Type: String, Default: "true"}
Resources:
  Logs:
    Type: AWS::S3::Bucket
    Properties:
      PublicAccessBlockConfiguration:
        BlockPublicAcls: !Ref Flag
`,
      },
      [ct('s3/ct-s3-pr-1.guard')],
    );
    const findings = guardOnly(result.findings);
    expect(findings.map((f) => f.pos.line)).toEqual([7, 8]);
    expect(findings[0]!.message).toMatch(
      /^Logs: PublicAccessBlockConfiguration.BlockPublicPolicy is missing; PublicAccessBlockConfiguration.IgnorePublicAcls is missing; PublicAccessBlockConfiguration.RestrictPublicBuckets is missing\. \[CT.S3.PR.1\]/,
    );
    expect(findings[1]!.message).toMatch(
      /^Logs: PublicAccessBlockConfiguration.BlockPublicAcls is \{"Ref":"Flag"\}, expected == true\./,
    );
  });

  it('maps JSON templates and list items to their lines', async () => {
    const json = JSON.stringify(
      {
        Resources: {
          Web: {
            Type: 'AWS::EC2::SecurityGroup',
            Properties: {
              GroupDescription: 'web',
              SecurityGroupIngress: [
                { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, CidrIp: '10.0.0.0/8' },
                { IpProtocol: 'tcp', FromPort: 22, ToPort: 22, CidrIp: '0.0.0.0/0' },
              ],
            },
          },
        },
      },
      null,
      2,
    );
    const rules = `rule no_open_ssh {
  Resources.*[ Type == 'AWS::EC2::SecurityGroup' ].Properties.SecurityGroupIngress[*] {
    when FromPort == 22 {
      CidrIp != '0.0.0.0/0' << SSH must not be open to the world >>
    }
  }
}
`;
    const { result } = await policy({ 'sg.json': json, 'rules/ssh.guard': rules }, ['rules/ssh.guard']);
    const findings = guardOnly(result.findings);
    const line = json.split('\n').findIndex((l) => l.includes('"0.0.0.0/0"')) + 1;
    expect(findings.map(where)).toEqual([['guard:no_open_ssh', 'sg.json', line, 13]]);
    expect(findings[0]!.message).toBe(
      'Web: SecurityGroupIngress[1].CidrIp is "0.0.0.0/0", expected != "0.0.0.0/0". SSH must not be open to the world',
    );
    expect(result.rules.find((r) => r.id === 'guard:no_open_ssh')!.title).toBe(
      'SSH must not be open to the world',
    );
  });

  it('reports a rules file cfn-guard cannot parse at its line, and still runs the others', async () => {
    const reporter = recordingReporter();
    const { result } = await policy(
      { 'stack.yaml': BUCKETS, 'rules/broken.guard': 'rule broken {\n  Resources.*[ Type == "x"\n}\n' },
      ['rules/broken.guard', ct('s3/ct-s3-pr-1.guard')],
      { reporter },
    );
    const errors = result.findings.filter((f) => f.ruleId === 'guard-error');
    expect(errors.map(where)).toEqual([['guard-error', 'rules/broken.guard', 3, 1]]);
    expect(errors[0]!.message).toMatch(
      /^cfn-guard cannot parse the rules file rules\/broken.guard, so its rules were not applied: .*line 3 at column 1/,
    );
    expect(errors[0]!.severity).toBe('high');
    expect(guardOnly(result.findings).filter((f) => f.ruleId === S3_PR_1)).toHaveLength(2);
    expect(reporter.lines.some((l) => l.startsWith('warning: cfn-guard cannot parse the rules file'))).toBe(
      true,
    );
    expect(sarifSchemaErrors(toSarif(result))).toEqual([]);
  });

  it('tells apart two broken-looking rule files with the same name', async () => {
    const { result } = await policy(
      {
        'stack.yaml': BUCKETS,
        'a/s3.guard': 'rule ok_rule { Resources exists }\n',
        'b/s3.guard': 'rule bad {\n  Resources.*[\n',
      },
      ['a/s3.guard', 'b/s3.guard'],
    );
    expect(result.findings.filter((f) => f.ruleId === 'guard-error').map((f) => f.file)).toEqual([
      'b/s3.guard',
    ]);
  });

  it('reports a template cfn-guard cannot read and checks the rest of the batch', async () => {
    const dir = tmpDir('pac-guard-bad-');
    writeTree(dir, { 'good.yaml': BUCKETS, 'bad.yaml': 'Resources:\n  X: [\n' });
    const doc = parseFile('good.yaml', BUCKETS).docs[0]!;
    const rules = loadGuardRules([{ file: ct('s3/ct-s3-pr-1.guard'), shown: 'ct-s3-pr-1.guard' }]);
    const reporter = recordingReporter();
    const run = await runGuard({
      binary: guard.binary,
      ruleFiles: rules.files,
      rules: rules.byName,
      // The scan would not hand over a file it cannot parse; cfn-guard's YAML reader can still
      // disagree with ours, which this stands for.
      targets: [
        { doc: { ...doc, file: 'bad.yaml' }, absolute: path.join(dir, 'bad.yaml') },
        { doc, absolute: path.join(dir, 'good.yaml') },
      ],
      base: dir,
      reporter,
      parallelism: 1,
    });
    expect(run.findings.map((f) => [f.ruleId, f.file])).toEqual([
      ['guard-error', 'bad.yaml'],
      [S3_PR_1, 'good.yaml'],
      [S3_PR_1, 'good.yaml'],
    ]);
    expect(run.findings[0]!.message).toMatch(
      /^cfn-guard cannot read this template, so the Guard rules were not applied to it: .*bad\.yaml/,
    );
    expect(run.processes).toBe(2);
  });

  it('stops with a user error, not a finding per template, when cfn-guard cannot be run', async () => {
    const dir = tmpDir('pac-guard-nobin-');
    writeTree(dir, { 'a.yaml': BUCKETS });
    const rules = loadGuardRules([{ file: ct('s3/ct-s3-pr-1.guard'), shown: 'ct-s3-pr-1.guard' }]);
    const run = runGuard({
      binary: path.join(dir, 'no-cfn-guard'),
      ruleFiles: rules.files,
      rules: rules.byName,
      targets: [{ doc: parseFile('a.yaml', BUCKETS).docs[0]!, absolute: path.join(dir, 'a.yaml') }],
      base: dir,
      reporter: recordingReporter(),
    });
    await expect(run).rejects.toBeInstanceOf(UserError);
    await expect(run).rejects.toThrow(/no-cfn-guard: it was not found/);
  });

  it('honours the configuration (off, severity, exclude) and imagepipe:skip for Guard rules', async () => {
    const logging = 'guard:s3_bucket_logging_enabled_check';
    const skip = BUCKETS.replace(
      '  Data:\n',
      `  # imagepipe:skip=${S3_PR_1} the data bucket is private by account setting\n  Data:\n`,
    );
    const files = { 'stack.yaml': skip, 'legacy/old.yaml': BUCKETS };
    const rules = [ct('s3/ct-s3-pr-1.guard'), ct('s3/ct-s3-pr-2.guard')];
    const plain = await policy(files, rules);
    expect(new Set(guardOnly(plain.result.findings).map((f) => f.ruleId))).toEqual(
      new Set([S3_PR_1, logging]),
    );
    const data = plain.result.findings.find(
      (f) => f.file === 'stack.yaml' && f.resource === 'AWS::S3::Bucket Data' && f.ruleId === S3_PR_1,
    )!;
    expect(data.suppression).toEqual({
      kind: 'inSource',
      via: 'imagepipe:skip',
      justification: 'the data bucket is private by account setting',
    });
    expect(plain.result.findings.filter((f) => f.ruleId === 'suppression-invalid')).toEqual([]);

    const strict = await policy(files, rules, { allowInline: false });
    expect(
      strict.result.findings.find((f) => f.fingerprint === data.fingerprint)!.suppression,
    ).toBeUndefined();
    expect(strict.result.ignoredSuppressions).toBe(1);

    const config = `rules:\n  ${logging}: off\n  ${S3_PR_1}:\n    severity: medium\n    exclude: [legacy/**]\n`;
    const configured = await policy({ ...files, '.imagepipe/policy.yaml': config }, rules);
    const ids = configured.result.findings.map((f) => f.ruleId);
    expect(ids).not.toContain(logging);
    expect(configured.result.rules.map((r) => r.id)).not.toContain(logging);
    for (const f of configured.result.findings.filter((x) => x.ruleId === S3_PR_1)) {
      expect(f.severity).toBe('medium');
      if (f.file.startsWith('legacy/'))
        expect(f.suppression).toMatchObject({ kind: 'external', via: 'config' });
    }
  });

  it('names clauses outside named rules as cfn-guard does, and lets imagepipe:skip and the configuration name them', async () => {
    const plain = `# Buckets need a name.
let buckets = Resources.*[ Type == 'AWS::S3::Bucket' ]
%buckets.Properties.BucketName exists << Name every bucket >>
rule named when %buckets !empty {
  %buckets.Properties.Tags exists
}
`;
    const template = (skip: string) =>
      `Resources:\n  Logs:\n${skip}    Type: AWS::S3::Bucket\n    Properties:\n      Tags: [{Key: a, Value: b}]\n`;
    const { result } = await policy({ 'stack.yaml': template(''), 'rules/plain.guard': plain }, [
      'rules/plain.guard',
    ]);
    const findings = guardOnly(result.findings);
    expect(findings.map((f) => [f.ruleId, f.pos.line, f.message])).toEqual([
      ['guard:plain.guard/default', 2, 'Logs: BucketName is missing. Name every bucket'],
    ]);
    expect(result.rules.find((r) => r.id === 'guard:plain.guard/default')!.title).toBe('Name every bucket');
    expect(result.rules.map((r) => r.id)).toContain('guard:named');

    const skipped = await policy(
      {
        'stack.yaml': template('    # imagepipe:skip=guard:plain.guard/default: named by its stack\n'),
        'rules/plain.guard': plain,
      },
      ['rules/plain.guard'],
    );
    expect(guardOnly(skipped.result.findings)[0]!.suppression?.justification).toBe('named by its stack');
    expect(skipped.result.findings.filter((f) => f.ruleId === 'suppression-invalid')).toEqual([]);

    const off = await policy(
      {
        'stack.yaml': template(''),
        'rules/plain.guard': plain,
        '.imagepipe/policy.yaml': 'rules:\n  guard:plain.guard/default: off\n',
      },
      ['rules/plain.guard'],
    );
    expect(guardOnly(off.result.findings)).toEqual([]);
  });

  it('refuses an unknown guard: id in the configuration, naming its line', async () => {
    await expect(
      policy(
        {
          'stack.yaml': SAFE,
          '.imagepipe/policy.yaml': 'rules:\n  guard:s3_bucket_level_public_access_prohibited: off\n',
        },
        [ct('s3/ct-s3-pr-1.guard')],
      ),
    ).rejects.toThrow(
      /^\.imagepipe\/policy.yaml:2: rules: unknown Guard rule 'guard:s3_bucket_level_public_access_prohibited'\. .*Did you mean 'guard:s3_bucket_level_public_access_prohibited_check'\?/,
    );
  });

  it('takes Guard rule files from the configuration too, relative to it', async () => {
    const { result } = await policy(
      {
        'stack.yaml': BUCKETS,
        '.imagepipe/policy.yaml': 'guard-rules: [guard/]\n',
        '.imagepipe/guard/s3.guard': fs.readFileSync(ct('s3/ct-s3-pr-1.guard'), 'utf8'),
      },
      [],
    );
    expect(guardOnly(result.findings).map((f) => f.ruleId)).toEqual([S3_PR_1, S3_PR_1]);
  });

  it('refuses a missing rules file or an empty folder before the scan, naming the input', () => {
    const dir = tmpDir('pac-guard-missing-');
    expect(() => loadGuardRules([{ file: path.join(dir, 'nope.guard'), shown: 'nope.guard' }])).toThrow(
      UserError,
    );
    expect(() => loadGuardRules([{ file: path.join(dir, 'nope.guard'), shown: 'nope.guard' }])).toThrow(
      /^guard-rules: no such file or folder: nope.guard\./,
    );
    expect(() => loadGuardRules([{ file: dir, shown: 'rules' }], '--guard-rules')).toThrow(
      /^--guard-rules: the folder rules holds no \.guard or \.ruleset file/,
    );
  });

  it('does not look for cfn-guard when there is no CloudFormation template', async () => {
    const dir = tmpDir('pac-guard-none-');
    writeTree(dir, { Dockerfile: 'FROM alpine:3.20\n' });
    let asked = 0;
    const reporter = recordingReporter();
    await runPolicy({
      target: dir,
      workspace: dir,
      guardRules: [{ file: ct('s3/ct-s3-pr-1.guard'), shown: 'ct-s3-pr-1.guard' }],
      cfnGuard: async () => {
        asked++;
        return guard.binary;
      },
      reporter,
    });
    expect(asked).toBe(0);
    expect(reporter.lines).toContain('Guard rules: the scan found no CloudFormation template to check.');
  });

  it('reads all 237 Control Tower rules and checks a folder of templates in a few processes', async () => {
    const rules = loadGuardRules([{ file: guard.controlTowerRules, shown: 'control-tower' }]);
    expect(rules.files).toHaveLength(237);
    expect(rules.rules).toHaveLength(237);
    const files: Record<string, string> = {};
    for (let i = 0; i < 8; i++) files[`stacks/s${i}.yaml`] = BUCKETS;
    const started = Date.now();
    const { result, reporter } = await policy(files, [guard.controlTowerRules]);
    const ms = Date.now() - started;
    const perFile = new Map<string, number>();
    for (const f of guardOnly(result.findings)) perFile.set(f.file, (perFile.get(f.file) ?? 0) + 1);
    expect([...perFile.keys()]).toHaveLength(8);
    expect(new Set(perFile.values()).size).toBe(1);
    expect(result.findings.some((f) => f.ruleId === 'guard-error')).toBe(false);
    const summary = reporter.lines.find((l) => l.startsWith('cfn-guard: 237 rules files over 8 templates'));
    expect(summary).toBeDefined();
    // A figure for the log, never an assertion on speed.
    console.log(`${summary} (whole run ${ms} ms)`);
  });
});

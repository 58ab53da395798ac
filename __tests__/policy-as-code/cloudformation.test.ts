import { describe, expect, it } from '@jest/globals';
import { get, possibleAt, toBool, toNumber, toStr, UNKNOWN } from '../../src/policy-as-code/model.js';
import { parseFile } from '../../src/policy-as-code/parse/index.js';

const YAML = `AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Enc:
    Type: String
    Default: "false"
  NoDefault:
    Type: String
Conditions:
  Prod: !Equals [!Ref Env, prod]
Resources:
  Vol:
    Type: AWS::EC2::Volume
    Properties:
      Encrypted: !Ref Enc
      Size: !If [Prod, 100, "20"]
      KmsKeyId: !GetAtt Key.Arn
      Iops: !Ref NoDefault
      Tags:
        - Key: a
          Value: !Sub "\${AWS::StackName}-x"
`;

describe('CloudFormation YAML', () => {
  const { docs, errors } = parseFile('stack.yaml', YAML);
  const doc = docs[0]!;
  const vol = doc.resources[0]!;

  it('finds resources with their type, logical id and position', () => {
    expect(errors).toEqual([]);
    expect(doc.format).toBe('cloudformation');
    expect(vol).toMatchObject({ type: 'AWS::EC2::Volume', name: 'Vol', pos: { line: 11, column: 3 } });
  });

  it('resolves Ref to a parameter default and coerces "false"', () => {
    const values = possibleAt(vol.body, doc, 'Encrypted');
    expect(values.map((v) => (v === UNKNOWN ? 'unknown' : toBool(v)))).toEqual([false]);
    expect(get(vol.body, 'Encrypted')!.pos).toMatchObject({ line: 14, column: 18 });
  });

  it('expands both branches of !If and coerces "20"', () => {
    const values = possibleAt(vol.body, doc, 'Size').map((v) => (v === UNKNOWN ? 'unknown' : toNumber(v)));
    expect(values).toEqual([100, 20]);
  });

  it('keeps what cannot be known unknown: GetAtt, a parameter without default', () => {
    expect(possibleAt(vol.body, doc, 'KmsKeyId')).toEqual([UNKNOWN]);
    expect(possibleAt(vol.body, doc, 'Iops')).toEqual([UNKNOWN]);
    const getAtt = get(vol.body, 'KmsKeyId');
    expect(getAtt).toMatchObject({ kind: 'fn', name: 'Fn::GetAtt', arg: { kind: 'list' } });
  });

  it('reads nested lists with positions', () => {
    expect(toStr(get(vol.body, 'Tags', 0, 'Key'))).toBe('a');
    expect(get(vol.body, 'Tags', 0, 'Value')).toMatchObject({
      kind: 'fn',
      name: 'Fn::Sub',
      pos: { line: 20 },
    });
  });
});

describe('CloudFormation JSON', () => {
  const json = JSON.stringify(
    {
      Parameters: { Public: { Type: 'String', Default: 'true' } },
      Resources: {
        Db: {
          Type: 'AWS::RDS::DBInstance',
          Properties: {
            PubliclyAccessible: { Ref: 'Public' },
            StorageEncrypted: { 'Fn::If': ['C', true, { Ref: 'AWS::NoValue' }] },
          },
        },
      },
    },
    null,
    2,
  );
  const { docs, errors } = parseFile('db.template.json', json);

  it('is detected by an AWS:: resource type and turns long-form intrinsics into functions', () => {
    expect(errors).toEqual([]);
    const doc = docs[0]!;
    const db = doc.resources[0]!;
    expect(db).toMatchObject({ type: 'AWS::RDS::DBInstance', name: 'Db', pos: { line: 9 } });
    expect(
      possibleAt(db.body, doc, 'PubliclyAccessible').map((v) => (v === UNKNOWN ? v : toBool(v))),
    ).toEqual([true]);
    expect(
      possibleAt(db.body, doc, 'StorageEncrypted').map((v) => (v === UNKNOWN ? v : v && toBool(v))),
    ).toEqual([true, undefined]);
  });
});

describe('what is not a template', () => {
  it('ignores other YAML and JSON', () => {
    expect(parseFile('compose.yaml', 'services:\n  web:\n    image: nginx\n')).toEqual({
      docs: [],
      errors: [],
    });
    expect(parseFile('package.json', '{"name": "x"}')).toEqual({ docs: [], errors: [] });
    expect(parseFile('broken.yaml', 'a: [\n')).toEqual({ docs: [], errors: [] });
  });

  it('reports a broken template with the line and message', () => {
    const { docs, errors } = parseFile(
      'bad.yaml',
      'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  A:\n    Type: AWS::S3::Bucket\n   Properties: x\n  - b\n',
    );
    expect(docs).toEqual([]);
    expect(errors.length).toBeGreaterThan(0);
    expect(errors[0]).toMatchObject({ file: 'bad.yaml', format: 'cloudformation' });
    expect(errors[0]!.line).toBeGreaterThanOrEqual(4);
  });
});

describe('the YAML reader', () => {
  const TEXT = `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  A:
    Type: AWS::SNS::Topic
    Properties:
      Flow: [!Ref X, !GetAtt B.Arn, plain]
      Block:
        - !Sub "\${AWS::StackName}-a"
        - !If
          - Prod
          - !Ref Y
          - !Ref AWS::NoValue
      Script: !Sub |
        echo \${Name}
      Empty: !Ref
      Anchored: &common
        k: v
      Alias: *common
      Merged:
        <<: *common
        z: 1
      Yes: yes
      Hex: 0x1F
      Tilde: ~
      Quoted: "true"
      Commented: # a comment that mentions !Sub
        plain
`;
  const { docs, errors } = parseFile('t.yaml', TEXT);
  const body = docs[0]!.resources[0]!.body;

  it('reads short-form tags wherever they are written', () => {
    expect(errors).toEqual([]);
    const flow = get(body, 'Flow');
    expect(flow?.kind === 'list' && flow.items.map((i) => (i.kind === 'fn' ? i.name : i.kind))).toEqual([
      'Ref',
      'Fn::GetAtt',
      'scalar',
    ]);
    const block = get(body, 'Block');
    expect(block?.kind === 'list' && block.items.map((i) => (i.kind === 'fn' ? i.name : i.kind))).toEqual([
      'Fn::Sub',
      'Fn::If',
    ]);
    expect(get(body, 'Block', 1)?.pos).toMatchObject({ line: 9, column: 11 });
    expect(get(body, 'Script')).toMatchObject({ kind: 'fn', name: 'Fn::Sub', pos: { line: 13 } });
    expect(get(body, 'Empty')).toMatchObject({ kind: 'fn', name: 'Ref' });
    expect(get(body, 'Commented')).toMatchObject({ kind: 'scalar', value: 'plain' });
  });

  it('resolves aliases and merge keys, and types plain scalars by the YAML 1.2 core schema', () => {
    expect(toStr(get(body, 'Alias', 'k'))).toBe('v');
    expect(toStr(get(body, 'Merged', 'k'))).toBe('v');
    expect(toNumber(get(body, 'Merged', 'z'))).toBe(1);
    expect(get(body, 'Yes')).toMatchObject({ value: 'yes' });
    expect(get(body, 'Hex')).toMatchObject({ value: 31 });
    expect(get(body, 'Tilde')).toMatchObject({ value: null });
    expect(get(body, 'Quoted')).toMatchObject({ value: 'true' });
  });

  it('reports a syntax error at its line, and a JSON one too', () => {
    const bad = parseFile('bad.yaml', 'AWSTemplateFormatVersion: "2010-09-09"\nResources: [\n');
    expect(bad.docs).toEqual([]);
    expect(bad.errors[0]).toMatchObject({ format: 'cloudformation' });
    const json = parseFile(
      'bad.json',
      '{\n  "AWSTemplateFormatVersion": "2010-09-09",\n  "Resources": {,}\n}\n',
    );
    expect(json.docs).toEqual([]);
    expect(json.errors[0]).toMatchObject({ line: 3, format: 'cloudformation' });
  });
});

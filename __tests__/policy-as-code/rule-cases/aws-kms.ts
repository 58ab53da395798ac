import type { RuleCase } from './types.js';
import { jsonTemplate, lineOf, resource, RESOURCE_LINE } from './aws-template.js';

const key = (props: string, more = '') => resource('AWS::KMS::Key', props, more);

const keyJson = jsonTemplate({
  Key: {
    Type: 'AWS::KMS::Key',
    Properties: {
      EnableKeyRotation: true,
      KeyPolicy: {
        Statement: [
          {
            Effect: 'Allow',
            Principal: { AWS: 'arn:aws:iam::123456789012:root' },
            Action: 'kms:*',
            Resource: '*',
          },
          { Effect: 'Allow', Principal: { AWS: ['*'] }, Action: 'kms:Decrypt', Resource: '*' },
        ],
      },
    },
  },
});

export const KMS_CASES: RuleCase[] = [
  {
    rule: 'kms-rotation-off',
    name: 'absent, and false through a parameter',
    file: 'kms.yaml',
    text: key(
      '      Description: data',
      `  Second:
    Type: AWS::KMS::Key
    Properties:
      EnableKeyRotation: !Ref Flag
`,
    ),
    lines: [RESOURCE_LINE, 17],
  },
  {
    rule: 'kms-rotation-off',
    name: 'rotating, asymmetric, HMAC and imported keys',
    file: 'kms.yaml',
    text: key(
      '      EnableKeyRotation: true',
      `  Signing:
    Type: AWS::KMS::Key
    Properties:
      KeySpec: RSA_2048
      KeyUsage: SIGN_VERIFY
  Mac:
    Type: AWS::KMS::Key
    Properties:
      KeySpec: HMAC_256
      KeyUsage: GENERATE_VERIFY_MAC
  Imported:
    Type: AWS::KMS::Key
    Properties:
      Origin: EXTERNAL
`,
    ),
    lines: [],
  },
  {
    rule: 'kms-policy-wildcard-principal',
    name: '{AWS: ["*"]} in JSON',
    file: 'kms.json',
    text: keyJson,
    lines: [lineOf(keyJson, '"*"', 2) + 0],
  },
  {
    rule: 'kms-policy-wildcard-principal',
    name: 'Principal "*" without a condition',
    file: 'kms.yaml',
    text: key(`      KeyPolicy:
        Statement:
          - Effect: Allow
            Principal: "*"
            Action: kms:Decrypt
            Resource: "*"
`),
    lines: [16],
  },
  {
    rule: 'kms-policy-wildcard-principal',
    name: 'the account root, and "*" limited to the caller account and a service',
    file: 'kms.yaml',
    text: key(`      KeyPolicy:
        Statement:
          - Effect: Allow
            Principal: {AWS: !Sub "arn:aws:iam::\${AWS::AccountId}:root"}
            Action: kms:*
            Resource: "*"
          - Effect: Allow
            Principal: {AWS: "*"}
            Action: [kms:Encrypt, kms:Decrypt]
            Resource: "*"
            Condition:
              StringEquals:
                kms:CallerAccount: !Ref AWS::AccountId
                kms:ViaService: ec2.eu-west-1.amazonaws.com
`),
    lines: [],
  },
];

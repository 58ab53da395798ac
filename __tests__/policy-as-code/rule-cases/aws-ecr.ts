import type { RuleCase } from './types.js';
import { jsonTemplate, lineOf, resource, RESOURCE_LINE } from './aws-template.js';

const repo = (props: string, more = '') => resource('AWS::ECR::Repository', props, more);

const policyJson = jsonTemplate({
  Repo: {
    Type: 'AWS::ECR::Repository',
    Properties: {
      ImageTagMutability: 'IMMUTABLE',
      RepositoryPolicyText: JSON.stringify({
        Statement: [{ Effect: 'Allow', Principal: '*', Action: ['ecr:BatchGetImage', 'ecr:PutImage'] }],
      }),
    },
  },
});

export const ECR_CASES: RuleCase[] = [
  {
    rule: 'ecr-tags-mutable',
    name: 'absent, MUTABLE, and through a branch',
    file: 'ecr.yaml',
    text: repo(
      '      RepositoryName: app',
      `  Second:
    Type: AWS::ECR::Repository
    Properties:
      ImageTagMutability: MUTABLE
  Third:
    Type: AWS::ECR::Repository
    Properties:
      ImageTagMutability: !If [Prod, IMMUTABLE, MUTABLE]
`,
    ),
    lines: [RESOURCE_LINE, 17, 21],
  },
  {
    rule: 'ecr-tags-mutable',
    name: 'immutable, with or without exclusions, and unknown',
    file: 'ecr.yaml',
    text: repo(
      '      ImageTagMutability: IMMUTABLE',
      `  Second:
    Type: AWS::ECR::Repository
    Properties:
      ImageTagMutability: IMMUTABLE_WITH_EXCLUSION
  Third:
    Type: AWS::ECR::Repository
    Properties:
      ImageTagMutability: !Ref Free
`,
    ),
    lines: [],
  },
  {
    rule: 'ecr-scan-on-push-off',
    name: 'no scanning configuration, and "false"',
    file: 'ecr.yaml',
    text: repo(
      '      RepositoryName: app',
      `  Second:
    Type: AWS::ECR::Repository
    Properties:
      ImageScanningConfiguration:
        ScanOnPush: "false"
`,
    ),
    lines: [RESOURCE_LINE, 18],
  },
  {
    rule: 'ecr-scan-on-push-off',
    name: 'scan on push, or registry-level scanning',
    file: 'ecr.yaml',
    text: repo(
      '      ImageScanningConfiguration: {ScanOnPush: true}',
      `  Registry:
    Type: AWS::ECR::RegistryScanningConfiguration
    Properties:
      ScanType: ENHANCED
      Rules:
        - ScanFrequency: CONTINUOUS_SCAN
          RepositoryFilters: [{Filter: "*", FilterType: WILDCARD}]
  Unscanned:
    Type: AWS::ECR::Repository
    Properties:
      RepositoryName: other
`,
    ),
    lines: [],
  },
  {
    rule: 'ecr-policy-public',
    name: 'Principal "*" in a JSON string policy',
    file: 'ecr.json',
    text: policyJson,
    lines: [lineOf(policyJson, '"RepositoryPolicyText"')],
  },
  {
    rule: 'ecr-policy-public',
    name: '{AWS: "*"} in a YAML policy',
    file: 'ecr.yaml',
    text: repo(`      RepositoryPolicyText:
        Statement:
          - Sid: pull
            Effect: Allow
            Principal: {AWS: "*"}
            Action: [ecr:BatchGetImage, ecr:GetDownloadUrlForLayer]
`),
    lines: [17],
  },
  {
    rule: 'ecr-policy-public',
    name: 'named accounts, and "*" narrowed to the organization',
    file: 'ecr.yaml',
    text: repo(`      RepositoryPolicyText:
        Statement:
          - Effect: Allow
            Principal: {AWS: [arn:aws:iam::123456789012:root]}
            Action: ecr:BatchGetImage
          - Effect: Allow
            Principal: "*"
            Action: ecr:BatchGetImage
            Condition:
              ForAllValues:StringEquals:
                aws:PrincipalOrgID: [o-abc123]
`),
    lines: [],
  },
];

import type { RuleCase } from './types.js';
import { jsonTemplate, lineOf, resource, RESOURCE_LINE } from './aws-template.js';

const bucket = (props: string, more = '') => resource('AWS::S3::Bucket', props, more);

/** A bucket policy whose statements start at line 16. */
const bucketPolicy = (statements: string) =>
  resource(
    'AWS::S3::BucketPolicy',
    `      Bucket: !Ref Data
      PolicyDocument:
        Statement:
${statements}`,
  );

const policyJsonString = jsonTemplate({
  Policy: {
    Type: 'AWS::S3::BucketPolicy',
    Properties: {
      Bucket: 'data',
      PolicyDocument: JSON.stringify({
        Statement: [
          {
            Effect: 'Allow',
            Principal: { AWS: '*' },
            Action: 's3:GetObject',
            Resource: 'arn:aws:s3:::data/*',
          },
        ],
      }),
    },
  },
});

const aclJson = jsonTemplate({
  B: { Type: 'AWS::S3::Bucket', Properties: { AccessControl: 'PublicReadWrite' } },
});

const fullyBlocked = `      PublicAccessBlockConfiguration:
        BlockPublicAcls: true
        BlockPublicPolicy: true
        IgnorePublicAcls: true
        RestrictPublicBuckets: true
`;

export const S3_CASES: RuleCase[] = [
  {
    rule: 's3-public-acl',
    name: 'PublicRead, and AuthenticatedRead through a branch',
    file: 's3.yaml',
    text: bucket(
      '      AccessControl: PublicRead',
      `  Other:
    Type: AWS::S3::Bucket
    Properties:
      AccessControl: !If [Prod, Private, AuthenticatedRead]
`,
    ),
    lines: [13, 17],
  },
  {
    rule: 's3-public-acl',
    name: 'PublicReadWrite in JSON',
    file: 's3.json',
    text: aclJson,
    lines: [lineOf(aclJson, '"AccessControl"')],
  },
  {
    rule: 's3-public-acl',
    name: 'private and log delivery ACLs',
    file: 's3.yaml',
    text: bucket(
      '      AccessControl: Private',
      `  Logs:
    Type: AWS::S3::Bucket
    Properties:
      AccessControl: LogDeliveryWrite
`,
    ),
    lines: [],
  },
  {
    rule: 's3-public-policy',
    name: 'Principal "*" and {AWS: ["*"]} without a condition',
    file: 's3.yaml',
    text: bucketPolicy(`          - Effect: Allow
            Principal: "*"
            Action: s3:GetObject
            Resource: arn:aws:s3:::data/*
          - Sid: Everyone
            Effect: Allow
            Principal:
              AWS:
                - arn:aws:iam::123456789012:root
                - "*"
            Action: s3:PutObject
            Resource: arn:aws:s3:::data/*
`),
    lines: [17, 25],
  },
  {
    rule: 's3-public-policy',
    name: 'a policy given as a JSON string',
    file: 's3.json',
    text: policyJsonString,
    lines: [lineOf(policyJsonString, '"PolicyDocument"')],
  },
  {
    rule: 's3-public-policy',
    name: 'a condition that names the callers, a Deny, an IfExists condition and named principals',
    file: 's3.yaml',
    text: bucketPolicy(`          - Effect: Allow
            Principal: "*"
            Action: s3:GetObject
            Resource: arn:aws:s3:::data/*
            Condition:
              StringEquals:
                aws:SourceVpce: vpce-1a2b3c4d
          - Effect: Deny
            Principal: "*"
            Action: s3:*
            Resource: arn:aws:s3:::data/*
            Condition:
              Bool:
                aws:SecureTransport: false
          - Effect: Allow
            Principal: {AWS: arn:aws:iam::123456789012:role/reader}
            Action: s3:GetObject
            Resource: arn:aws:s3:::data/*
`),
    lines: [],
  },
  {
    rule: 's3-public-policy',
    name: 'a condition that does not narrow the callers',
    file: 's3.yaml',
    text: bucketPolicy(`          - Effect: Allow
            Principal: {AWS: "*"}
            Action: s3:GetObject
            Resource: arn:aws:s3:::data/*
            Condition:
              StringEqualsIfExists:
                aws:SourceVpce: vpce-1a2b3c4d
              IpAddress:
                aws:SourceIp: 0.0.0.0/0
`),
    lines: [17],
  },
  {
    rule: 's3-public-access-block-off',
    name: 'no configuration: the resource',
    file: 's3.yaml',
    text: bucket('      BucketName: data'),
    lines: [RESOURCE_LINE],
  },
  {
    rule: 's3-public-access-block-off',
    name: 'a flag false through a parameter, one left out',
    file: 's3.yaml',
    text: bucket(`      PublicAccessBlockConfiguration:
        BlockPublicAcls: true
        BlockPublicPolicy: !Ref Flag
        IgnorePublicAcls: true
`),
    lines: [15],
  },
  {
    rule: 's3-public-access-block-off',
    name: 'all four on',
    file: 's3.yaml',
    text: bucket(fullyBlocked),
    lines: [],
  },
  {
    rule: 's3-unencrypted',
    name: 'no BucketEncryption',
    file: 's3.yaml',
    text: bucket(fullyBlocked),
    lines: [RESOURCE_LINE],
  },
  {
    rule: 's3-unencrypted',
    name: 'SSE-KMS default encryption',
    file: 's3.yaml',
    text: bucket(`      BucketEncryption:
        ServerSideEncryptionConfiguration:
          - ServerSideEncryptionByDefault: {SSEAlgorithm: aws:kms}
            BucketKeyEnabled: true
`),
    lines: [],
  },
  {
    rule: 's3-versioning-off',
    name: 'no versioning, and suspended',
    file: 's3.yaml',
    text: bucket(
      '      BucketName: data',
      `  Old:
    Type: AWS::S3::Bucket
    Properties:
      VersioningConfiguration:
        Status: Suspended
`,
    ),
    lines: [RESOURCE_LINE, 18],
  },
  {
    rule: 's3-versioning-off',
    name: 'enabled',
    file: 's3.yaml',
    text: bucket('      VersioningConfiguration: {Status: Enabled}'),
    lines: [],
  },
  {
    rule: 's3-access-logging-off',
    name: 'a bucket without logging; its log bucket is exempt',
    file: 's3.yaml',
    text: bucket(
      '      BucketName: data',
      `  Logged:
    Type: AWS::S3::Bucket
    Properties:
      LoggingConfiguration:
        DestinationBucketName: !Ref Logs
        LogFilePrefix: logged/
  Logs:
    Type: AWS::S3::Bucket
    Properties:
      OwnershipControls:
        Rules: [{ObjectOwnership: BucketOwnerPreferred}]
`,
    ),
    lines: [RESOURCE_LINE],
  },
  {
    rule: 's3-access-logging-off',
    name: 'logging configured',
    file: 's3.yaml',
    text: bucket('      LoggingConfiguration:\n        DestinationBucketName: central-logs\n'),
    lines: [],
  },
];

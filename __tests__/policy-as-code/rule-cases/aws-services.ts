/** Cases for the single-setting services: SNS, SQS, EFS, CloudWatch Logs, Image Builder, ELB. */
import type { RuleCase } from './types.js';
import { jsonTemplate, lineOf, resource, RESOURCE_LINE } from './aws-template.js';

const listener = (props: string) =>
  resource(
    'AWS::ElasticLoadBalancingV2::Listener',
    `      LoadBalancerArn: !Ref Alb\n      Port: 80\n${props}`,
  );

const distributionJson = jsonTemplate({
  Dist: {
    Type: 'AWS::ImageBuilder::DistributionConfiguration',
    Properties: {
      Name: 'public',
      Distributions: [
        {
          Region: 'eu-west-1',
          AmiDistributionConfiguration: { LaunchPermissionConfiguration: { UserGroups: ['all'] } },
        },
      ],
    },
  },
});

export const SERVICE_CASES: RuleCase[] = [
  {
    rule: 'sns-unencrypted',
    name: 'no KmsMasterKeyId',
    file: 'sns.yaml',
    text: resource('AWS::SNS::Topic', '      TopicName: alerts'),
    lines: [RESOURCE_LINE],
  },
  {
    rule: 'sns-unencrypted',
    name: 'a KMS key',
    file: 'sns.yaml',
    text: resource('AWS::SNS::Topic', '      KmsMasterKeyId: alias/aws/sns'),
    lines: [],
  },
  {
    rule: 'sqs-unencrypted',
    name: 'SQS-managed encryption switched off, "false" as a string',
    file: 'sqs.yaml',
    text: resource('AWS::SQS::Queue', '      SqsManagedSseEnabled: "false"'),
    lines: [13],
  },
  {
    rule: 'sqs-unencrypted',
    name: 'default SSE-SQS, or a KMS key',
    file: 'sqs.yaml',
    text: resource(
      'AWS::SQS::Queue',
      '      QueueName: jobs',
      `  Kms:
    Type: AWS::SQS::Queue
    Properties:
      SqsManagedSseEnabled: false
      KmsMasterKeyId: alias/aws/sqs
`,
    ),
    lines: [],
  },
  {
    rule: 'efs-unencrypted',
    name: 'absent, and false',
    file: 'efs.yaml',
    text: resource(
      'AWS::EFS::FileSystem',
      '      PerformanceMode: generalPurpose',
      '  Second:\n    Type: AWS::EFS::FileSystem\n    Properties:\n      Encrypted: false\n',
    ),
    lines: [RESOURCE_LINE, 17],
  },
  {
    rule: 'efs-unencrypted',
    name: 'encrypted',
    file: 'efs.yaml',
    text: resource('AWS::EFS::FileSystem', '      Encrypted: true'),
    lines: [],
  },
  {
    rule: 'log-group-unencrypted',
    name: 'no KmsKeyId',
    file: 'logs.yaml',
    text: resource('AWS::Logs::LogGroup', '      RetentionInDays: 30'),
    lines: [RESOURCE_LINE],
  },
  {
    rule: 'log-group-unencrypted',
    name: 'a KMS key',
    file: 'logs.yaml',
    text: resource('AWS::Logs::LogGroup', '      KmsKeyId: !GetAtt Key.Arn'),
    lines: [],
  },
  {
    rule: 'ami-public-launch-permission',
    name: 'UserGroups all in JSON',
    file: 'imagebuilder.json',
    text: distributionJson,
    lines: [lineOf(distributionJson, '"all"')],
  },
  {
    rule: 'ami-public-launch-permission',
    name: 'all in one branch',
    file: 'imagebuilder.yaml',
    text: resource(
      'AWS::ImageBuilder::DistributionConfiguration',
      `      Name: dist
      Distributions:
        - Region: eu-west-1
          AmiDistributionConfiguration:
            LaunchPermissionConfiguration:
              UserGroups: [!If [Prod, all, !Ref AWS::NoValue]]
`,
    ),
    lines: [18],
  },
  {
    rule: 'ami-public-launch-permission',
    name: 'shared with named accounts and an organization',
    file: 'imagebuilder.yaml',
    text: resource(
      'AWS::ImageBuilder::DistributionConfiguration',
      `      Name: dist
      Distributions:
        - Region: eu-west-1
          AmiDistributionConfiguration:
            LaunchPermissionConfiguration:
              UserIds: ["123456789012"]
              OrganizationArns: [arn:aws:organizations::123456789012:organization/o-abc123]
`,
    ),
    lines: [],
  },
  {
    rule: 'elb-http-listener',
    name: 'HTTP forwarding, and classic HTTP listener',
    file: 'elb.yaml',
    text: listener(
      `      Protocol: HTTP
      DefaultActions:
        - Type: forward
          TargetGroupArn: !Ref Tg
`,
    ).concat(`  Classic:
    Type: AWS::ElasticLoadBalancing::LoadBalancer
    Properties:
      Listeners:
        - {LoadBalancerPort: "80", InstancePort: "80", Protocol: HTTP}
        - {LoadBalancerPort: "443", InstancePort: "80", Protocol: HTTPS, SSLCertificateId: arn:aws:acm:eu-west-1:123456789012:certificate/x}
`),
    lines: [15, 23],
  },
  {
    rule: 'elb-http-listener',
    name: 'redirect to HTTP in one branch',
    file: 'elb.yaml',
    text: listener(`      Protocol: HTTP
      DefaultActions:
        - Type: redirect
          RedirectConfig:
            Protocol: !If [Prod, HTTPS, HTTP]
            StatusCode: HTTP_301
`),
    lines: [15],
  },
  {
    rule: 'elb-http-listener',
    name: 'HTTP redirecting to HTTPS, and HTTPS',
    file: 'elb.yaml',
    text: listener(`      Protocol: HTTP
      DefaultActions:
        - Type: redirect
          RedirectConfig: {Protocol: HTTPS, Port: "443", StatusCode: HTTP_301}
`).concat(`  Tls:
    Type: AWS::ElasticLoadBalancingV2::Listener
    Properties:
      LoadBalancerArn: !Ref Alb
      Port: 443
      Protocol: HTTPS
      DefaultActions: [{Type: forward, TargetGroupArn: !Ref Tg}]
`),
    lines: [],
  },
];

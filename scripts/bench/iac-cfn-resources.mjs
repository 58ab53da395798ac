// The resources of the generated CloudFormation templates (see iac-cfn.mjs), part one: EC2,
// security groups, IAM and KMS, and the helpers both parts share. One function per type returns
// its Properties, wired to resources made earlier in the template (`t.ids`) with Ref/GetAtt/Sub.
// `t.bad()` says, at the template's misconfiguration rate, where to leave a setting out or get it
// wrong (open security groups, unencrypted storage, IMDSv1, wildcard principals…).
import { Fn, getAtt, ifFn, noValue, ref, sub } from './iac-yaml.mjs';

export const policy = (...Statement) => ({ Version: '2012-10-17', Statement });
export const tags = (t, name) => [
  { Key: 'Name', Value: sub(`\${Project}-\${Environment}-${name}`) },
  { Key: 'Environment', Value: ref('Environment') },
  ...(t.r.chance(0.5) ? [{ Key: 'CostCenter', Value: `cc-${t.r.between(100, 999)}` }] : []),
];
/** The logical id of a resource of `type` made before this one, or undefined. */
export const some = (t, type) => (t.ids[type]?.length ? t.r.pick(t.ids[type]) : undefined);
export const kmsArn = (t) => {
  const key = some(t, 'AWS::KMS::Key');
  return key ? getAtt(key, 'Arn') : ifFn('HasKmsKey', ref('KmsKeyArn'), noValue());
};
export const flag = (t, good = true) => (t.bad() ? (t.r.chance(0.5) ? !good : undefined) : good);

export function ebs(t) {
  const encrypted = t.bad() ? t.r.pick([false, undefined, ifFn('IsProd', true, false)]) : true;
  return {
    DeviceName: '/dev/xvda',
    Ebs: {
      VolumeSize: t.r.pick([20, 30, 50, 100]),
      VolumeType: 'gp3',
      Encrypted: encrypted,
      KmsKeyId: encrypted === true && t.r.chance(0.5) ? kmsArn(t) : undefined,
      DeleteOnTermination: true,
    },
  };
}

export const metadataOptions = (t) =>
  t.bad()
    ? t.r.pick([{ HttpTokens: 'optional' }, { HttpEndpoint: 'enabled' }, undefined])
    : { HttpTokens: 'required', HttpEndpoint: 'enabled', HttpPutResponseHopLimit: t.r.pick([1, 2]) };

export const userData = (t, name) =>
  new Fn(
    'Base64',
    sub(
      '#!/bin/bash\nset -euo pipefail\n' +
        `echo "${name} in \${Environment}" > /etc/motd\n` +
        (t.r.chance(0.5)
          ? '/opt/aws/bin/cfn-init -v --stack ${AWS::StackName} --region ${AWS::Region}\n'
          : '') +
        'systemctl enable --now amazon-ssm-agent\n',
    ),
  );

export function ingressRule(t) {
  if (t.bad()) {
    const [IpProtocol, FromPort, ToPort] = t.r.pick([
      ['tcp', 22, 22],
      ['tcp', 3389, 3389],
      ['-1', undefined, undefined],
      ['tcp', 5432, 5432],
      ['tcp', 0, 65535],
    ]);
    const cidr = t.r.chance(0.5) ? ref('AllowedCidr') : '0.0.0.0/0';
    return {
      IpProtocol,
      FromPort,
      ToPort,
      CidrIp: cidr,
      Description: t.r.chance(0.5) ? 'Temporary' : undefined,
    };
  }
  const port = t.r.pick([443, 8080, 80, 8443]);
  const other = some(t, 'AWS::EC2::SecurityGroup');
  return {
    IpProtocol: 'tcp',
    FromPort: port,
    ToPort: port,
    ...(other && t.r.chance(0.4)
      ? { SourceSecurityGroupId: getAtt(other, 'GroupId') }
      : { CidrIp: t.r.pick(['10.0.0.0/16', '172.16.0.0/12', '10.20.0.0/22']) }),
    Description: `Port ${port} from inside the network`,
  };
}

export const RESOURCES = {
  'AWS::EC2::SecurityGroup': (t, name) => ({
    GroupDescription: `${name} security group`,
    VpcId: ref('VpcId'),
    SecurityGroupIngress: Array.from({ length: t.r.between(1, 4) }, () => ingressRule(t)),
    SecurityGroupEgress: [{ IpProtocol: '-1', CidrIp: '0.0.0.0/0', Description: 'All outbound' }],
    Tags: tags(t, name),
  }),
  'AWS::EC2::Instance': (t, name) => {
    const lt = some(t, 'AWS::EC2::LaunchTemplate');
    const sg = some(t, 'AWS::EC2::SecurityGroup');
    const groups = sg ? [getAtt(sg, 'GroupId')] : [ref('DefaultSecurityGroup')];
    const publicIp = t.bad() && t.r.chance(0.5);
    return {
      ...(lt && t.r.chance(0.5)
        ? { LaunchTemplate: { LaunchTemplateId: ref(lt), Version: getAtt(lt, 'LatestVersionNumber') } }
        : { ImageId: ref('ImageId'), MetadataOptions: metadataOptions(t) }),
      InstanceType: t.r.chance(0.5) ? ref('InstanceType') : ifFn('IsProd', 'm6i.large', 't3.small'),
      ...(publicIp
        ? {
            NetworkInterfaces: [
              {
                DeviceIndex: '0',
                AssociatePublicIpAddress: true,
                SubnetId: new Fn('Select', [0, ref('SubnetIds')]),
                GroupSet: groups,
              },
            ],
          }
        : { SubnetId: new Fn('Select', [t.r.int(2), ref('SubnetIds')]), SecurityGroupIds: groups }),
      Monitoring: t.r.chance(0.7) ? true : undefined,
      BlockDeviceMappings: [ebs(t)],
      UserData: t.r.chance(0.6) ? userData(t, name) : undefined,
      Tags: tags(t, name),
    };
  },
  'AWS::EC2::LaunchTemplate': (t, name) => ({
    LaunchTemplateName: sub(`\${AWS::StackName}-${name}`),
    LaunchTemplateData: {
      ImageId: ref('ImageId'),
      InstanceType: ref('InstanceType'),
      MetadataOptions: metadataOptions(t),
      BlockDeviceMappings: [ebs(t)],
      SecurityGroupIds: some(t, 'AWS::EC2::SecurityGroup')
        ? [getAtt(some(t, 'AWS::EC2::SecurityGroup'), 'GroupId')]
        : undefined,
      UserData: userData(t, name),
      TagSpecifications: [{ ResourceType: 'instance', Tags: tags(t, name) }],
    },
  }),
  'AWS::IAM::Role': (t, name) => ({
    RoleName: t.r.chance(0.4) ? sub(`\${Project}-\${Environment}-${name}`) : undefined,
    Path: '/',
    AssumeRolePolicyDocument: policy({
      Effect: 'Allow',
      Principal:
        t.bad() && t.r.chance(0.4)
          ? { AWS: '*' }
          : { Service: [t.r.pick(['ec2.amazonaws.com', 'lambda.amazonaws.com', 'ecs-tasks.amazonaws.com'])] },
      Action: ['sts:AssumeRole'],
    }),
    ManagedPolicyArns: [sub('arn:${AWS::Partition}:iam::aws:policy/AmazonSSMManagedInstanceCore')],
    Policies: t.r.chance(0.5)
      ? [{ PolicyName: `${name}-inline`, PolicyDocument: policy(statement(t)) }]
      : undefined,
    Tags: tags(t, name),
  }),
  'AWS::IAM::Policy': (t, name) => ({
    PolicyName: sub(`\${AWS::StackName}-${name}`),
    Roles: t.ids['AWS::IAM::Role']?.length ? [ref(some(t, 'AWS::IAM::Role'))] : [ref('ExistingRoleName')],
    PolicyDocument: policy(statement(t), statement(t)),
  }),
  'AWS::KMS::Key': (t, name) => ({
    Description: `${name} encryption key`,
    EnableKeyRotation: flag(t),
    PendingWindowInDays: t.r.pick([7, 30]),
    KeyPolicy: policy(
      {
        Sid: 'AccountAdmin',
        Effect: 'Allow',
        Principal: { AWS: sub('arn:${AWS::Partition}:iam::${AWS::AccountId}:root') },
        Action: 'kms:*',
        Resource: '*',
      },
      t.bad() && t.r.chance(0.5)
        ? {
            Sid: 'AnyoneDecrypts',
            Effect: 'Allow',
            Principal: '*',
            Action: ['kms:Decrypt', 'kms:DescribeKey'],
            Resource: '*',
          }
        : {
            Sid: 'ServiceUse',
            Effect: 'Allow',
            Principal: { Service: 'logs.amazonaws.com' },
            Action: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:GenerateDataKey*'],
            Resource: '*',
            Condition: {
              ArnLike: {
                'kms:EncryptionContext:aws:logs:arn': sub(
                  'arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:*',
                ),
              },
            },
          },
    ),
    Tags: tags(t, name),
  }),
};

function statement(t) {
  if (t.bad() && t.r.chance(0.4)) return { Effect: 'Allow', Action: '*', Resource: '*' };
  const [service, actions] = t.r.pick([
    ['s3', ['s3:GetObject', 's3:PutObject']],
    ['sqs', ['sqs:SendMessage', 'sqs:ReceiveMessage', 'sqs:DeleteMessage']],
    ['logs', ['logs:CreateLogStream', 'logs:PutLogEvents']],
    ['ssm', ['ssm:GetParameter', 'ssm:GetParametersByPath']],
  ]);
  return {
    Effect: 'Allow',
    Action: actions,
    Resource: sub(`arn:\${AWS::Partition}:${service}:\${AWS::Region}:\${AWS::AccountId}:\${Project}-*`),
  };
}

// The resources of the generated CloudFormation templates, part two: S3, RDS, ECR, CloudTrail,
// SNS and SQS (see iac-cfn-resources.mjs for part one and the helpers).
import { getAtt, ifFn, ref, sub } from './iac-yaml.mjs';
import { flag, kmsArn, policy, some, tags } from './iac-cfn-resources.mjs';

export const DATA_RESOURCES = {
  'AWS::S3::Bucket': (t, name) => {
    const logs = some(t, 'AWS::S3::Bucket');
    const pab = !t.bad();
    return {
      BucketName: t.r.chance(0.5)
        ? sub(`\${Project}-\${Environment}-${name.toLowerCase()}-\${AWS::AccountId}`)
        : undefined,
      AccessControl: t.bad() && t.r.chance(0.3) ? t.r.pick(['PublicRead', 'PublicReadWrite']) : undefined,
      BucketEncryption: t.bad()
        ? undefined
        : {
            ServerSideEncryptionConfiguration: [
              t.r.chance(0.5)
                ? {
                    ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: kmsArn(t) },
                    BucketKeyEnabled: true,
                  }
                : { ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } },
            ],
          },
      VersioningConfiguration: t.bad()
        ? t.r.chance(0.5)
          ? { Status: 'Suspended' }
          : undefined
        : { Status: 'Enabled' },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: pab,
        BlockPublicPolicy: pab || t.r.chance(0.5),
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      LoggingConfiguration:
        logs && !t.bad()
          ? { DestinationBucketName: ref(logs), LogFilePrefix: `${name.toLowerCase()}/` }
          : undefined,
      LifecycleConfiguration: t.r.chance(0.4)
        ? {
            Rules: [
              {
                Id: 'expire-old-versions',
                Status: 'Enabled',
                NoncurrentVersionExpiration: { NoncurrentDays: 90 },
              },
            ],
          }
        : undefined,
      Tags: tags(t, name),
    };
  },
  'AWS::S3::BucketPolicy': (t) => {
    const bucket = some(t, 'AWS::S3::Bucket') ?? 'ExistingBucket';
    const target = t.ids['AWS::S3::Bucket']?.length ? ref(bucket) : ref('ExistingBucketName');
    const arn = (suffix) => sub(`arn:\${AWS::Partition}:s3:::\${Bucket}${suffix}`, { Bucket: target });
    const deny = {
      Sid: 'DenyInsecureTransport',
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:*',
      Resource: [arn(''), arn('/*')],
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    };
    const read = t.bad()
      ? {
          Sid: 'PublicRead',
          Effect: 'Allow',
          Principal: t.r.pick(['*', { AWS: '*' }]),
          Action: 's3:GetObject',
          Resource: arn('/*'),
        }
      : {
          Sid: 'AccountRead',
          Effect: 'Allow',
          Principal: { AWS: sub('arn:${AWS::Partition}:iam::${AWS::AccountId}:root') },
          Action: ['s3:GetObject', 's3:ListBucket'],
          Resource: [arn(''), arn('/*')],
        };
    return { Bucket: target, PolicyDocument: policy(deny, read) };
  },
  'AWS::RDS::DBInstance': (t, name) => {
    const postgres = t.r.chance(0.6);
    const sg = some(t, 'AWS::EC2::SecurityGroup');
    return {
      DBInstanceIdentifier: sub(`\${Project}-\${Environment}-${name.toLowerCase()}`),
      Engine: postgres ? 'postgres' : 'mysql',
      EngineVersion: postgres ? t.r.pick(['16.3', '15.7']) : '8.0.36',
      DBInstanceClass: ifFn('IsProd', 'db.r6g.large', 'db.t3.medium'),
      AllocatedStorage: String(t.r.pick([20, 50, 100])),
      StorageType: 'gp3',
      StorageEncrypted: t.bad() ? t.r.pick([false, undefined]) : true,
      KmsKeyId: t.r.chance(0.5) ? kmsArn(t) : undefined,
      PubliclyAccessible: t.bad() && t.r.chance(0.5) ? true : false,
      MasterUsername: ref('DBUsername'),
      ...(t.r.chance(0.6)
        ? { ManageMasterUserPassword: true }
        : {
            MasterUserPassword: sub('{{resolve:secretsmanager:${AWS::StackName}-db:SecretString:password}}'),
          }),
      MultiAZ: ifFn('IsProd', true, false),
      BackupRetentionPeriod: ifFn('IsProd', 14, 1),
      DeletionProtection: ifFn('IsProd', true, false),
      VPCSecurityGroups: sg ? [getAtt(sg, 'GroupId')] : undefined,
      DBSubnetGroupName: ref('DBSubnetGroupName'),
      Tags: tags(t, name),
    };
  },
  'AWS::ECR::Repository': (t, name) => ({
    RepositoryName: sub(`\${Project}/${name.toLowerCase()}`),
    ImageScanningConfiguration: t.bad()
      ? t.r.chance(0.5)
        ? { ScanOnPush: false }
        : undefined
      : { ScanOnPush: true },
    ImageTagMutability: t.bad() ? t.r.pick(['MUTABLE', undefined]) : 'IMMUTABLE',
    EncryptionConfiguration: t.r.chance(0.5) ? { EncryptionType: 'KMS', KmsKey: kmsArn(t) } : undefined,
    LifecyclePolicy: {
      LifecyclePolicyText: JSON.stringify({
        rules: [
          {
            rulePriority: 1,
            description: 'Keep 30 images',
            selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 30 },
            action: { type: 'expire' },
          },
        ],
      }),
    },
    RepositoryPolicyText: t.r.chance(0.5)
      ? policy({
          Sid: 'Pull',
          Effect: 'Allow',
          Principal: t.bad() ? '*' : { AWS: [sub('arn:${AWS::Partition}:iam::${AWS::AccountId}:root')] },
          Action: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
        })
      : undefined,
  }),
  'AWS::CloudTrail::Trail': (t, name) => {
    const bucket = some(t, 'AWS::S3::Bucket');
    const key = some(t, 'AWS::KMS::Key');
    return {
      TrailName: sub(`\${AWS::StackName}-${name.toLowerCase()}`),
      S3BucketName: bucket ? ref(bucket) : ref('ExistingBucketName'),
      IsLogging: t.bad() && t.r.chance(0.3) ? false : true,
      IsMultiRegionTrail: flag(t),
      EnableLogFileValidation: flag(t),
      IncludeGlobalServiceEvents: true,
      KMSKeyId: t.bad() ? undefined : key ? ref(key) : ref('KmsKeyArn'),
    };
  },
  'AWS::SNS::Topic': (t, name) => {
    const queue = some(t, 'AWS::SQS::Queue');
    return {
      TopicName: sub(`\${AWS::StackName}-${name}`),
      KmsMasterKeyId: t.bad() ? undefined : t.r.chance(0.5) ? 'alias/aws/sns' : kmsArn(t),
      Subscription: queue ? [{ Protocol: 'sqs', Endpoint: getAtt(queue, 'Arn') }] : undefined,
    };
  },
  'AWS::SQS::Queue': (t, name) => {
    const dlq = some(t, 'AWS::SQS::Queue');
    const encryption = t.bad()
      ? t.r.pick([{ SqsManagedSseEnabled: false }, {}])
      : t.r.pick([{ SqsManagedSseEnabled: true }, { KmsMasterKeyId: 'alias/aws/sqs' }]);
    return {
      QueueName: t.r.chance(0.5) ? sub(`\${AWS::StackName}-${name}`) : undefined,
      ...encryption,
      VisibilityTimeout: t.r.pick([30, 60, 300]),
      MessageRetentionPeriod: 1209600,
      RedrivePolicy: dlq ? { deadLetterTargetArn: getAtt(dlq, 'Arn'), maxReceiveCount: 5 } : undefined,
    };
  },
};

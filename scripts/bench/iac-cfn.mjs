// Generated CloudFormation templates for the policy bench: Parameters with defaults (only those
// the template uses), Conditions, 5–40 resources (iac-cfn-resources.mjs) with the odd Condition,
// DependsOn, DeletionPolicy, cfn_nag/checkov Metadata and imagepipe:skip comment, and Outputs.
// Most are YAML with short-form tags, the rest JSON. About 40% of the templates are clean; the
// others are misconfigured at a rate of their own, so findings appear.
import { DATA_RESOURCES } from './iac-cfn-data.mjs';
import { RESOURCES as COMPUTE_RESOURCES } from './iac-cfn-resources.mjs';
import { COMMENT, Fn, ref, sub, toCfnJson, toYaml } from './iac-yaml.mjs';

const RESOURCES = { ...COMPUTE_RESOURCES, ...DATA_RESOURCES };
const TYPES = Object.keys(RESOURCES);
const SHORT = {
  'AWS::EC2::Instance': 'Instance',
  'AWS::EC2::LaunchTemplate': 'LaunchTemplate',
  'AWS::EC2::SecurityGroup': 'SecurityGroup',
  'AWS::S3::Bucket': 'Bucket',
  'AWS::S3::BucketPolicy': 'BucketPolicy',
  'AWS::IAM::Role': 'Role',
  'AWS::IAM::Policy': 'Policy',
  'AWS::KMS::Key': 'Key',
  'AWS::RDS::DBInstance': 'Database',
  'AWS::ECR::Repository': 'Repository',
  'AWS::CloudTrail::Trail': 'Trail',
  'AWS::SNS::Topic': 'Topic',
  'AWS::SQS::Queue': 'Queue',
};
const PREFIXES = ['App', 'Web', 'Data', 'Audit', 'Build', 'Worker', 'Api', 'Batch', 'Ingest', 'Report'];
const RETAINED = new Set(['AWS::S3::Bucket', 'AWS::KMS::Key', 'AWS::RDS::DBInstance']);
const SUPPRESSIONS = {
  'AWS::S3::Bucket': ['s3-access-logging-off', 'This bucket receives the access logs of the others'],
  'AWS::EC2::SecurityGroup': ['sg-rule-no-description', 'Rules are described in the runbook'],
  'AWS::SQS::Queue': ['sqs-unencrypted', 'Holds only public events'],
};

const PARAMETERS = (r, t, index) => ({
  Project: { Type: 'String', Default: `app${index % 97}`, Description: 'Prefix of resource names' },
  Environment: {
    Type: 'String',
    Default: r.pick(['dev', 'staging', 'prod']),
    AllowedValues: ['dev', 'staging', 'prod'],
  },
  VpcId: { Type: 'AWS::EC2::VPC::Id', Default: `vpc-${r.chars('0123456789abcdef', 17)}` },
  SubnetIds: { Type: 'List<AWS::EC2::Subnet::Id>', Default: 'subnet-0a1b2c3d,subnet-4e5f6a7b' },
  DefaultSecurityGroup: { Type: 'AWS::EC2::SecurityGroup::Id', Default: 'sg-0123456789abcdef0' },
  ImageId: {
    Type: 'AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>',
    Default: '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64',
  },
  InstanceType: {
    Type: 'String',
    Default: 't3.small',
    AllowedValues: ['t3.small', 't3.medium', 'm6i.large'],
  },
  AllowedCidr: {
    Type: 'String',
    Default: t.bad() ? '0.0.0.0/0' : '10.0.0.0/8',
    AllowedPattern: '^(\\d{1,3}\\.){3}\\d{1,3}/\\d{1,2}$',
    Description: 'Network allowed to reach the instances',
  },
  KmsKeyArn: { Type: 'String', Default: '', Description: 'Existing key; empty for AWS managed keys' },
  DBUsername: { Type: 'String', Default: 'dbadmin', NoEcho: true },
  DBSubnetGroupName: { Type: 'String', Default: 'default' },
  ExistingBucketName: { Type: 'String', Default: `shared-logs-${index % 13}` },
  ExistingRoleName: { Type: 'String', Default: 'platform-instance-role' },
});

const CONDITIONS = {
  IsProd: new Fn('Equals', [ref('Environment'), 'prod']),
  HasKmsKey: new Fn('Not', [new Fn('Equals', [ref('KmsKeyArn'), ''])]),
};

/** Names a fragment uses through Ref or ${} (in JSON with long-form intrinsics). */
function referenced(fragment) {
  const text = JSON.stringify(toCfnJson(fragment));
  return (name) => text.includes(`{"Ref":"${name}"}`) || text.includes(`\${${name}}`);
}

function resourceEntry(r, t, type, name, earlier) {
  const properties = RESOURCES[type](t, name);
  const entry = {
    Type: type,
    Condition: r.chance(0.08) ? 'IsProd' : undefined,
    DependsOn: earlier.length && r.chance(0.1) ? r.pick(earlier) : undefined,
    DeletionPolicy: RETAINED.has(type)
      ? type === 'AWS::RDS::DBInstance'
        ? 'Snapshot'
        : 'Retain'
      : undefined,
    UpdateReplacePolicy: RETAINED.has(type) && r.chance(0.5) ? 'Retain' : undefined,
    Metadata: r.chance(0.04)
      ? {
          cfn_nag: { rules_to_suppress: [{ id: 'W28', reason: 'Names are fixed by the platform team' }] },
          checkov: { skip: [{ id: 'CKV_AWS_18', comment: 'Access logs are collected centrally' }] },
        }
      : undefined,
    Properties: properties,
  };
  if (SUPPRESSIONS[type] && r.chance(0.1)) {
    const [rule, reason] = SUPPRESSIONS[type];
    entry[COMMENT] = `imagepipe:skip=${rule} ${reason}`;
  } else if (r.chance(0.1)) entry[COMMENT] = `${name}: managed by the ${r.pick(PREFIXES).toLowerCase()} team`;
  return entry;
}

/**
 * Template `index` of the corpus: `{ text, json }`. `r` is the corpus's PRNG, so the templates
 * depend on their order only.
 */
export function cfnTemplate(r, index) {
  const rate = r.chance(0.4) ? 0 : r.pick([0.05, 0.15, 0.3]);
  const t = { r, ids: {}, bad: () => rate > 0 && r.next() < rate };
  const resources = {};
  const count = r.between(5, 40);
  for (let i = 0; i < count; i++) {
    // Buckets, keys and groups first, more often: later resources refer to them.
    const type =
      i < 3 && r.chance(0.6)
        ? r.pick(['AWS::S3::Bucket', 'AWS::KMS::Key', 'AWS::EC2::SecurityGroup', 'AWS::SQS::Queue'])
        : r.pick(TYPES);
    const name = `${r.pick(PREFIXES)}${SHORT[type]}${i + 1}`;
    resources[name] = resourceEntry(r, t, type, name, Object.keys(resources));
    (t.ids[type] ??= []).push(name);
  }
  const outputs = {};
  for (const name of Object.keys(resources).filter(() => r.chance(0.15))) {
    outputs[name] = {
      Description: `${name} of this stack`,
      Value: ref(name),
      Export: { Name: sub(`\${AWS::StackName}-${name}`) },
    };
  }
  const conditions = Object.fromEntries(
    Object.entries(CONDITIONS).filter(
      ([name]) => name === 'IsProd' || JSON.stringify(toCfnJson(resources)).includes(`"${name}"`),
    ),
  );
  const uses = referenced({ resources, outputs, conditions });
  const parameters = Object.fromEntries(
    Object.entries(PARAMETERS(r, t, index)).filter(([name]) => name === 'Environment' || uses(name)),
  );
  const json = r.chance(0.3);
  const template = {
    AWSTemplateFormatVersion: r.chance(0.9) ? '2010-09-09' : undefined,
    Description: `Stack ${index}: ${Object.keys(t.ids)
      .map((type) => SHORT[type])
      .join(', ')}`,
    Parameters: parameters,
    Conditions: conditions,
    Resources: resources,
    Outputs: Object.keys(outputs).length ? outputs : undefined,
  };
  if (json) return { json, text: `${JSON.stringify(toCfnJson(template), null, r.chance(0.7) ? 2 : 4)}\n` };
  template[COMMENT] = `Generated template ${index} for the imagepipe policy bench.\nrisk: ${rate}`;
  return { json, text: toYaml(template) };
}

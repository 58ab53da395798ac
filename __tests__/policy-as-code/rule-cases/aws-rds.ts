import type { RuleCase } from './types.js';
import { jsonTemplate, lineOf, resource, RESOURCE_LINE } from './aws-template.js';

const instance = (props: string, more = '') =>
  resource(
    'AWS::RDS::DBInstance',
    `      Engine: postgres\n      DBInstanceClass: db.t3.micro\n${props}`,
    more,
  );

const publicJson = jsonTemplate({
  Db: { Type: 'AWS::RDS::DBInstance', Properties: { StorageEncrypted: true, PubliclyAccessible: 'true' } },
});

export const RDS_CASES: RuleCase[] = [
  {
    rule: 'rds-unencrypted',
    name: 'instance without StorageEncrypted, cluster with false',
    file: 'rds.yaml',
    text: instance(
      '',
      `  Cluster:
    Type: AWS::RDS::DBCluster
    Properties:
      Engine: aurora-postgresql
      StorageEncrypted: false
`,
    ),
    lines: [RESOURCE_LINE, 19],
  },
  {
    rule: 'rds-unencrypted',
    name: 'encrypted, cluster members, read replicas, Aurora Serverless v1',
    file: 'rds.yaml',
    text: instance(
      '      StorageEncrypted: "true"',
      `  Member:
    Type: AWS::RDS::DBInstance
    Properties:
      Engine: aurora-postgresql
      DBClusterIdentifier: !Ref Cluster
  Replica:
    Type: AWS::RDS::DBInstance
    Properties:
      SourceDBInstanceIdentifier: !Ref R
  Serverless:
    Type: AWS::RDS::DBCluster
    Properties:
      Engine: aurora-mysql
      EngineMode: serverless
`,
    ),
    lines: [],
  },
  {
    rule: 'rds-public',
    name: 'publicly accessible through a parameter, and a cluster',
    file: 'rds.yaml',
    text: instance(
      '      StorageEncrypted: true\n      PubliclyAccessible: !Ref Open',
      `  Cluster:
    Type: AWS::RDS::DBCluster
    Properties:
      Engine: mysql
      PubliclyAccessible: true
`,
    ),
    lines: [16, 21],
  },
  {
    rule: 'rds-public',
    name: '"true" in JSON',
    file: 'rds.json',
    text: publicJson,
    lines: [lineOf(publicJson, '"PubliclyAccessible"')],
  },
  {
    rule: 'rds-public',
    name: 'private, or not stated',
    file: 'rds.yaml',
    text: instance(
      '      PubliclyAccessible: false',
      `  Other:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      Engine: mysql\n`,
    ),
    lines: [],
  },
];

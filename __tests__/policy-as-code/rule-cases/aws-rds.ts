import type { RuleCase } from './types.js';
import { jsonTemplate, lineOf, resource, RESOURCE_LINE, tf, TF_LINE } from './aws-template.js';

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
  // Terraform
  {
    rule: 'rds-unencrypted',
    name: 'Terraform: an instance left to the false default, a cluster false through a variable',
    file: 'rds.tf',
    text: tf(`resource "aws_db_instance" "db" {
  engine         = "postgres"
  instance_class = "db.t3.micro"
}
resource "aws_rds_cluster" "aurora" {
  engine            = "aurora-postgresql"
  storage_encrypted = var.flag
}
`),
    lines: [TF_LINE, 12],
  },
  {
    rule: 'rds-unencrypted',
    name: 'Terraform: encrypted, a replica, restores, Aurora Serverless v1',
    file: 'rds.tf',
    text: tf(`resource "aws_db_instance" "db" {
  storage_encrypted = true
}
resource "aws_db_instance" "replica" {
  replicate_source_db = aws_db_instance.db.identifier
}
resource "aws_db_instance" "restored" {
  snapshot_identifier = "rds:db-2024-01-01"
}
resource "aws_rds_cluster" "pitr" {
  restore_to_point_in_time {
    source_cluster_identifier = "prod"
    use_latest_restorable_time = true
  }
}
resource "aws_rds_cluster" "serverless" {
  engine_mode = "serverless"
}
`),
    lines: [],
  },
  {
    rule: 'rds-public',
    name: 'Terraform: an instance, and an Aurora instance through a variable',
    file: 'rds.tf',
    text: tf(`resource "aws_db_instance" "db" {
  publicly_accessible = true
}
resource "aws_rds_cluster_instance" "writer" {
  cluster_identifier  = aws_rds_cluster.aurora.id
  publicly_accessible = var.open
}
`),
    lines: [7, 11],
  },
  {
    rule: 'rds-public',
    name: 'Terraform: private, and left to the default',
    file: 'rds.tf',
    text: tf(`resource "aws_db_instance" "db" {
  publicly_accessible = false
}
resource "aws_rds_cluster_instance" "writer" {
  cluster_identifier = aws_rds_cluster.aurora.id
}
`),
    lines: [],
  },
];

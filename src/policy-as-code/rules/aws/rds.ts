/** RDS: storage encryption of instances and clusters, and public accessibility. */
import { entry, get, mayBeBool, mayBeOff, possible, toStr, UNKNOWN } from '../../model.js';
import type { Doc, Node } from '../../types.js';
import { tf } from '../aws-terraform.js';
import { hit, resourceRule } from '../define.js';

/** True when the property is certainly set (present in every possible value). */
function alwaysSet(node: Node | undefined, doc: Doc): boolean {
  return possible(node, doc).every((p) => p !== undefined);
}

/**
 * True when the database takes its encryption from a source: one of `keys` is certainly set
 * (a replica's or a restore's source, a cluster it belongs to).
 */
function fromSource(body: Node, doc: Doc, keys: readonly string[]): boolean {
  return keys.some((key) => entry(body, key) !== undefined && alwaysSet(get(body, key), doc));
}

/** True when every value the engine mode may take is `serverless` (Aurora Serverless v1). */
function serverlessV1(mode: Node | undefined, doc: Doc): boolean {
  return possible(mode, doc).every((m) => m !== undefined && m !== UNKNOWN && toStr(m) === 'serverless');
}

export const rdsUnencrypted = resourceRule(
  {
    id: 'rds-unencrypted',
    title: 'RDS storage is not encrypted',
    severity: 'high',
    description:
      'An unencrypted database stores its data, automated backups, snapshots and read replicas in clear text, and encryption cannot be turned on later without a copy and a migration.',
    fix: 'Set `StorageEncrypted: true` (with a `KmsKeyId`) on `AWS::RDS::DBInstance` and `AWS::RDS::DBCluster` (CloudFormation), or `storage_encrypted = true` on `aws_db_instance` and `aws_rds_cluster` (Terraform).',
    refs: {
      cfn_nag: ['F26'],
      checkov: ['CKV_AWS_16', 'CKV_AWS_96'],
      kics: [
        '5beacce3-4020-4a3d-9e1d-a36f953df630',
        '65844ba3-03a1-40a8-b3dd-919f122e8c95',
        '08bd0760-8752-44e1-9779-7bb369b2b4e4',
        '3199c26c-7871-4cb3-99c2-10a59244ce7f',
      ],
    },
  },
  {
    cloudformation: [
      {
        types: ['AWS::RDS::DBInstance'],
        check(res, doc) {
          // Cluster members take the cluster's encryption; replicas and restores take their source's.
          const sources = [
            'DBClusterIdentifier',
            'SourceDBInstanceIdentifier',
            'SourceDBClusterIdentifier',
            'DBSnapshotIdentifier',
            'SourceDBInstanceAutomatedBackupsArn',
          ];
          if (fromSource(res.body, doc, sources)) return;
          const encrypted = get(res.body, 'StorageEncrypted');
          if (mayBeOff(encrypted, doc)) {
            return hit(
              encrypted?.pos ?? res.pos,
              `DB instance ${res.name} is not encrypted: set StorageEncrypted: true.`,
            );
          }
        },
      },
      {
        types: ['AWS::RDS::DBCluster'],
        check(res, doc) {
          if (fromSource(res.body, doc, ['SnapshotIdentifier', 'SourceDBClusterIdentifier'])) return;
          // Aurora Serverless v1 clusters are always encrypted.
          if (serverlessV1(get(res.body, 'EngineMode'), doc)) return;
          const encrypted = get(res.body, 'StorageEncrypted');
          if (mayBeOff(encrypted, doc)) {
            return hit(
              encrypted?.pos ?? res.pos,
              `DB cluster ${res.name} is not encrypted: set StorageEncrypted: true.`,
            );
          }
        },
      },
    ],
    terraform: [
      tf(['aws_db_instance'], (res, doc) => {
        // Replicas and restores (from a snapshot or a point in time) take their source's encryption.
        if (
          fromSource(res.body, doc, [
            'replicate_source_db',
            'snapshot_identifier',
            'restore_to_point_in_time',
          ])
        ) {
          return;
        }
        const encrypted = get(res.body, 'storage_encrypted');
        if (mayBeOff(encrypted, doc)) {
          return hit(
            encrypted?.pos ?? res.pos,
            `DB instance ${res.name} is not encrypted: set storage_encrypted = true.`,
          );
        }
      }),
      tf(['aws_rds_cluster'], (res, doc) => {
        if (fromSource(res.body, doc, ['snapshot_identifier', 'restore_to_point_in_time'])) return;
        if (serverlessV1(get(res.body, 'engine_mode'), doc)) return;
        const encrypted = get(res.body, 'storage_encrypted');
        if (mayBeOff(encrypted, doc)) {
          return hit(
            encrypted?.pos ?? res.pos,
            `DB cluster ${res.name} is not encrypted: set storage_encrypted = true.`,
          );
        }
      }),
    ],
  },
);

export const rdsPublic = resourceRule(
  {
    id: 'rds-public',
    title: 'RDS database is publicly accessible',
    severity: 'high',
    description:
      'A publicly accessible database gets an address that resolves and routes from the internet, so a single permissive security group rule exposes it to scanning and password guessing.',
    fix: 'Set `PubliclyAccessible: false` on `AWS::RDS::DBInstance` / `AWS::RDS::DBCluster` (CloudFormation) or `publicly_accessible = false` on `aws_db_instance` / `aws_rds_cluster_instance` (Terraform), in private subnets, and reach it through the application tier, a VPN or Session Manager port forwarding.',
    refs: {
      cfn_nag: ['F22'],
      checkov: ['CKV_AWS_17'],
      kics: ['de38e1d5-54cb-4111-a868-6f7722695007', '35113e6f-2c6b-414d-beec-7a9482d3b2d1'],
    },
  },
  {
    cloudformation: {
      types: ['AWS::RDS::DBInstance', 'AWS::RDS::DBCluster'],
      check(res, doc) {
        const open = get(res.body, 'PubliclyAccessible');
        if (open && mayBeBool(open, doc, true)) {
          const kind = res.type === 'AWS::RDS::DBCluster' ? 'DB cluster' : 'DB instance';
          return hit(open.pos, `${kind} ${res.name} is publicly accessible: set PubliclyAccessible: false.`);
        }
      },
    },
    // Aurora's instances are `aws_rds_cluster_instance` in Terraform, each with its own setting.
    terraform: tf(['aws_db_instance', 'aws_rds_cluster_instance'], (res, doc) => {
      const open = get(res.body, 'publicly_accessible');
      if (open && mayBeBool(open, doc, true)) {
        const kind = res.type === 'aws_rds_cluster_instance' ? 'Cluster instance' : 'DB instance';
        return hit(open.pos, `${kind} ${res.name} is publicly accessible: set publicly_accessible = false.`);
      }
    }),
  },
);

export const RDS_RULES = [rdsUnencrypted, rdsPublic];

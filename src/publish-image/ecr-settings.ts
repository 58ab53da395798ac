/**
 * ECR repository settings, apart from ecr.ts so that reading inputs does not load the AWS SDK (it
 * takes a while: the CLI loads it only when an ECR destination or an AMI needs it).
 */
export const TAG_MUTABILITY = ['IMMUTABLE', 'MUTABLE'] as const;
export type TagMutability = (typeof TAG_MUTABILITY)[number];

export interface RepositorySettings {
  tagMutability: TagMutability;
  scanOnPush: boolean;
  /** A KMS key (id, ARN or alias) for KMS encryption; AES256 when undefined. */
  kmsKey?: string;
  /** The lifecycle policy's JSON text. */
  lifecyclePolicy?: string;
}

export interface RepositoryResult {
  repository: string;
  created: boolean;
  /** How an existing repository differs from the settings, one sentence each. */
  drift: string[];
}

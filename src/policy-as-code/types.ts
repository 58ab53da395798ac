/**
 * The document model every policy rule reads. Each parser (CloudFormation YAML/JSON, Terraform
 * and Packer HCL2, Packer JSON, Dockerfiles, Kubernetes manifests, GitHub workflows) produces
 * `Doc`s whose values are `Node`s that know their line and column, so a finding can point at the
 * offending attribute, or at its resource when the attribute is missing.
 */
import type { Severity } from '../core/sarif.js';

export type { Severity };

export const SEVERITIES: readonly Severity[] = ['critical', 'high', 'medium', 'low'];

/** 1-based lines and columns; the end is exclusive, as SARIF regions are. */
export interface Pos {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export type Format =
  'cloudformation' | 'terraform' | 'packer' | 'dockerfile' | 'kubernetes' | 'workflow' | 'action';

export const FORMATS: readonly Format[] = [
  'cloudformation',
  'terraform',
  'packer',
  'dockerfile',
  'kubernetes',
  'workflow',
  'action',
];

export type Scalar = string | number | boolean | null;

export interface Entry {
  key: string;
  keyPos: Pos;
  value: Node;
}

/** A mapping (YAML/JSON object, HCL object or block body). Keys keep their source order. */
export interface MapNode {
  kind: 'map';
  pos: Pos;
  entries: Entry[];
  /** An HCL block body: the block's labels (`post-processor "manifest"` → `["manifest"]`). */
  labels?: string[];
}

export interface ListNode {
  kind: 'list';
  pos: Pos;
  items: Node[];
}

export interface ScalarNode {
  kind: 'scalar';
  pos: Pos;
  value: Scalar;
}

/**
 * A function whose value the model may resolve: CloudFormation intrinsics keep their long name
 * (`Ref`, `Fn::If`, `Fn::Sub`, `Fn::GetAtt`, …; short tags such as `!Ref` are mapped to it), and
 * HCL maps onto the same names: `var.x` / `local.x` is `Ref` of `"var.x"`, `c ? a : b` is
 * `Fn::If` of `[c, a, b]`. Anything else HCL cannot give a value is an `expr`.
 */
export interface FnNode {
  kind: 'fn';
  pos: Pos;
  name: string;
  arg: Node;
}

/** An expression whose value is not known before deployment (HCL references, templates, calls). */
export interface ExprNode {
  kind: 'expr';
  pos: Pos;
  text: string;
}

export type Node = MapNode | ListNode | ScalarNode | FnNode | ExprNode;

/** A CloudFormation resource, a Terraform resource or data block, a Packer source or builder. */
export interface Resource {
  /** `AWS::S3::Bucket`, `aws_s3_bucket`, `amazon-ebs`, `Deployment`, … */
  type: string;
  /** The logical id, the Terraform name, the Packer source name. */
  name: string;
  /** Where the resource starts (its key or block header) and ends. */
  pos: Pos;
  /** CloudFormation `Properties`, the Terraform/Packer block body, the Kubernetes object. */
  body: MapNode;
  /** The whole resource node (CloudFormation: the entry with Type, Properties, Metadata). */
  node: Node;
  /** CloudFormation `Metadata`, when present. */
  metadata?: MapNode;
  /** Terraform: `resource`, `data`, `module`; Packer: `source`, `builder`. */
  block?: string;
}

export interface Instruction {
  /** Upper-case: `FROM`, `RUN`, `USER`, … */
  keyword: string;
  /** The arguments as written, continuation lines joined with a space. */
  args: string;
  pos: Pos;
  /** Index of the stage it belongs to (instructions before the first FROM belong to -1). */
  stage: number;
}

export interface Stage {
  index: number;
  /** `FROM image AS name`. */
  name?: string;
  /** The image as written, `${VAR}` substituted from earlier ARG defaults where known. */
  image: string;
  /** The stage is built `FROM` an earlier stage, not an image. */
  fromStage?: number;
  pos: Pos;
  instructions: Instruction[];
}

export interface DockerfileModel {
  stages: Stage[];
  /** ARGs declared before the first FROM. */
  globalArgs: Instruction[];
}

export interface Comment {
  line: number;
  column: number;
  text: string;
}

export interface Doc {
  /** Repo-relative path with `/`. */
  file: string;
  format: Format;
  /** The document (for multi-document YAML, one Doc per document). */
  root: Node;
  resources: Resource[];
  /**
   * Names a `Ref` may resolve: CloudFormation parameters, Terraform `var.x` and `local.x`, Packer
   * `var.x` and user variables. The value is the default node, or undefined when there is none.
   */
  params: Map<string, Node | undefined>;
  /**
   * Terraform and Packer HCL2: the resources of every file of the module (the folder), this
   * document's included, for checks that look for a companion resource (a bucket's public access
   * block, say). A rule reports only on `resources`, the ones in this file.
   */
  moduleResources?: Resource[];
  /** CloudFormation `Conditions` names, so `Fn::If` can be recognised. */
  conditions?: Set<string>;
  /** Comments in the file with their lines, for inline suppressions. */
  comments: Comment[];
  dockerfile?: DockerfileModel;
  /** 0-based index of the YAML document within its file. */
  index?: number;
}

/** What a rule reports: where, and optionally a message more precise than the title. */
export interface Hit {
  pos: Pos;
  message: string;
  /** The resource the hit belongs to, for resource-wide suppressions. */
  resource?: Resource;
}

export interface RuleRefs {
  cfn_nag?: string[];
  checkov?: string[];
  kics?: string[];
}

export interface Rule {
  /** Lower-case kebab id, stable forever: `ebs-volume-unencrypted`. */
  id: string;
  title: string;
  severity: Severity;
  /** What is wrong and why it matters. */
  description: string;
  /** How to fix it. */
  fix: string;
  refs: RuleRefs;
  formats: readonly Format[];
  check(doc: Doc): Hit[];
  /** `builtin`, `custom` (our YAML) or `cfn-guard`. */
  origin?: 'builtin' | 'custom' | 'cfn-guard';
}

export interface Suppression {
  kind: 'inSource' | 'external';
  /** `imagepipe:skip`, `cfn_nag`, `checkov`, `kics`, `config`. */
  via: string;
  justification: string;
}

export interface PolicyFinding {
  ruleId: string;
  severity: Severity;
  title: string;
  message: string;
  file: string;
  format: Format;
  pos: Pos;
  /** `AWS::S3::Bucket Logs`, `aws_s3_bucket.logs`, … */
  resource?: string;
  fingerprint: string;
  suppression?: Suppression;
}

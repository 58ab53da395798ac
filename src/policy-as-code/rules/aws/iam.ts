/**
 * IAM: wildcard and NotAction grants, full administrator policies, roles anyone may assume, and
 * policies embedded in users. Policy documents are read from every place CloudFormation and
 * Terraform hold them, as objects (`jsonencode({…})` too) or JSON strings, and from
 * `data "aws_iam_policy_document"` blocks; one analysis of statements serves both formats.
 */
import { entry, get, isList } from '../../model.js';
import type { Doc, Hit, MapNode, Node, Resource } from '../../types.js';
import {
  actionsOf,
  isReadOnlyAction,
  isWildcardAction,
  known,
  mapItems,
  mayAllow,
  policyDocuments,
  publicPrincipalHits,
  resourcesOfStatement,
  statementField,
  statementLabel,
  statements,
  uniqueHits,
} from '../aws-helpers.js';
import { asPolicy, documentPolicyFor, documentStatements, tf } from '../aws-terraform.js';
import { hit, resourceRule, type ResourceCheck } from '../define.js';

/** Resources holding one `PolicyDocument` of their own. */
const POLICY_TYPES = [
  'AWS::IAM::Policy',
  'AWS::IAM::ManagedPolicy',
  'AWS::IAM::RolePolicy',
  'AWS::IAM::UserPolicy',
  'AWS::IAM::GroupPolicy',
];
/** Identities with inline `Policies: [{PolicyName, PolicyDocument}]`. */
const IDENTITY_TYPES = ['AWS::IAM::Role', 'AWS::IAM::User', 'AWS::IAM::Group'];

/** Terraform resources holding one permission `policy` of their own. */
const TF_POLICY_TYPES = [
  'aws_iam_policy',
  'aws_iam_role_policy',
  'aws_iam_user_policy',
  'aws_iam_group_policy',
];
const TF_DOCUMENT = ['aws_iam_policy_document'];

/** The permission policy documents (not trust policies) a resource holds. */
export function permissionPolicies(res: Resource, doc: Doc): MapNode[] {
  if (POLICY_TYPES.includes(res.type)) return policyDocuments(get(res.body, 'PolicyDocument'), doc);
  if (IDENTITY_TYPES.includes(res.type)) {
    return mapItems(get(res.body, 'Policies'), doc).flatMap((p) =>
      policyDocuments(get(p, 'PolicyDocument'), doc),
    );
  }
  if (doc.format !== 'terraform') return [];
  if (TF_POLICY_TYPES.includes(res.type)) return policyDocuments(get(res.body, 'policy'), doc);
  if (res.type === 'aws_iam_role') {
    return mapItems(get(res.body, 'inline_policy'), doc).flatMap((p) =>
      policyDocuments(get(p, 'policy'), doc),
    );
  }
  // A policy document's statements without principals are identity policy statements.
  return asPolicy(
    res,
    documentStatements(res, doc)
      .filter((s) => !s.principals)
      .map((s) => s.statement),
  );
}

/** The trust policies of a role, and the statements of a policy document used as one. */
function trustPolicies(res: Resource, doc: Doc): MapNode[] {
  if (res.type === 'AWS::IAM::Role') return policyDocuments(get(res.body, 'AssumeRolePolicyDocument'), doc);
  if (doc.format !== 'terraform') return [];
  if (res.type === 'aws_iam_role') return policyDocuments(get(res.body, 'assume_role_policy'), doc);
  return documentPolicyFor(res, doc, 'trust');
}

function label(res: Resource): string {
  if (res.type.startsWith('aws_')) {
    const kind = res.type.replace(/^aws_iam_/, '').replace(/_/g, ' ');
    return `${kind.charAt(0).toUpperCase()}${kind.slice(1)} ${res.name}`;
  }
  const kind = res.type.split('::')[2] ?? 'Resource';
  return `${kind.replace(/([a-z])([A-Z])/g, '$1 $2')} ${res.name}`;
}

/**
 * Checks over every allowing statement of a resource's policies, for CloudFormation and
 * Terraform: `withTrust` adds the role's trust policy to its permission policies.
 */
function statementChecks(
  withTrust: boolean,
  report: (st: MapNode, res: Resource, doc: Doc) => Array<Hit | undefined>,
): { cloudformation: ResourceCheck; terraform: ResourceCheck } {
  const check = (res: Resource, doc: Doc): Hit[] => {
    const policies = [...permissionPolicies(res, doc), ...(withTrust ? trustPolicies(res, doc) : [])];
    const hits: Array<Hit | undefined> = [];
    for (const policy of policies) {
      for (const st of statements(policy, doc)) if (mayAllow(st, doc)) hits.push(...report(st, res, doc));
    }
    return uniqueHits(hits);
  };
  return {
    cloudformation: { types: [...POLICY_TYPES, ...IDENTITY_TYPES], check },
    terraform: tf([...TF_POLICY_TYPES, 'aws_iam_role'], check, TF_DOCUMENT),
  };
}

export const iamWildcardAction = resourceRule(
  {
    id: 'iam-wildcard-action',
    title: 'IAM policy allows every action of a service',
    severity: 'high',
    description:
      'An Allow statement with `Action: "*"` or `"service:*"` grants every action of the service, including ones added later and ones that change permissions, delete data or disable logging. Least privilege lists the actions the workload calls.',
    fix: 'Replace the wildcard with the actions the workload needs (IAM Access Analyzer can generate them from CloudTrail), in the `Action` of the statement in CloudFormation, or in Terraform in the `actions` of the `aws_iam_policy_document` statement or the `Action` of the JSON / `jsonencode` policy.',
    refs: {
      cfn_nag: ['F2', 'F3', 'F4', 'F5'],
      checkov: ['CKV_AWS_63', 'CKV_AWS_49'],
      kics: ['575a2155-6af1-4026-b1af-d5bc8fe2a904'],
    },
  },
  statementChecks(true, (st, res, doc) =>
    actionsOf(st, doc)
      .filter((a) => isWildcardAction(a.value))
      .map((a) =>
        hit(
          a.pos,
          `${label(res)}${statementLabel(st)} allows "${a.value}": list the actions it needs instead.`,
        ),
      ),
  ),
);

export const iamWildcardResource = resourceRule(
  {
    id: 'iam-wildcard-resource',
    title: 'IAM policy allows write actions on every resource',
    severity: 'medium',
    description:
      'An Allow statement with `Resource: "*"` and actions that are not read-only lets the holder change or delete every resource of those services in the account, not only the ones the workload owns.',
    fix: 'Name the resources by ARN (with `!Sub` / `!GetAtt` in CloudFormation, or resource attributes in Terraform) in the `Resource` of the statement (`resources` of an `aws_iam_policy_document` statement); keep `*` only for read-only actions and for actions that accept no other resource.',
    refs: { cfn_nag: ['W11', 'W12', 'W13'], checkov: ['CKV_AWS_111'] },
  },
  statementChecks(false, (st, res, doc) => {
    const everything = resourcesOfStatement(st, doc).filter((r) => r.value.trim() === '*');
    if (everything.length === 0) return [];
    const notAction = statementField(st, 'NotAction') !== undefined;
    const writes = actionsOf(st, doc)
      .map((a) => a.value)
      .filter((a) => !isReadOnlyAction(a));
    if (writes.length === 0 && !notAction) return [];
    const shown = notAction ? 'NotAction (everything else)' : [...new Set(writes)].slice(0, 3).join(', ');
    const more = writes.length > 3 ? ', …' : '';
    return everything.map((r) =>
      hit(
        r.pos,
        `${label(res)}${statementLabel(st)} allows ${shown}${more} on Resource "*": name the resources it needs.`,
      ),
    );
  }),
);

export const iamNotAction = resourceRule(
  {
    id: 'iam-not-action',
    title: 'IAM policy allows with NotAction',
    severity: 'high',
    description:
      'Allow with `NotAction` grants every action except the listed ones, across all services, including every action AWS adds later. It is almost always far broader than intended.',
    fix: 'Replace `NotAction` with an `Action` list of what the workload needs (CloudFormation `NotAction`, Terraform `not_actions` / `NotAction`); keep `NotAction` only in Deny statements.',
    refs: { cfn_nag: ['W14', 'W15', 'W16', 'W17'] },
  },
  statementChecks(true, (st, res) => {
    const notAction = statementField(st, 'NotAction');
    return notAction
      ? [
          hit(
            notAction.pos,
            `${label(res)}${statementLabel(st)} allows everything except its NotAction: list the allowed actions instead.`,
          ),
        ]
      : [];
  }),
);

export const iamFullAdmin = resourceRule(
  {
    id: 'iam-full-admin',
    title: 'IAM policy grants full administrator access',
    severity: 'critical',
    description:
      'A statement that allows `Action: "*"` on `Resource: "*"` makes its holder an administrator of the account: it can read every secret, change every permission and delete everything. A workload or pipeline never needs it.',
    fix: 'Grant the actions and resources the workload needs instead of `*` on `*` (CloudFormation `Action`/`Resource`, Terraform `actions`/`resources` of `aws_iam_policy_document`); keep administrator access for break-glass roles behind MFA, outside application templates.',
    refs: {
      checkov: ['CKV_AWS_62', 'CKV_AWS_1'],
      kics: [
        '953b3cdb-ce13-428a-aa12-318726506661',
        '2f37c4a3-58b9-4afe-8a87-d7f1d2286f84',
        'b1ffa705-19a3-4b73-b9d0-0c97d0663842',
      ],
    },
  },
  statementChecks(false, (st, res, doc) => {
    const allResources = resourcesOfStatement(st, doc).some((r) => r.value.trim() === '*');
    if (!allResources) return [];
    return actionsOf(st, doc)
      .filter((a) => a.value.trim() === '*')
      .map((a) =>
        hit(
          a.pos,
          `${label(res)}${statementLabel(st)} allows every action on every resource: grant only what the workload needs.`,
        ),
      );
  }),
);

function trustHits(res: Resource, doc: Doc): Hit[] {
  const what = res.block === 'data' ? `Policy document ${res.name}` : `Role ${res.name}`;
  return publicPrincipalHits(
    trustPolicies(res, doc),
    doc,
    (st) => `${what}${statementLabel(st)} can be assumed by any principal: name the trusted principals.`,
  );
}

export const iamTrustAnyPrincipal = resourceRule(
  {
    id: 'iam-trust-any-principal',
    title: 'IAM role can be assumed by anyone',
    severity: 'critical',
    description:
      'A trust policy that allows the principal `*` (or `{"AWS": "*"}`) without a condition naming the callers lets any AWS account in the world assume the role and act with its permissions.',
    fix: 'Name the trusted principals (account, role or service) in `AssumeRolePolicyDocument` (CloudFormation) or `assume_role_policy` (Terraform: the `principals` blocks of the `aws_iam_policy_document` it reads), or add a condition on aws:PrincipalOrgID, aws:PrincipalArn or aws:SourceAccount.',
    refs: {
      checkov: ['CKV_AWS_60'],
      kics: ['f80e3aa7-7b34-4185-954e-440a6894dde6', '12b7e704-37f0-4d1e-911a-44bf60c48c21'],
    },
  },
  {
    cloudformation: {
      types: ['AWS::IAM::Role'],
      check: (res, doc) => trustHits(res, doc),
    },
    terraform: tf(['aws_iam_role'], trustHits, TF_DOCUMENT),
  },
);

/** True when a list property may hold at least one item. */
function mayHaveItems(node: Node | undefined, doc: Doc): boolean {
  return known(node, doc).some((v) => !isList(v) || v.items.length > 0);
}

export const iamUserInlinePolicy = resourceRule(
  {
    id: 'iam-user-inline-policy',
    title: 'IAM policy is embedded in a user',
    severity: 'low',
    description:
      'Permissions embedded in individual users are hard to review and are forgotten when people change roles; granting them through groups or roles keeps them in one place (CIS AWS Foundations 1.15).',
    fix: 'Move the policy to an `AWS::IAM::Group` the user belongs to, or to a role (CloudFormation: drop `Policies` from `AWS::IAM::User` and `Users` from `AWS::IAM::Policy`; Terraform: use `aws_iam_group_policy` / `aws_iam_group_policy_attachment` instead of `aws_iam_user_policy` / `aws_iam_user_policy_attachment`, and drop `users` from `aws_iam_policy_attachment`).',
    refs: {
      cfn_nag: ['F10', 'F11'],
      checkov: ['CKV_AWS_40'],
      kics: [
        'edc95c10-7366-4f30-9b4b-f995c84eceb5',
        'e4239438-e639-44aa-adb8-866e400e3ade',
        'b4378389-a9aa-44ee-91e7-ef183f11079e',
      ],
    },
  },
  {
    cloudformation: [
      {
        types: ['AWS::IAM::User'],
        check(res, doc) {
          const policies = entry(res.body, 'Policies');
          if (policies && mayHaveItems(policies.value, doc)) {
            return hit(
              policies.value.pos,
              `User ${res.name} has inline policies: grant them through a group or role.`,
            );
          }
        },
      },
      {
        types: ['AWS::IAM::Policy'],
        check(res, doc) {
          const users = entry(res.body, 'Users');
          if (users && mayHaveItems(users.value, doc)) {
            return hit(
              users.value.pos,
              `Policy ${res.name} is embedded in users: attach it to a group instead.`,
            );
          }
        },
      },
      {
        types: ['AWS::IAM::UserPolicy'],
        check: (res) =>
          hit(res.pos, `User policy ${res.name} is embedded in a user: attach it to a group instead.`),
      },
    ],
    terraform: [
      tf(['aws_iam_user_policy'], (res) =>
        hit(res.pos, `User policy ${res.name} is embedded in a user: use aws_iam_group_policy instead.`),
      ),
      tf(['aws_iam_user_policy_attachment'], (res) =>
        hit(
          res.pos,
          `Policy attachment ${res.name} attaches a policy to a user: attach it to a group with aws_iam_group_policy_attachment.`,
        ),
      ),
      tf(['aws_iam_policy_attachment'], (res, doc) => {
        const users = entry(res.body, 'users');
        if (users && mayHaveItems(users.value, doc)) {
          return hit(
            users.value.pos,
            `Policy attachment ${res.name} attaches a policy to users: attach it to groups instead.`,
          );
        }
      }),
    ],
  },
);

export const IAM_RULES = [
  iamWildcardAction,
  iamWildcardResource,
  iamNotAction,
  iamFullAdmin,
  iamTrustAnyPrincipal,
  iamUserInlinePolicy,
];

/** KMS keys: automatic rotation, and key policies open to everyone. */
import { get, mayBeOff, possible, toStr, UNKNOWN } from '../../model.js';
import type { Node, Doc } from '../../types.js';
import { policyDocuments, publicPrincipalHits, statementLabel } from '../aws-helpers.js';
import { documentPolicyFor, tf } from '../aws-terraform.js';
import { hit, resourceRule } from '../define.js';

/** True when the property may be absent or one of `values` (an absent one takes the default). */
function mayBeDefaultOr(node: Node | undefined, doc: Doc, ...values: string[]): boolean {
  return possible(node, doc).some(
    (p) => p === undefined || (p !== UNKNOWN && values.includes(toStr(p) ?? '')),
  );
}

export const kmsRotationOff = resourceRule(
  {
    id: 'kms-rotation-off',
    title: 'KMS key rotation is not enabled',
    severity: 'medium',
    description:
      'Without automatic rotation a symmetric key keeps the same key material for its whole life, so more data depends on one secret and a compromise reaches further back. Asymmetric and HMAC keys (a `KeySpec` / `customer_master_key_spec` other than SYMMETRIC_DEFAULT), and keys with imported or external key material or in a custom key store, cannot rotate automatically and are not reported.',
    fix: 'Set `EnableKeyRotation: true` on `AWS::KMS::Key` (CloudFormation) or `enable_key_rotation = true` on `aws_kms_key` (Terraform).',
    refs: {
      cfn_nag: ['F19'],
      checkov: ['CKV_AWS_7'],
      kics: [
        '235ca980-eb71-48f4-9030-df0c371029eb',
        '1c07bfaf-663c-4f6f-b22b-8e2d481e4df5',
        '22fbfeac-7b5a-421a-8a27-7a2178bb910b',
      ],
    },
  },
  {
    cloudformation: {
      types: ['AWS::KMS::Key'],
      check(res, doc) {
        const symmetric = mayBeDefaultOr(get(res.body, 'KeySpec'), doc, 'SYMMETRIC_DEFAULT');
        const awsMaterial = mayBeDefaultOr(get(res.body, 'Origin'), doc, 'AWS_KMS');
        if (!symmetric || !awsMaterial) return;
        const rotation = get(res.body, 'EnableKeyRotation');
        if (mayBeOff(rotation, doc)) {
          return hit(
            rotation?.pos ?? res.pos,
            `Key ${res.name} does not rotate: set EnableKeyRotation: true.`,
          );
        }
      },
    },
    terraform: tf(['aws_kms_key'], (res, doc) => {
      // `customer_master_key_spec` is Terraform's `KeySpec`; a key in a custom key store (CloudHSM
      // or external) is Terraform's `Origin` other than AWS_KMS.
      const symmetric = mayBeDefaultOr(get(res.body, 'customer_master_key_spec'), doc, 'SYMMETRIC_DEFAULT');
      const awsMaterial = mayBeDefaultOr(get(res.body, 'custom_key_store_id'), doc);
      if (!symmetric || !awsMaterial) return;
      const rotation = get(res.body, 'enable_key_rotation');
      if (mayBeOff(rotation, doc)) {
        return hit(
          rotation?.pos ?? res.pos,
          `Key ${res.name} does not rotate: set enable_key_rotation = true.`,
        );
      }
    }),
  },
);

export const kmsPolicyWildcardPrincipal = resourceRule(
  {
    id: 'kms-policy-wildcard-principal',
    title: 'KMS key policy allows everyone',
    severity: 'high',
    description:
      'A key policy statement that allows the principal `*` without a condition naming the callers (kms:CallerAccount, aws:PrincipalOrgID, …) lets any AWS account use or manage the key, and so decrypt whatever it protects.',
    fix: 'Name the principals (the account root, roles) in `KeyPolicy` (CloudFormation) or `policy` of `aws_kms_key` / `aws_kms_key_policy` (Terraform), or add a condition on kms:CallerAccount together with kms:ViaService, or on aws:PrincipalOrgID.',
    refs: {
      cfn_nag: ['F76'],
      checkov: ['CKV_AWS_33'],
      kics: ['f6049677-ec4a-43af-8779-5190b6d03cba', '7ebc9038-0bde-479a-acc4-6ed7b6758899'],
    },
  },
  {
    cloudformation: {
      types: ['AWS::KMS::Key', 'AWS::KMS::ReplicaKey'],
      check: (res, doc) =>
        publicPrincipalHits(
          policyDocuments(get(res.body, 'KeyPolicy'), doc),
          doc,
          (st) =>
            `Key ${res.name}${statementLabel(st)} allows everyone (Principal *): name the principals or add a condition on kms:CallerAccount.`,
        ),
    },
    terraform: tf(
      ['aws_kms_key', 'aws_kms_replica_key', 'aws_kms_key_policy'],
      (res, doc) => {
        const what =
          res.block === 'data' ? 'Policy document' : res.type === 'aws_kms_key_policy' ? 'Key policy' : 'Key';
        return publicPrincipalHits(
          res.block === 'data'
            ? documentPolicyFor(res, doc, 'key')
            : policyDocuments(get(res.body, 'policy'), doc),
          doc,
          (st) =>
            `${what} ${res.name}${statementLabel(st)} allows everyone (Principal *): name the principals or add a condition on kms:CallerAccount.`,
        );
      },
      ['aws_iam_policy_document'],
    ),
  },
);

export const KMS_RULES = [kmsRotationOff, kmsPolicyWildcardPrincipal];

/** KMS keys: automatic rotation, and key policies open to everyone. */
import { get, mayBeOff, possible, toStr, UNKNOWN } from '../../model.js';
import type { Hit, Node, Doc } from '../../types.js';
import {
  conditionNarrows,
  mayAllow,
  policyDocuments,
  statementLabel,
  statements,
  uniqueHits,
  wildcardPrincipals,
} from '../aws-helpers.js';
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
      'Without automatic rotation a symmetric key keeps the same key material for its whole life, so more data depends on one secret and a compromise reaches further back. Asymmetric and HMAC keys, and keys with imported or external key material, cannot rotate automatically and are not reported.',
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
  },
);

export const kmsPolicyWildcardPrincipal = resourceRule(
  {
    id: 'kms-policy-wildcard-principal',
    title: 'KMS key policy allows everyone',
    severity: 'high',
    description:
      'A key policy statement that allows the principal `*` without a condition naming the callers (kms:CallerAccount, aws:PrincipalOrgID, …) lets any AWS account use or manage the key, and so decrypt whatever it protects.',
    fix: 'Name the principals (the account root, roles) in `KeyPolicy` (CloudFormation) or `policy` of `aws_kms_key` (Terraform), or add a condition on kms:CallerAccount together with kms:ViaService, or on aws:PrincipalOrgID.',
    refs: { cfn_nag: ['F76'], checkov: ['CKV_AWS_33'], kics: ['f6049677-ec4a-43af-8779-5190b6d03cba'] },
  },
  {
    cloudformation: {
      types: ['AWS::KMS::Key', 'AWS::KMS::ReplicaKey'],
      check(res, doc) {
        const hits: Hit[] = [];
        for (const policy of policyDocuments(get(res.body, 'KeyPolicy'), doc)) {
          for (const st of statements(policy, doc)) {
            if (!mayAllow(st, doc) || conditionNarrows(st, doc)) continue;
            for (const p of wildcardPrincipals(st, doc)) {
              hits.push(
                hit(
                  p.pos,
                  `Key ${res.name}${statementLabel(st)} allows everyone (Principal *): name the principals or add a condition on kms:CallerAccount.`,
                ),
              );
            }
          }
        }
        return uniqueHits(hits);
      },
    },
  },
);

export const KMS_RULES = [kmsRotationOff, kmsPolicyWildcardPrincipal];

/** ECR repositories: tag immutability, scan on push, and repository policies open to everyone. */
import { get, possible, toStr, UNKNOWN, mayBeOff } from '../../model.js';
import type { Doc, Hit, Resource } from '../../types.js';
import { policyDocuments, publicPrincipalHits, statementLabel, uniqueHits } from '../aws-helpers.js';
import { documentPolicyFor, moduleResources, tf } from '../aws-terraform.js';
import { hit, resourceRule } from '../define.js';

/**
 * Tag mutability of a repository (`ImageTagMutability` / `image_tag_mutability`); absent means
 * `MUTABLE`. `IMMUTABLE` and `IMMUTABLE_WITH_EXCLUSION` keep tags from being overwritten.
 */
function mutableTags(res: Resource, doc: Doc, key: string, fix: string): Hit[] {
  const setting = get(res.body, key);
  const hits: Hit[] = [];
  for (const v of possible(setting, doc)) {
    if (v === UNKNOWN) continue;
    const value = v === undefined ? undefined : toStr(v);
    if (value !== undefined && value.toUpperCase().startsWith('IMMUTABLE')) continue;
    hits.push(
      hit(
        setting?.pos ?? res.pos,
        `Repository ${res.name} has mutable tags${value ? ` (${value})` : ''}: set ${fix}.`,
      ),
    );
  }
  return uniqueHits(hits);
}

export const ecrTagsMutable = resourceRule(
  {
    id: 'ecr-tags-mutable',
    title: 'ECR repository allows tags to be overwritten',
    severity: 'medium',
    description:
      'With mutable tags, pushing an image under an existing tag silently replaces what deployments of that tag run: a mistake or a stolen push credential swaps the image everywhere, and a scanned, approved tag no longer proves what is deployed.',
    fix: 'Set `ImageTagMutability: IMMUTABLE` (CloudFormation) or `image_tag_mutability = "IMMUTABLE"` (Terraform), and deploy by digest.',
    refs: {
      checkov: ['CKV_AWS_51'],
      kics: ['33f41d31-86b1-46a4-81f7-9c9a671f59ac', 'd1846b12-20c5-4d45-8798-fc35b79268eb'],
    },
  },
  {
    cloudformation: {
      types: ['AWS::ECR::Repository'],
      check: (res, doc) => mutableTags(res, doc, 'ImageTagMutability', 'ImageTagMutability: IMMUTABLE'),
    },
    terraform: tf(['aws_ecr_repository'], (res, doc) =>
      mutableTags(res, doc, 'image_tag_mutability', 'image_tag_mutability = "IMMUTABLE"'),
    ),
  },
);

export const ecrScanOnPushOff = resourceRule(
  {
    id: 'ecr-scan-on-push-off',
    title: 'ECR repository does not scan images on push',
    severity: 'medium',
    description:
      'Images pushed without a scan reach deployments before anyone learns of their known vulnerabilities. (A registry-level scanning configuration in the same template takes over and silences this rule.)',
    fix: 'Set `ImageScanningConfiguration: {ScanOnPush: true}` (CloudFormation) or `image_scanning_configuration { scan_on_push = true }` (Terraform), or configure registry-level scanning (`AWS::ECR::RegistryScanningConfiguration` / `aws_ecr_registry_scanning_configuration`), preferably enhanced scanning with Amazon Inspector.',
    refs: { cfn_nag: ['W79'], checkov: ['CKV_AWS_163'], kics: ['9630336b-3fed-4096-8173-b9afdfe346a7'] },
  },
  {
    cloudformation: {
      types: ['AWS::ECR::Repository'],
      check(res, doc) {
        // Registry-level scanning rules replace the repository setting.
        if (doc.resources.some((r) => r.type === 'AWS::ECR::RegistryScanningConfiguration')) return;
        const scan = get(res.body, 'ImageScanningConfiguration', 'ScanOnPush');
        if (mayBeOff(scan, doc)) {
          return hit(
            scan?.pos ?? res.pos,
            `Repository ${res.name} does not scan images on push: set ImageScanningConfiguration.ScanOnPush: true.`,
          );
        }
      },
    },
    terraform: tf(['aws_ecr_repository'], (res, doc) => {
      if (moduleResources(doc, 'aws_ecr_registry_scanning_configuration').length > 0) return;
      const scan = get(res.body, 'image_scanning_configuration', 'scan_on_push');
      if (mayBeOff(scan, doc)) {
        return hit(
          scan?.pos ?? res.pos,
          `Repository ${res.name} does not scan images on push: set image_scanning_configuration { scan_on_push = true }.`,
        );
      }
    }),
  },
);

export const ecrPolicyPublic = resourceRule(
  {
    id: 'ecr-policy-public',
    title: 'ECR repository policy allows everyone',
    severity: 'high',
    description:
      'A repository policy statement that allows the principal `*` without a condition naming the callers lets any AWS account pull the images (and the code and secrets baked into them), or, with push actions, replace them.',
    fix: 'Name the accounts or roles in the statement `Principal`, or add a condition on aws:PrincipalOrgID or aws:SourceAccount, in `RepositoryPolicyText` (CloudFormation) or `aws_ecr_repository_policy` (Terraform).',
    refs: {
      checkov: ['CKV_AWS_32'],
      kics: ['75be209d-1948-41f6-a8c8-e22dd0121134', 'e86e26fc-489e-44f0-9bcd-97305e4ba69a'],
    },
  },
  {
    cloudformation: {
      types: ['AWS::ECR::Repository'],
      check: (res, doc) =>
        publicPrincipalHits(
          policyDocuments(get(res.body, 'RepositoryPolicyText'), doc),
          doc,
          (st) =>
            `Repository ${res.name}${statementLabel(st)} allows everyone (Principal *): name the accounts that may use it.`,
        ),
    },
    terraform: tf(
      ['aws_ecr_repository_policy'],
      (res, doc) => {
        const data = res.block === 'data';
        return publicPrincipalHits(
          data ? documentPolicyFor(res, doc, 'repository') : policyDocuments(get(res.body, 'policy'), doc),
          doc,
          (st) =>
            `${data ? 'Policy document' : 'Repository policy'} ${res.name}${statementLabel(st)} allows everyone (Principal *): name the accounts that may use it.`,
        );
      },
      ['aws_iam_policy_document'],
    ),
  },
);

export const ECR_RULES = [ecrTagsMutable, ecrScanOnPushOff, ecrPolicyPublic];

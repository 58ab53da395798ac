/** EC2 Image Builder: distributions that share the AMIs they build with everyone. */
import { get } from '../../model.js';
import type { Doc, Hit, Node, Resource } from '../../types.js';
import { known, mapItems, stringsAt, uniqueHits } from '../aws-helpers.js';
import { tf } from '../aws-terraform.js';
import { hit, resourceRule } from '../define.js';

/** Hits on every `all` among the user groups a distribution's AMIs are shared with. */
function publicGroups(res: Resource, groups: Array<Node | undefined>, doc: Doc, setting: string): Hit[] {
  const hits: Hit[] = [];
  for (const node of groups) {
    for (const group of stringsAt(node, doc)) {
      if (group.value.trim().toLowerCase() === 'all') {
        hits.push(
          hit(
            group.pos,
            `Distribution configuration ${res.name} makes its AMI public (${setting}): share it with named accounts instead.`,
          ),
        );
      }
    }
  }
  return uniqueHits(hits);
}

export const amiPublicLaunchPermission = resourceRule(
  {
    id: 'ami-public-launch-permission',
    title: 'AMI is shared with everyone',
    severity: 'high',
    description:
      'Launch permission for the group `all` makes the AMI public: any AWS account can launch it and read its snapshots, and with them whatever the build left on the disk (code, configuration, keys, credentials).',
    fix: 'Remove `all` from `LaunchPermissionConfiguration.UserGroups` of the `AWS::ImageBuilder::DistributionConfiguration` (CloudFormation) and share with named accounts, organizations or OUs (`UserIds`, `OrganizationArns`, `OrganizationalUnitArns`); in Packer drop `"all"` from `ami_groups`, in Terraform from `launch_permission { user_groups }` or `aws_ami_launch_permission { group = "all" }`.',
    refs: {},
  },
  {
    cloudformation: {
      types: ['AWS::ImageBuilder::DistributionConfiguration'],
      check: (res, doc) =>
        publicGroups(
          res,
          mapItems(get(res.body, 'Distributions'), doc).flatMap((dist) =>
            known(get(dist, 'AmiDistributionConfiguration'), doc).flatMap((ami) =>
              known(get(ami, 'LaunchPermissionConfiguration'), doc).map((perm) => get(perm, 'UserGroups')),
            ),
          ),
          doc,
          'UserGroups: all',
        ),
    },
    terraform: [
      tf(['aws_imagebuilder_distribution_configuration'], (res, doc) =>
        publicGroups(
          res,
          mapItems(get(res.body, 'distribution'), doc).flatMap((dist) =>
            mapItems(get(dist, 'ami_distribution_configuration'), doc).flatMap((ami) =>
              mapItems(get(ami, 'launch_permission'), doc).map((perm) => get(perm, 'user_groups')),
            ),
          ),
          doc,
          'user_groups = ["all"]',
        ),
      ),
      tf(['aws_ami_launch_permission'], (res, doc) =>
        uniqueHits(
          stringsAt(get(res.body, 'group'), doc)
            .filter((g) => g.value.trim().toLowerCase() === 'all')
            .map((g) =>
              hit(
                g.pos,
                `Launch permission ${res.name} makes the AMI public (group = "all"): share it with named accounts instead.`,
              ),
            ),
        ),
      ),
    ],
  },
);

export const IMAGEBUILDER_RULES = [amiPublicLaunchPermission];

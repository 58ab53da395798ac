/** EC2 Image Builder: distributions that share the AMIs they build with everyone. */
import { get } from '../../model.js';
import type { Hit } from '../../types.js';
import { known, mapItems, stringsAt, uniqueHits } from '../aws-helpers.js';
import { hit, resourceRule } from '../define.js';

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
      check(res, doc) {
        const hits: Hit[] = [];
        for (const dist of mapItems(get(res.body, 'Distributions'), doc)) {
          for (const ami of known(get(dist, 'AmiDistributionConfiguration'), doc)) {
            for (const perm of known(get(ami, 'LaunchPermissionConfiguration'), doc)) {
              for (const group of stringsAt(get(perm, 'UserGroups'), doc)) {
                if (group.value.trim().toLowerCase() === 'all') {
                  hits.push(
                    hit(
                      group.pos,
                      `Distribution configuration ${res.name} makes its AMI public (UserGroups: all): share it with named accounts instead.`,
                    ),
                  );
                }
              }
            }
          }
        }
        return uniqueHits(hits);
      },
    },
  },
);

export const IMAGEBUILDER_RULES = [amiPublicLaunchPermission];

/** EBS: volumes, and the block devices of instances, launch templates and launch configurations. */
import { entry, get, isMap, mayBeOff, posOf, toStr } from '../../model.js';
import type { Doc, Hit, Node, Resource } from '../../types.js';
import { known, mapItems, uniqueHits } from '../aws-helpers.js';
import { tf } from '../aws-terraform.js';
import { hit, resourceRule } from '../define.js';

export const ebsVolumeUnencrypted = resourceRule(
  {
    id: 'ebs-volume-unencrypted',
    title: 'EBS volume is not encrypted',
    severity: 'high',
    description:
      'An unencrypted EBS volume stores its data, and every snapshot and AMI made from it, in clear text. Anyone who gets a copy of a snapshot can read it.',
    fix: 'Set `Encrypted: true` (CloudFormation) or `encrypted = true` (Terraform), ideally with a customer managed `KmsKeyId` / `kms_key_id`, or turn on EBS encryption by default for the account.',
    refs: {
      cfn_nag: ['F1'],
      checkov: ['CKV_AWS_3'],
      kics: ['80b7ac3f-d2b7-4577-9b10-df7913497162', 'cc997676-481b-4e93-aa81-d19f8c5e9b12'],
    },
  },
  {
    cloudformation: {
      types: ['AWS::EC2::Volume'],
      check(res, doc) {
        const encrypted = get(res.body, 'Encrypted');
        if (mayBeOff(encrypted, doc)) {
          return hit(posOf(encrypted, res), `Volume ${res.name} is not encrypted: set Encrypted: true.`);
        }
      },
    },
    terraform: tf(['aws_ebs_volume'], (res, doc) => {
      const encrypted = get(res.body, 'encrypted');
      if (mayBeOff(encrypted, doc)) {
        return hit(posOf(encrypted, res), `Volume ${res.name} is not encrypted: set encrypted = true.`);
      }
    }),
  },
);

/**
 * Block device mappings whose EBS volume may be unencrypted. Mappings without `Ebs` (instance
 * store, `NoDevice`) hold no EBS volume. A missing `Encrypted` falls back to the snapshot's or
 * the account default's encryption, which the template does not show, so it is reported.
 */
function unencryptedDevices(mappings: Node | undefined, doc: Doc, res: Resource, what: string): Hit[] {
  const hits: Hit[] = [];
  for (const mapping of mapItems(mappings, doc)) {
    const device = toStr(get(mapping, 'DeviceName')) ?? 'a block device';
    for (const ebs of known(entry(mapping, 'Ebs')?.value, doc)) {
      if (!isMap(ebs)) continue;
      const encrypted = get(ebs, 'Encrypted');
      if (mayBeOff(encrypted, doc)) {
        hits.push(
          hit(
            encrypted?.pos ?? ebs.pos,
            `${what} ${res.name}: EBS volume ${device} is not encrypted: set Ebs.Encrypted: true.`,
          ),
        );
      }
    }
  }
  return uniqueHits(hits);
}

/**
 * The same for Terraform's `root_block_device` (one, no device name) and `ebs_block_device`
 * blocks of `aws_instance` and `aws_launch_configuration`; `no_device = true` holds no volume.
 * A missing `root_block_device` leaves the root volume to the AMI, as a missing mapping does.
 */
function unencryptedTfDevices(res: Resource, doc: Doc, what: string): Hit[] {
  const hits: Hit[] = [];
  for (const key of ['root_block_device', 'ebs_block_device']) {
    for (const device of mapItems(get(res.body, key), doc)) {
      if (key === 'ebs_block_device' && !mayBeOff(get(device, 'no_device'), doc)) continue;
      const name =
        key === 'root_block_device'
          ? 'the root volume'
          : `EBS volume ${toStr(get(device, 'device_name')) ?? 'a block device'}`;
      const encrypted = get(device, 'encrypted');
      if (mayBeOff(encrypted, doc)) {
        hits.push(
          hit(
            encrypted?.pos ?? device.pos,
            `${what} ${res.name}: ${name} is not encrypted: set encrypted = true in ${key}.`,
          ),
        );
      }
    }
  }
  return uniqueHits(hits);
}

const BLOCK_DEVICE_FIX =
  'Set `Encrypted: true` on every `BlockDeviceMappings[].Ebs` (CloudFormation) or `encrypted = true` in every `root_block_device` / `ebs_block_device` block (Terraform), or turn on EBS encryption by default for the account and region.';

export const instanceEbsUnencrypted = resourceRule(
  {
    id: 'instance-ebs-unencrypted',
    title: 'EC2 instance block device is not encrypted',
    severity: 'high',
    description:
      "An EC2 instance's EBS volumes that are not encrypted keep the instance's data, its snapshots and any AMI made from it in clear text.",
    fix: BLOCK_DEVICE_FIX,
    refs: { checkov: ['CKV_AWS_8'] },
  },
  {
    cloudformation: {
      types: ['AWS::EC2::Instance'],
      check: (res, doc) => unencryptedDevices(get(res.body, 'BlockDeviceMappings'), doc, res, 'Instance'),
    },
    terraform: tf(['aws_instance'], (res, doc) => unencryptedTfDevices(res, doc, 'Instance')),
  },
);

export const launchTemplateEbsUnencrypted = resourceRule(
  {
    id: 'launch-template-ebs-unencrypted',
    title: 'Launch template block device is not encrypted',
    severity: 'high',
    description:
      'Every instance launched from this template gets an unencrypted EBS volume: its data, snapshots and AMIs are stored in clear text.',
    fix: 'Set `Encrypted: true` on every `LaunchTemplateData.BlockDeviceMappings[].Ebs` (CloudFormation) or `encrypted = true` in every `block_device_mappings { ebs { … } }` (Terraform), or turn on EBS encryption by default for the account and region.',
    refs: {},
  },
  {
    cloudformation: {
      types: ['AWS::EC2::LaunchTemplate'],
      check: (res, doc) =>
        unencryptedDevices(
          get(res.body, 'LaunchTemplateData', 'BlockDeviceMappings'),
          doc,
          res,
          'Launch template',
        ),
    },
    terraform: tf(['aws_launch_template'], (res, doc) => {
      // `block_device_mappings { device_name ebs { encrypted } }`; `encrypted` is a string there.
      const hits: Hit[] = [];
      for (const mapping of mapItems(get(res.body, 'block_device_mappings'), doc)) {
        const device = toStr(get(mapping, 'device_name')) ?? 'a block device';
        for (const ebs of mapItems(get(mapping, 'ebs'), doc)) {
          const encrypted = get(ebs, 'encrypted');
          if (mayBeOff(encrypted, doc)) {
            hits.push(
              hit(
                encrypted?.pos ?? ebs.pos,
                `Launch template ${res.name}: EBS volume ${device} is not encrypted: set ebs { encrypted = true }.`,
              ),
            );
          }
        }
      }
      return uniqueHits(hits);
    }),
  },
);

export const launchConfigurationEbsUnencrypted = resourceRule(
  {
    id: 'launch-configuration-ebs-unencrypted',
    title: 'Launch configuration block device is not encrypted',
    severity: 'high',
    description:
      'Every instance an Auto Scaling group launches from this configuration gets an unencrypted EBS volume: its data, snapshots and AMIs are stored in clear text.',
    fix: 'Set `Encrypted: true` on every `BlockDeviceMappings[].Ebs` of the `AWS::AutoScaling::LaunchConfiguration` (CloudFormation) or `encrypted = true` in every `root_block_device` / `ebs_block_device` of `aws_launch_configuration` (Terraform); better, move to a launch template.',
    refs: { checkov: ['CKV_AWS_8'], kics: ['4de9de27-254e-424f-bd70-4c1e95790838'] },
  },
  {
    cloudformation: {
      types: ['AWS::AutoScaling::LaunchConfiguration'],
      check: (res, doc) =>
        unencryptedDevices(get(res.body, 'BlockDeviceMappings'), doc, res, 'Launch configuration'),
    },
    terraform: tf(['aws_launch_configuration'], (res, doc) =>
      unencryptedTfDevices(res, doc, 'Launch configuration'),
    ),
  },
);

export const EBS_RULES = [
  ebsVolumeUnencrypted,
  instanceEbsUnencrypted,
  launchTemplateEbsUnencrypted,
  launchConfigurationEbsUnencrypted,
];

/**
 * Packer rules: the template that bakes the image. They read `source` blocks (HCL2) and
 * `builders` (legacy JSON) alike, as resources of the builder's type (`amazon-ebs`, `docker`, …),
 * and `variable` declarations for committed credentials. A hit points at the attribute, or at the
 * source's header when the attribute that would make it safe is missing.
 */
import { imageRef } from '../parse/dockerfile.js';
import { entry, get, headerPos, isMap, mayBeOff, mayBeBool, possible, toStr, UNKNOWN } from '../model.js';
import type { Doc, Hit, Node, Resource, Rule } from '../types.js';
import { alwaysEquals, mapItems, stringsAt, uniqueHits } from './aws-helpers.js';
import { defineRule, hit, resourceRule, type CheckResult, type RuleMeta } from './define.js';
import { isLiteralSecret, isSecretName } from './dockerfile.js';

/** Builders that register an AMI. */
const AMI_BUILDERS = ['amazon-ebs', 'amazon-ebssurrogate', 'amazon-instance'] as const;
/** Builders that launch an EC2 instance to build on. */
const INSTANCE_BUILDERS = [...AMI_BUILDERS, 'amazon-ebsvolume'] as const;

function packerRule(
  meta: RuleMeta,
  types: readonly string[],
  check: (res: Resource, doc: Doc) => CheckResult,
): Rule {
  return resourceRule(meta, { packer: { types, check } });
}

function what(res: Resource): string {
  return `Source ${res.type}.${res.name}`;
}

export const packerEncryptBootOff = packerRule(
  {
    id: 'packer-encrypt-boot-off',
    title: 'Packer AMI is not encrypted',
    severity: 'high',
    description:
      'Without `encrypt_boot = true` the AMI keeps the encryption of its source AMI, which for most public base images is none: every instance launched from it, and every snapshot of it, stores the golden image in clear text.',
    fix: 'Set `encrypt_boot = true` (and `kms_key_id`, with `region_kms_key_ids` for `ami_regions` copies) on the source, or encrypt the AMI when it is distributed.',
  },
  ['amazon-ebs', 'amazon-ebssurrogate'],
  (res, doc) => {
    const node = get(res.body, 'encrypt_boot');
    if (mayBeOff(node, doc)) {
      return hit(
        node?.pos ?? headerPos(res),
        `${what(res)} does not encrypt the AMI: set encrypt_boot = true.`,
      );
    }
  },
);

export const packerAmiPublic = packerRule(
  {
    id: 'packer-ami-public',
    title: 'Packer shares the AMI with everyone',
    severity: 'critical',
    description:
      '`ami_groups = ["all"]` (or `snapshot_groups = ["all"]`) makes the image, and whatever was baked into it, public to every AWS account.',
    fix: 'Remove "all" from `ami_groups` / `snapshot_groups`; share with `ami_users`, `ami_org_arns` or `ami_ou_arns` instead.',
  },
  [...INSTANCE_BUILDERS],
  (res, doc) =>
    ['ami_groups', 'snapshot_groups'].flatMap((key) =>
      stringsAt(get(res.body, key), doc)
        .filter((v) => v.value.toLowerCase() === 'all')
        .map((v) =>
          hit(
            v.pos,
            `${what(res)} makes the ${key === 'ami_groups' ? 'AMI' : 'snapshots'} public: ${key} includes "all".`,
          ),
        ),
    ),
);

export const packerBuildInstanceImdsv1 = packerRule(
  {
    id: 'packer-build-instance-imdsv1',
    title: 'Packer build instance allows IMDSv1',
    severity: 'medium',
    description:
      'The instance Packer builds on answers IMDSv1 requests, so any provisioner step or downloaded script that can be tricked into a request (SSRF) can read the build role’s credentials.',
    fix: 'Add `metadata_options { http_endpoint = "enabled" http_tokens = "required" }` to the source.',
  },
  [...INSTANCE_BUILDERS],
  (res, doc) => {
    const options = entry(res.body, 'metadata_options');
    const meta = options?.value;
    if (!meta)
      return hit(
        headerPos(res),
        `${what(res)} allows IMDSv1 on the build instance: set metadata_options { http_tokens = "required" }.`,
      );
    if (!isMap(meta)) return undefined;
    const endpoint = get(meta, 'http_endpoint');
    if (alwaysEquals(endpoint, doc, 'disabled')) return undefined;
    const tokens = get(meta, 'http_tokens');
    const optional = possible(tokens, doc).some(
      (p) => p === undefined || (p !== UNKNOWN && toStr(p) !== 'required'),
    );
    if (optional) {
      return hit(
        tokens?.pos ?? options.keyPos,
        `${what(res)} allows IMDSv1 on the build instance: set http_tokens = "required".`,
      );
    }
  },
);

export const packerAmiImdsv1 = packerRule(
  {
    id: 'packer-ami-imdsv1',
    title: 'Instances launched from the Packer AMI allow IMDSv1',
    severity: 'medium',
    description:
      'Unless the AMI is registered with `imds_support = "v2.0"`, every instance launched from it accepts IMDSv1 by default unless its launcher remembers to require tokens: a golden image should be safe by default.',
    fix: 'Set `imds_support = "v2.0"` on the source (Packer 1.8.4 and later, amazon plugin 1.1.5 and later).',
  },
  [...AMI_BUILDERS],
  (res, doc) => {
    const node = get(res.body, 'imds_support');
    if (possible(node, doc).some((p) => p === undefined || (p !== UNKNOWN && toStr(p) !== 'v2.0'))) {
      return hit(
        node?.pos ?? headerPos(res),
        `${what(res)} registers an AMI that allows IMDSv1: set imds_support = "v2.0".`,
      );
    }
  },
);

const WORLD = new Set(['0.0.0.0/0', '::/0']);

export const packerTemporarySgOpen = packerRule(
  {
    id: 'packer-temporary-sg-open',
    title: 'Packer opens the build instance to the whole internet',
    severity: 'high',
    description:
      'When no security group is given, Packer creates one that lets `temporary_security_group_source_cidrs` reach the SSH or WinRM port, and that list defaults to 0.0.0.0/0: the build instance, often with a password or a fresh key, is open to every scanner on the internet while it builds.',
    fix: 'Set `temporary_security_group_source_public_ip = true` (only the runner’s address), narrow `temporary_security_group_source_cidrs`, pass your own `security_group_id(s)`, or connect with `ssh_interface = "session_manager"`.',
  },
  [...INSTANCE_BUILDERS],
  (res, doc) => {
    const body = res.body;
    for (const key of ['security_group_id', 'security_group_ids', 'security_group_filter']) {
      if (entry(body, key)) return undefined;
    }
    if (alwaysEquals(get(body, 'communicator'), doc, 'none')) return undefined;
    if (alwaysEquals(get(body, 'ssh_interface'), doc, 'session_manager')) return undefined;
    if (mayBeBool(get(body, 'temporary_security_group_source_public_ip'), doc, true)) return undefined;
    const cidrs = get(body, 'temporary_security_group_source_cidrs');
    if (!cidrs) {
      return hit(
        headerPos(res),
        `${what(res)} lets 0.0.0.0/0 reach the build instance (the default of temporary_security_group_source_cidrs).`,
      );
    }
    return stringsAt(cidrs, doc)
      .filter((v) => WORLD.has(v.value.trim()))
      .map((v) => hit(v.pos, `${what(res)} lets ${v.value} reach the build instance.`));
  },
);

/** Builder settings that hold a credential. */
const CREDENTIAL_KEYS = new Set([
  'access_key',
  'secret_key',
  'token',
  'ssh_password',
  'ssh_private_key',
  'winrm_password',
  'login_password',
  'vault_token',
]);

function literalAt(node: Node | undefined, doc: Doc): Array<{ value: string; pos: Hit['pos'] }> {
  return possible(node, doc).flatMap((p) =>
    p !== UNKNOWN &&
    p !== undefined &&
    p.kind === 'scalar' &&
    typeof p.value === 'string' &&
    isLiteralSecret(p.value)
      ? [{ value: p.value, pos: p.pos }]
      : [],
  );
}

export const packerCredentialsInTemplate = defineRule({
  id: 'packer-credentials-in-template',
  title: 'Packer template holds a credential',
  severity: 'critical',
  description:
    'An access key, token or password written in the template (in a builder setting or as a variable’s default) is in the repository’s history for good, and in every log that prints the template.',
  fix: 'Remove the value and rotate it. Let the builder use the runner’s AWS credentials (OIDC), and pass passwords as variables with no default, marked `sensitive = true`, from the CI secret store (`-var` or `PKR_VAR_name`).',
  formats: ['packer'],
  check(doc: Doc): Hit[] {
    const hits: Hit[] = [];
    for (const res of doc.resources) {
      if (res.block === 'variable') {
        if (!isSecretName(res.name)) continue;
        const def = get(res.body, 'default');
        // A legacy default points at the variable itself: the value is what matters.
        for (const v of literalAt(def, doc)) {
          hits.push({
            pos: v.pos,
            message: `Variable ${res.name} has a credential as its default value.`,
            resource: res,
          });
        }
        continue;
      }
      for (const e of res.body.entries) {
        if (!CREDENTIAL_KEYS.has(e.key)) continue;
        // Only a value written here: one that comes from a variable is reported on the variable.
        if (e.value.kind !== 'scalar') continue;
        for (const v of literalAt(e.value, doc)) {
          hits.push({ pos: v.pos, message: `${what(res)} has a literal ${e.key}.`, resource: res });
        }
      }
    }
    return uniqueHits(hits);
  },
});

export const packerDockerPrivileged = packerRule(
  {
    id: 'packer-docker-privileged',
    title: 'Packer runs the Docker build container privileged',
    severity: 'high',
    description:
      'A privileged build container has every capability and the host’s devices: a provisioner step, or anything it downloads, can take over the runner that builds the image.',
    fix: 'Remove `privileged = true`; grant the one capability the build needs with `run_command` options instead.',
  },
  ['docker'],
  (res, doc) => {
    const node = get(res.body, 'privileged');
    if (mayBeBool(node, doc, true))
      return hit(node!.pos, `${what(res)} runs the build container privileged.`);
  },
);

export const packerDockerImageLatest = packerRule(
  {
    id: 'packer-docker-image-latest',
    title: 'Packer Docker base image is not pinned',
    severity: 'medium',
    description:
      'An `image` with no tag or `latest` changes under the build: two builds of the same commit bake different images, and a compromised upstream tag flows straight into the golden image.',
    fix: 'Pin `image` to a version tag, better to a digest (`ubuntu:24.04@sha256:…`).',
  },
  ['docker'],
  (res, doc) =>
    stringsAt(get(res.body, 'image'), doc).flatMap((v) => {
      const ref = imageRef(v.value.trim());
      if (ref.digest || (ref.tag !== undefined && ref.tag !== 'latest')) return [];
      return [
        hit(
          v.pos,
          `${what(res)} builds on ${v.value} (${ref.tag ? 'latest' : 'no tag'}): pin a version or digest.`,
        ),
      ];
    }),
);

export const packerBlockDeviceUnencrypted = packerRule(
  {
    id: 'packer-block-device-unencrypted',
    title: 'Packer block device is not encrypted',
    severity: 'high',
    description:
      'A block device mapping with `encrypted = false` (or an `amazon-ebsvolume` volume without `encrypted = true`) produces an unencrypted volume, and an unencrypted snapshot in the AMI.',
    fix: 'Set `encrypted = true` (and `kms_key_id`) in every `launch_block_device_mappings`, `ami_block_device_mappings` and `ebs_volumes` entry.',
  },
  [...INSTANCE_BUILDERS],
  (res, doc) => {
    const hits: Hit[] = [];
    for (const key of ['launch_block_device_mappings', 'ami_block_device_mappings', 'ebs_volumes']) {
      for (const mapping of mapItems(get(res.body, key), doc)) {
        const enc = get(mapping, 'encrypted');
        const device = toStr(get(mapping, 'device_name')) ?? 'a device';
        const missingCounts = key === 'ebs_volumes';
        const off = missingCounts ? mayBeOff(enc, doc) : mayBeBool(enc, doc, false);
        if (off) hits.push(hit(enc?.pos ?? mapping.pos, `${what(res)}: ${key} ${device} is not encrypted.`));
      }
    }
    return uniqueHits(hits);
  },
);

export const PACKER_RULES: readonly Rule[] = [
  packerEncryptBootOff,
  packerAmiPublic,
  packerBuildInstanceImdsv1,
  packerAmiImdsv1,
  packerTemporarySgOpen,
  packerCredentialsInTemplate,
  packerDockerPrivileged,
  packerDockerImageLatest,
  packerBlockDeviceUnencrypted,
];

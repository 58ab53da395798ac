/** EC2 instances, launch templates and launch configurations: the metadata service and public IPs. */
import { entry, get, mayBeBool, possible, toStr, UNKNOWN } from '../../model.js';
import type { Doc, Hit, MapNode, Node, Resource } from '../../types.js';
import { known, mapItems, uniqueHits } from '../aws-helpers.js';
import { tf } from '../aws-terraform.js';
import { hit, resourceRule } from '../define.js';

/** The names of the metadata options in each format, and how to say the fix in it. */
interface MetadataKeys {
  endpoint: string;
  tokens: string;
  /** The fix when the options are missing, and when the tokens setting is wrong. */
  fixBlock: string;
  fixTokens: string;
}

const CFN_METADATA: MetadataKeys = {
  endpoint: 'HttpEndpoint',
  tokens: 'HttpTokens',
  fixBlock: 'MetadataOptions.HttpTokens: required',
  fixTokens: 'HttpTokens: required',
};
const TF_METADATA: MetadataKeys = {
  endpoint: 'http_endpoint',
  tokens: 'http_tokens',
  fixBlock: 'metadata_options { http_tokens = "required" }',
  fixTokens: 'http_tokens = "required"',
};

/**
 * Where IMDSv1 may stay on in a metadata options block (`MetadataOptions`, `metadata_options`):
 * the tokens setting absent or `optional`, unless the endpoint is `disabled` (no metadata service
 * at all). Absent options are reported at `at`, since the AMI's or account's default then
 * decides, which the template does not show.
 */
function imdsv1(
  options: Node | undefined,
  doc: Doc,
  at: Node | Resource,
  label: string,
  keys: MetadataKeys = CFN_METADATA,
): Hit[] {
  const hits: Hit[] = [];
  for (const o of possible(options, doc)) {
    if (o === UNKNOWN) continue;
    if (o === undefined) {
      hits.push(hit(at.pos, `${label} allows IMDSv1: set ${keys.fixBlock}.`));
      continue;
    }
    if (o.kind !== 'map') continue;
    const endpoint = get(o, keys.endpoint);
    if (possible(endpoint, doc).every((e) => e !== UNKNOWN && e !== undefined && toStr(e) === 'disabled')) {
      continue;
    }
    const tokens = get(o, keys.tokens);
    for (const t of possible(tokens, doc)) {
      if (t === UNKNOWN) continue;
      if (t === undefined || toStr(t) !== 'required') {
        hits.push(
          hit(
            tokens?.pos ?? o.pos,
            `${label} allows IMDSv1 (${keys.tokens} ${t === undefined ? 'not set' : toStr(t)}): set ${keys.fixTokens}.`,
          ),
        );
      }
    }
  }
  return uniqueHits(hits);
}

const IMDS_DESCRIPTION =
  'IMDSv1 answers any HTTP GET to 169.254.169.254, so a server-side request forgery or an open proxy on the instance hands out the credentials of its instance role. IMDSv2 requires a session token obtained with a PUT, which such requests cannot make.';

export const launchTemplateImdsv1 = resourceRule(
  {
    id: 'launch-template-imdsv1',
    title: 'Launch template or launch configuration allows IMDSv1',
    severity: 'high',
    description: `Instances launched from it accept instance metadata requests without a session token. ${IMDS_DESCRIPTION}`,
    fix: 'Set `MetadataOptions: {HttpTokens: required}` in `LaunchTemplateData` (or on the `AWS::AutoScaling::LaunchConfiguration`) in CloudFormation, or `metadata_options { http_tokens = "required" }` on `aws_launch_template` / `aws_launch_configuration` in Terraform.',
    refs: { checkov: ['CKV_AWS_79'] },
  },
  {
    cloudformation: [
      {
        types: ['AWS::EC2::LaunchTemplate'],
        check(res, doc) {
          const hits: Hit[] = [];
          for (const data of known(get(res.body, 'LaunchTemplateData'), doc)) {
            hits.push(...imdsv1(get(data, 'MetadataOptions'), doc, res, `Launch template ${res.name}`));
          }
          return uniqueHits(hits);
        },
      },
      {
        types: ['AWS::AutoScaling::LaunchConfiguration'],
        check: (res, doc) =>
          imdsv1(get(res.body, 'MetadataOptions'), doc, res, `Launch configuration ${res.name}`),
      },
    ],
    terraform: tf(['aws_launch_template', 'aws_launch_configuration'], (res, doc) => {
      const kind = res.type === 'aws_launch_template' ? 'Launch template' : 'Launch configuration';
      return imdsv1(get(res.body, 'metadata_options'), doc, res, `${kind} ${res.name}`, TF_METADATA);
    }),
  },
);

export const instanceImdsv1 = resourceRule(
  {
    id: 'instance-imdsv1',
    title: 'EC2 instance allows IMDSv1',
    severity: 'high',
    description: `The instance accepts instance metadata requests without a session token. ${IMDS_DESCRIPTION}`,
    fix: 'Set `MetadataOptions: {HttpTokens: required}` on the `AWS::EC2::Instance` (or launch it from a launch template that requires IMDSv2) in CloudFormation, or `metadata_options { http_tokens = "required" }` on `aws_instance` in Terraform.',
    refs: { checkov: ['CKV_AWS_79'], kics: ['c306ac53-ee5b-41d3-86a9-0fd2722b4e67'] },
  },
  {
    cloudformation: {
      types: ['AWS::EC2::Instance'],
      check(res, doc) {
        const options = get(res.body, 'MetadataOptions');
        // Without options of its own, an instance launched from a template takes the template's.
        if (options === undefined && entry(res.body, 'LaunchTemplate')) return;
        return imdsv1(options, doc, res, `Instance ${res.name}`);
      },
    },
    terraform: tf(['aws_instance'], (res, doc) => {
      const options = get(res.body, 'metadata_options');
      if (options === undefined && entry(res.body, 'launch_template')) return;
      return imdsv1(options, doc, res, `Instance ${res.name}`, TF_METADATA);
    }),
  },
);

/** A public IP address switched on (explicitly: without it, the subnet's setting decides). */
function publicIp(holder: Node | undefined, doc: Doc, key: string, message: string): Hit | undefined {
  const assoc = get(holder, key);
  return assoc && mayBeBool(assoc, doc, true) ? hit(assoc.pos, message) : undefined;
}

function publicInterfaces(
  interfaces: Node | undefined,
  doc: Doc,
  label: string,
  key = 'AssociatePublicIpAddress',
): Hit[] {
  const setting = key === 'AssociatePublicIpAddress' ? 'AssociatePublicIpAddress: false' : `${key} = false`;
  return uniqueHits(
    mapItems(interfaces, doc).map((ni: MapNode) =>
      publicIp(ni, doc, key, `${label} gets a public IP address: set ${setting}.`),
    ),
  );
}

export const instancePublicIp = resourceRule(
  {
    id: 'instance-public-ip',
    title: 'EC2 instance gets a public IP address',
    severity: 'medium',
    description:
      'An instance with a public IP address is reachable from the internet as far as its security groups allow: one permissive rule exposes it. Instances behind a load balancer, NAT or Session Manager need no public address.',
    fix: 'Set `AssociatePublicIpAddress: false` on the network interfaces of `AWS::EC2::Instance` and `AWS::EC2::LaunchTemplate` and on `AWS::AutoScaling::LaunchConfiguration` (CloudFormation), or `associate_public_ip_address = false` on `aws_instance`, the `network_interfaces` of `aws_launch_template` and `aws_launch_configuration` (Terraform), and reach the instance through a load balancer or Session Manager.',
    refs: { checkov: ['CKV_AWS_88'], kics: ['5a2486aa-facf-477d-a5c1-b010789459ce'] },
  },
  {
    cloudformation: [
      {
        types: ['AWS::EC2::Instance'],
        check: (res, doc) =>
          publicInterfaces(get(res.body, 'NetworkInterfaces'), doc, `Instance ${res.name}`),
      },
      {
        types: ['AWS::EC2::LaunchTemplate'],
        check: (res, doc) =>
          uniqueHits(
            known(get(res.body, 'LaunchTemplateData'), doc).flatMap((data) =>
              publicInterfaces(get(data, 'NetworkInterfaces'), doc, `Launch template ${res.name}`),
            ),
          ),
      },
      {
        types: ['AWS::AutoScaling::LaunchConfiguration'],
        check: (res, doc) =>
          publicIp(
            res.body,
            doc,
            'AssociatePublicIpAddress',
            `Launch configuration ${res.name} gives instances a public IP address: set AssociatePublicIpAddress: false.`,
          ),
      },
    ],
    terraform: [
      tf(['aws_instance'], (res, doc) =>
        publicIp(
          res.body,
          doc,
          'associate_public_ip_address',
          `Instance ${res.name} gets a public IP address: set associate_public_ip_address = false.`,
        ),
      ),
      tf(['aws_launch_template'], (res, doc) =>
        publicInterfaces(
          get(res.body, 'network_interfaces'),
          doc,
          `Launch template ${res.name}`,
          'associate_public_ip_address',
        ),
      ),
      tf(['aws_launch_configuration'], (res, doc) =>
        publicIp(
          res.body,
          doc,
          'associate_public_ip_address',
          `Launch configuration ${res.name} gives instances a public IP address: set associate_public_ip_address = false.`,
        ),
      ),
    ],
  },
);

export const EC2_RULES = [launchTemplateImdsv1, instanceImdsv1, instancePublicIp];

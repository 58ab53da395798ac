/**
 * Security groups: ingress open to the whole internet on administrative ports or on everything,
 * and rules without a description. Rules are read inline (`SecurityGroupIngress` of
 * `AWS::EC2::SecurityGroup`, `ingress` blocks of `aws_security_group`) and standalone
 * (`AWS::EC2::SecurityGroupIngress`, `aws_security_group_rule` of type `ingress`,
 * `aws_vpc_security_group_ingress_rule`); one analysis of ports and sources serves every shape,
 * through the names each gives its fields.
 */
import { get, possible, toNumber, toStr, UNKNOWN } from '../../model.js';
import type { Doc, Hit, MapNode, Node, Pos, Resource } from '../../types.js';
import { mapItems, mayEqual, stringsAt, uniqueHits } from '../aws-helpers.js';
import { tf } from '../aws-terraform.js';
import { hit, resourceRule, type ResourceCheck } from '../define.js';

type Protocol = 'all' | 'tcp' | 'udp' | 'other';

function protocolOf(value: string): Protocol {
  const v = value.trim().toLowerCase();
  if (v === '-1' || v === 'all') return 'all';
  if (v === 'tcp' || v === '6') return 'tcp';
  if (v === 'udp' || v === '17') return 'udp';
  return 'other';
}

/** The ports a value may be: `-1` stands for every port, as it does for protocol `-1`. */
function ports(node: Node | undefined, doc: Doc, missing: number): number[] {
  const out: number[] = [];
  for (const p of possible(node, doc)) {
    if (p === UNKNOWN) continue;
    if (p === undefined) {
      out.push(missing);
      continue;
    }
    const n = toNumber(p);
    if (n !== undefined) out.push(n === -1 ? missing : n);
  }
  return out;
}

/** A port range an ingress rule may open: `[from, to]` inclusive. */
type Range = [number, number];

/** The names an ingress rule gives its protocol, ports and sources. */
interface RuleKeys {
  protocol: string;
  from: string;
  to: string;
  /** Source CIDRs: a string or a list of them each. */
  cidrs: readonly string[];
}

const CFN_RULE: RuleKeys = {
  protocol: 'IpProtocol',
  from: 'FromPort',
  to: 'ToPort',
  cidrs: ['CidrIp', 'CidrIpv6'],
};
/** `ingress` blocks of `aws_security_group` and `aws_security_group_rule`. */
const TF_RULE: RuleKeys = {
  protocol: 'protocol',
  from: 'from_port',
  to: 'to_port',
  cidrs: ['cidr_blocks', 'ipv6_cidr_blocks'],
};
/** `aws_vpc_security_group_ingress_rule`. */
const TF_VPC_RULE: RuleKeys = {
  protocol: 'ip_protocol',
  from: 'from_port',
  to: 'to_port',
  cidrs: ['cidr_ipv4', 'cidr_ipv6'],
};

/**
 * The port ranges an ingress rule may open, over every protocol, from-port and to-port it may
 * have. Protocol `-1` (or `all`) opens every port of every protocol; ICMP and other protocols open
 * no port. A TCP/UDP rule whose ports cannot be known opens nothing we can name.
 */
function openRanges(rule: MapNode, doc: Doc, keys: RuleKeys): { ranges: Range[]; allProtocols: boolean } {
  const ranges: Range[] = [];
  let allProtocols = false;
  const from = ports(get(rule, keys.from), doc, 0);
  const to = ports(get(rule, keys.to), doc, 65535);
  for (const proto of stringsAt(get(rule, keys.protocol), doc)) {
    const kind = protocolOf(proto.value);
    if (kind === 'all') {
      allProtocols = true;
      ranges.push([0, 65535]);
    } else if (kind === 'tcp' || kind === 'udp') {
      for (const f of from) for (const t of to) if (f <= t) ranges.push([f, t]);
    }
  }
  return { ranges, allProtocols };
}

interface WorldSource {
  cidr: string;
  pos: Pos;
}

/** Source CIDRs (single or lists) that may be the whole internet (any `/0` prefix). */
function worldSources(rule: MapNode, doc: Doc, keys: RuleKeys): WorldSource[] {
  const out: WorldSource[] = [];
  for (const key of keys.cidrs) {
    for (const s of stringsAt(get(rule, key), doc)) {
      if (/\/0+$/.test(s.value.trim())) out.push({ cidr: s.value.trim(), pos: s.pos });
    }
  }
  return out;
}

/** The ingress rules of a resource, with the names their fields have. */
function ingressRules(res: Resource, doc: Doc): Array<{ rule: MapNode; keys: RuleKeys }> {
  switch (res.type) {
    case 'AWS::EC2::SecurityGroupIngress':
      return [{ rule: res.body, keys: CFN_RULE }];
    case 'AWS::EC2::SecurityGroup':
      return mapItems(get(res.body, 'SecurityGroupIngress'), doc).map((rule) => ({ rule, keys: CFN_RULE }));
    case 'aws_security_group':
      return mapItems(get(res.body, 'ingress'), doc).map((rule) => ({ rule, keys: TF_RULE }));
    case 'aws_security_group_rule':
      // Only a rule that may be an ingress one (a type that cannot be known is not guessed).
      return mayEqual(get(res.body, 'type'), doc, 'ingress') ? [{ rule: res.body, keys: TF_RULE }] : [];
    case 'aws_vpc_security_group_ingress_rule':
      return [{ rule: res.body, keys: TF_VPC_RULE }];
    default:
      return [];
  }
}

const SG_TYPES = ['AWS::EC2::SecurityGroup', 'AWS::EC2::SecurityGroupIngress'];
const TF_SG_TYPES = ['aws_security_group', 'aws_security_group_rule', 'aws_vpc_security_group_ingress_rule'];

function groupLabel(res: Resource): string {
  return res.type === 'AWS::EC2::SecurityGroup' || res.type === 'aws_security_group'
    ? `Security group ${res.name}`
    : `Ingress rule ${res.name}`;
}

type Report = (
  open: { ranges: Range[]; allProtocols: boolean },
  res: Resource,
  source: WorldSource,
) => string | undefined;

function worldIngressHits(res: Resource, doc: Doc, report: Report): Hit[] {
  const hits: Hit[] = [];
  for (const { rule, keys } of ingressRules(res, doc)) {
    const sources = worldSources(rule, doc, keys);
    if (sources.length === 0) continue;
    const open = openRanges(rule, doc, keys);
    for (const source of sources) {
      const message = report(open, res, source);
      if (message) hits.push(hit(source.pos, message));
    }
  }
  return uniqueHits(hits);
}

/**
 * Checks over every world-open ingress rule, for CloudFormation and Terraform: `report` names
 * what the rule opens (or nothing). The hit points at the source CIDR as written.
 */
function worldIngressChecks(report: Report): { cloudformation: ResourceCheck; terraform: ResourceCheck } {
  return {
    cloudformation: { types: SG_TYPES, check: (res, doc) => worldIngressHits(res, doc, report) },
    terraform: tf(TF_SG_TYPES, (res, doc) => worldIngressHits(res, doc, report)),
  };
}

function opensPort(ranges: Range[], port: number): boolean {
  return ranges.some(([f, t]) => f <= port && port <= t);
}

function portRule(
  id: string,
  port: number,
  service: string,
  kics: string[],
  checkov: string[],
  extra: string,
) {
  return resourceRule(
    {
      id,
      title: `Security group allows ${service} (port ${port}) from the internet`,
      severity: 'high',
      description: `Port ${port} (${service}) open to 0.0.0.0/0 or ::/0 exposes a login service to the whole internet: it is scanned within minutes and attacked with stolen or guessed credentials and any unpatched vulnerability. ${extra}`,
      fix: `Restrict the source (\`CidrIp\` / \`CidrIpv6\` in CloudFormation, \`cidr_blocks\` / \`ipv6_cidr_blocks\` of \`ingress\` blocks and \`aws_security_group_rule\`, \`cidr_ipv4\` / \`cidr_ipv6\` of \`aws_vpc_security_group_ingress_rule\` in Terraform) to known address ranges, or to a security group, or remove the rule and reach instances through AWS Systems Manager Session Manager.`,
      refs: { checkov, kics },
    },
    worldIngressChecks((open, res, source) =>
      opensPort(open.ranges, port)
        ? `${groupLabel(res)} allows ${service} (port ${port}) from ${source.cidr}: restrict the source to known addresses.`
        : undefined,
    ),
  );
}

export const sgSshOpen = portRule(
  'sg-ssh-open',
  22,
  'SSH',
  ['6e856af2-62d7-4ba2-adc1-73b62cef9cc1', '65905cec-d691-4320-b320-2000436cb696'],
  ['CKV_AWS_24'],
  'Use Session Manager or a bastion reachable from known addresses instead.',
);

export const sgRdpOpen = portRule(
  'sg-rdp-open',
  3389,
  'RDP',
  ['3ae83918-7ec7-4cb8-80db-b91ef0f94002', '151187cb-0efc-481c-babd-ad24e3c9bc22'],
  ['CKV_AWS_25'],
  'RDP in particular has a long history of pre-authentication vulnerabilities.',
);

/** Administrative, remote-access and database ports that should never face the internet. */
export const ADMIN_PORTS: ReadonlyMap<number, string> = new Map([
  [20, 'FTP data'],
  [21, 'FTP'],
  [23, 'Telnet'],
  [69, 'TFTP'],
  [111, 'RPC portmapper'],
  [135, 'MS RPC'],
  [137, 'NetBIOS name'],
  [138, 'NetBIOS datagram'],
  [139, 'NetBIOS session'],
  [445, 'SMB'],
  [1433, 'SQL Server'],
  [1434, 'SQL Server browser'],
  [1521, 'Oracle'],
  [2049, 'NFS'],
  [2375, 'Docker API'],
  [2376, 'Docker API (TLS)'],
  [2379, 'etcd'],
  [2380, 'etcd peer'],
  [3306, 'MySQL'],
  [5432, 'PostgreSQL'],
  [5601, 'Kibana'],
  [5900, 'VNC'],
  [5985, 'WinRM'],
  [5986, 'WinRM (HTTPS)'],
  [6379, 'Redis'],
  [6443, 'Kubernetes API'],
  [7001, 'WebLogic'],
  [8020, 'HDFS NameNode'],
  [9042, 'Cassandra'],
  [9092, 'Kafka'],
  [9200, 'Elasticsearch'],
  [9300, 'Elasticsearch transport'],
  [10250, 'Kubelet'],
  [11211, 'Memcached'],
  [27017, 'MongoDB'],
  [27018, 'MongoDB shard'],
  [50070, 'HDFS web UI'],
]);

export const sgAdminPortOpen = resourceRule(
  {
    id: 'sg-admin-port-open',
    title: 'Security group exposes administrative or database ports to the internet',
    severity: 'high',
    description: `Remote-administration, file-sharing and database ports (${[...ADMIN_PORTS.keys()].join(', ')}) open to 0.0.0.0/0 or ::/0 put services built for trusted networks in front of the whole internet, where they are scanned, brute-forced and exploited (ransomed databases, exposed Docker and Kubelet APIs).`,
    fix: 'Restrict the source (`CidrIp` / `CidrIpv6` in CloudFormation, `cidr_blocks` / `ipv6_cidr_blocks` of `ingress` blocks and `aws_security_group_rule`, `cidr_ipv4` / `cidr_ipv6` of `aws_vpc_security_group_ingress_rule` in Terraform) to the application tier security group or known address ranges, and narrow `FromPort`..`ToPort` to the ports the service needs.',
    refs: {
      kics: [
        'cdbb0467-2957-4a77-9992-7b55b29df7b7',
        '494b03d3-bf40-4464-8524-7c56ad0700ed',
        '381c3f2a-ef6f-4eff-99f7-b169cda3422c',
      ],
    },
  },
  worldIngressChecks((open, res, source) => {
    const exposed = [...ADMIN_PORTS].filter(([port]) => opensPort(open.ranges, port));
    if (exposed.length === 0) return undefined;
    const list = exposed.map(([port, name]) => `${port} (${name})`).join(', ');
    return `${groupLabel(res)} exposes ${list} to ${source.cidr}: restrict the source and the port range.`;
  }),
);

export const sgAllTrafficOpen = resourceRule(
  {
    id: 'sg-all-traffic-open',
    title: 'Security group allows all traffic from the internet',
    severity: 'critical',
    description:
      'An ingress rule for every protocol (`-1`) or every port (0-65535) from 0.0.0.0/0 or ::/0 removes the firewall: every service listening on the instance, including ones started later or by mistake, faces the whole internet.',
    fix: 'Replace the rule with rules for the protocols and ports the service needs (`IpProtocol: tcp` with `FromPort`/`ToPort` in CloudFormation, `protocol = "tcp"` (`ip_protocol` on `aws_vpc_security_group_ingress_rule`) with `from_port`/`to_port` in Terraform), from known sources only.',
    refs: { checkov: ['CKV_AWS_277'], kics: ['adcd0082-e90b-4b63-862b-21899f6e6a48'] },
  },
  worldIngressChecks((open, res, source) => {
    const everyPort = open.allProtocols || open.ranges.some(([f, t]) => f <= 1 && t >= 65535);
    return everyPort
      ? `${groupLabel(res)} allows ${open.allProtocols ? 'all protocols' : 'every port'} from ${source.cidr}: allow only the ports the service needs.`
      : undefined;
  }),
);

/** A rule's description is missing when it may be absent or empty. */
function missingDescription(rule: MapNode, doc: Doc, key = 'Description'): boolean {
  return possible(get(rule, key), doc).some(
    (d) => d === undefined || (d !== UNKNOWN && (toStr(d) ?? '').trim() === ''),
  );
}

/** The inline rules of a group without a description: `[ingress key, egress key]` per format. */
function undescribedInline(res: Resource, doc: Doc, keys: [string, string], description: string): Hit[] {
  const hits: Hit[] = [];
  keys.forEach((key, i) => {
    const direction = i === 0 ? 'ingress' : 'egress';
    for (const rule of mapItems(get(res.body, key), doc)) {
      if (missingDescription(rule, doc, description)) {
        hits.push(
          hit(
            rule.pos,
            `Security group ${res.name} has an ${direction} rule without a description: add ${description}.`,
          ),
        );
      }
    }
  });
  return uniqueHits(hits);
}

function undescribedRule(res: Resource, doc: Doc, description: string): Hit | undefined {
  return missingDescription(res.body, doc, description)
    ? hit(res.pos, `Security group rule ${res.name} has no description: add ${description}.`)
    : undefined;
}

export const sgRuleNoDescription = resourceRule(
  {
    id: 'sg-rule-no-description',
    title: 'Security group rule has no description',
    severity: 'low',
    description:
      'A rule without a description does not say why it exists or who owns it, so nobody dares remove it when it is no longer needed, and reviews cannot tell an intended opening from a mistake.',
    fix: 'Add a `Description` to every entry of `SecurityGroupIngress` / `SecurityGroupEgress` and to `AWS::EC2::SecurityGroupIngress` / `Egress` (CloudFormation), or `description` to every `ingress` / `egress` block and `aws_security_group_rule` / `aws_vpc_security_group_*_rule` (Terraform).',
    refs: {
      cfn_nag: ['W36'],
      checkov: ['CKV_AWS_23'],
      kics: ['5e6c9c68-8a82-408e-8749-ddad78cbb9c5', '68eb4bf3-f9bf-463d-b5cf-e029bb446d2e'],
    },
  },
  {
    cloudformation: [
      {
        types: ['AWS::EC2::SecurityGroup'],
        check: (res, doc) =>
          undescribedInline(res, doc, ['SecurityGroupIngress', 'SecurityGroupEgress'], 'Description'),
      },
      {
        types: ['AWS::EC2::SecurityGroupIngress', 'AWS::EC2::SecurityGroupEgress'],
        check: (res, doc) => undescribedRule(res, doc, 'Description'),
      },
    ],
    terraform: [
      tf(['aws_security_group'], (res, doc) =>
        undescribedInline(res, doc, ['ingress', 'egress'], 'description'),
      ),
      tf(
        [
          'aws_security_group_rule',
          'aws_vpc_security_group_ingress_rule',
          'aws_vpc_security_group_egress_rule',
        ],
        (res, doc) => undescribedRule(res, doc, 'description'),
      ),
    ],
  },
);

export const SECURITY_GROUP_RULES = [
  sgSshOpen,
  sgRdpOpen,
  sgAdminPortOpen,
  sgAllTrafficOpen,
  sgRuleNoDescription,
];

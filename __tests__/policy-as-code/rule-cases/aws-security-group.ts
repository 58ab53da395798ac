import type { RuleCase } from './types.js';
import { jsonTemplate, lineOf, resource, tf } from './aws-template.js';

/** A security group whose ingress rules are given as flow maps, one per line from line 15. */
const group = (...rules: string[]) =>
  resource(
    'AWS::EC2::SecurityGroup',
    `      GroupDescription: web
      SecurityGroupIngress:
${rules.map((r) => `        - ${r}\n`).join('')}`,
  );

const sgJson = jsonTemplate({
  Sg: {
    Type: 'AWS::EC2::SecurityGroup',
    Properties: {
      GroupDescription: 'db',
      SecurityGroupIngress: [
        { IpProtocol: 'tcp', FromPort: '3306', ToPort: '3306', CidrIp: '0.0.0.0/0', Description: 'mysql' },
      ],
    },
  },
});

const standalone = (props: string) =>
  resource('AWS::EC2::SecurityGroupIngress', `      GroupId: sg-123\n${props}`);

export const SECURITY_GROUP_CASES: RuleCase[] = [
  {
    rule: 'sg-ssh-open',
    name: 'port 22, a range over 22, IPv6, all protocols, a parameter default',
    file: 'sg.yaml',
    text: group(
      '{IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/0}',
      '{IpProtocol: tcp, FromPort: 0, ToPort: 1024, CidrIp: 10.0.0.0/8}',
      '{IpProtocol: "6", FromPort: "20", ToPort: "25", CidrIpv6: "::/0"}',
      '{IpProtocol: "-1", CidrIp: 0.0.0.0/0}',
      '{IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: !Ref World}',
      '{IpProtocol: udp, FromPort: 53, ToPort: 53, CidrIp: 0.0.0.0/0}',
    ),
    lines: [15, 17, 18, 19],
  },
  {
    rule: 'sg-ssh-open',
    name: 'standalone ingress rule, port through Fn::If',
    file: 'sg.yaml',
    text: standalone(
      '      IpProtocol: tcp\n      FromPort: !If [Prod, 443, 22]\n      ToPort: !If [Prod, 443, 22]\n      CidrIp: 0.0.0.0/0\n',
    ),
    lines: [17],
  },
  {
    rule: 'sg-ssh-open',
    name: 'SSH from a private range or an unknown source, other ports from the world',
    file: 'sg.yaml',
    text: group(
      '{IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 10.0.0.0/16}',
      '{IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: !Ref Free}',
      '{IpProtocol: tcp, FromPort: 22, ToPort: 22, SourceSecurityGroupId: sg-1}',
      '{IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 0.0.0.0/0}',
      '{IpProtocol: icmp, FromPort: -1, ToPort: -1, CidrIp: 0.0.0.0/0}',
    ),
    lines: [],
  },
  {
    rule: 'sg-rdp-open',
    name: 'port 3389 and a range over it',
    file: 'sg.yaml',
    text: group(
      '{IpProtocol: tcp, FromPort: 3389, ToPort: 3389, CidrIp: 0.0.0.0/0}',
      '{IpProtocol: tcp, FromPort: 3000, ToPort: 4000, CidrIpv6: ::/0}',
    ),
    lines: [15, 16],
  },
  {
    rule: 'sg-rdp-open',
    name: 'RDP from a private range',
    file: 'sg.yaml',
    text: group('{IpProtocol: tcp, FromPort: 3389, ToPort: 3389, CidrIp: 192.168.0.0/16}'),
    lines: [],
  },
  {
    rule: 'sg-admin-port-open',
    name: 'MySQL in JSON with string ports',
    file: 'sg.json',
    text: sgJson,
    lines: [lineOf(sgJson, '"CidrIp"')],
  },
  {
    rule: 'sg-admin-port-open',
    name: 'a range over several database ports, and Redis on IPv6',
    file: 'sg.yaml',
    text: group(
      '{IpProtocol: tcp, FromPort: 5000, ToPort: 6500, CidrIp: 0.0.0.0/0}',
      '{IpProtocol: tcp, FromPort: 6379, ToPort: 6379, CidrIpv6: "::/0"}',
      '{IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/0}',
    ),
    lines: [15, 16],
  },
  {
    rule: 'sg-admin-port-open',
    name: 'web ports open, databases private',
    file: 'sg.yaml',
    text: group(
      '{IpProtocol: tcp, FromPort: 80, ToPort: 80, CidrIp: 0.0.0.0/0}',
      '{IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIpv6: "::/0"}',
      '{IpProtocol: tcp, FromPort: 5432, ToPort: 5432, CidrIp: 10.0.0.0/8}',
    ),
    lines: [],
  },
  {
    rule: 'sg-all-traffic-open',
    name: 'protocol -1 (string and number) and 0-65535',
    file: 'sg.yaml',
    text: group(
      '{IpProtocol: "-1", CidrIp: 0.0.0.0/0}',
      '{IpProtocol: -1, CidrIpv6: "::/0"}',
      '{IpProtocol: tcp, FromPort: 0, ToPort: 65535, CidrIp: 0.0.0.0/0}',
      '{IpProtocol: tcp, FromPort: 1, ToPort: 1024, CidrIp: 0.0.0.0/0}',
    ),
    lines: [15, 16, 17],
  },
  {
    rule: 'sg-all-traffic-open',
    name: 'standalone rule with all protocols',
    file: 'sg.yaml',
    text: standalone('      IpProtocol: "-1"\n      CidrIp: !Ref World\n'),
    lines: [15],
  },
  {
    rule: 'sg-all-traffic-open',
    name: 'all traffic from a private range',
    file: 'sg.yaml',
    text: group(
      '{IpProtocol: "-1", CidrIp: 10.0.0.0/8}',
      '{IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 0.0.0.0/0}',
    ),
    lines: [],
  },
  {
    rule: 'sg-rule-no-description',
    name: 'an ingress and an egress rule without, one with an empty description',
    file: 'sg.yaml',
    text: resource(
      'AWS::EC2::SecurityGroup',
      `      GroupDescription: web
      SecurityGroupIngress:
        - {IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 0.0.0.0/0, Description: https}
        - {IpProtocol: tcp, FromPort: 80, ToPort: 80, CidrIp: 0.0.0.0/0}
      SecurityGroupEgress:
        - {IpProtocol: "-1", CidrIp: 0.0.0.0/0, Description: ""}
`,
      `  Rule:
    Type: AWS::EC2::SecurityGroupEgress
    Properties:
      GroupId: sg-1
      IpProtocol: "-1"
      CidrIp: 0.0.0.0/0
`,
    ),
    lines: [16, 18, 19],
  },
  {
    rule: 'sg-rule-no-description',
    name: 'every rule described',
    file: 'sg.yaml',
    text: standalone(
      '      IpProtocol: tcp\n      FromPort: 443\n      ToPort: 443\n      CidrIp: 0.0.0.0/0\n      Description: https\n',
    ),
    lines: [],
  },
  // Terraform
  {
    rule: 'sg-ssh-open',
    name: 'Terraform: ingress blocks (a list item, all protocols on IPv6), a rule over 20-25, a VPC rule',
    file: 'sg.tf',
    text: tf(`resource "aws_security_group" "web" {
  name = "web"
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["10.0.0.0/8", "0.0.0.0/0"]
  }
  ingress {
    from_port        = 0
    to_port          = 0
    protocol         = "-1"
    ipv6_cidr_blocks = ["::/0"]
  }
  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = [var.world]
  }
}
resource "aws_security_group_rule" "ssh" {
  type              = "ingress"
  from_port         = 20
  to_port           = 25
  protocol          = "6"
  cidr_blocks       = [var.world]
  security_group_id = aws_security_group.web.id
}
resource "aws_vpc_security_group_ingress_rule" "ssh" {
  security_group_id = aws_security_group.web.id
  ip_protocol       = "tcp"
  from_port         = 22
  to_port           = 22
  cidr_ipv4         = "0.0.0.0/0"
}
`),
    lines: [12, 18, 32, 40],
  },
  {
    rule: 'sg-ssh-open',
    name: 'Terraform: SSH from private or unknown sources, egress, other ports, a dynamic block',
    file: 'sg.tf',
    text: tf(`resource "aws_security_group" "web" {
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["10.0.0.0/16", var.free]
  }
  ingress {
    from_port       = 22
    to_port         = 22
    protocol        = "tcp"
    security_groups = [aws_security_group.bastion.id]
  }
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
  dynamic "ingress" {
    for_each = var.rules
    content {
      from_port   = ingress.value.port
      to_port     = ingress.value.port
      protocol    = "tcp"
      cidr_blocks = ["0.0.0.0/0"]
    }
  }
}
resource "aws_security_group_rule" "out" {
  type        = "egress"
  from_port   = 22
  to_port     = 22
  protocol    = "tcp"
  cidr_blocks = ["0.0.0.0/0"]
}
resource "aws_vpc_security_group_ingress_rule" "https" {
  ip_protocol = "tcp"
  from_port   = 443
  to_port     = 443
  cidr_ipv4   = "0.0.0.0/0"
}
resource "aws_vpc_security_group_egress_rule" "all" {
  ip_protocol = "-1"
  cidr_ipv4   = "0.0.0.0/0"
}
`),
    lines: [],
  },
  {
    rule: 'sg-rdp-open',
    name: 'Terraform: a range over 3389 on IPv6, a VPC rule',
    file: 'sg.tf',
    text: tf(`resource "aws_security_group" "win" {
  ingress {
    from_port        = 3000
    to_port          = 4000
    protocol         = "tcp"
    ipv6_cidr_blocks = ["::/0"]
  }
}
resource "aws_vpc_security_group_ingress_rule" "rdp" {
  ip_protocol = "tcp"
  from_port   = 3389
  to_port     = 3389
  cidr_ipv6   = "::/0"
}
`),
    lines: [11, 18],
  },
  {
    rule: 'sg-rdp-open',
    name: 'Terraform: RDP from a private range',
    file: 'sg.tf',
    text: tf(`resource "aws_security_group" "win" {
  ingress {
    from_port   = 3389
    to_port     = 3389
    protocol    = "tcp"
    cidr_blocks = ["192.168.0.0/16"]
  }
}
`),
    lines: [],
  },
  {
    rule: 'sg-admin-port-open',
    name: 'Terraform: a range over database ports, a rule that may be ingress',
    file: 'sg.tf',
    text: tf(`resource "aws_security_group" "db" {
  ingress {
    from_port   = 5000
    to_port     = 6500
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
resource "aws_security_group_rule" "mysql" {
  type        = var.open ? "ingress" : "egress"
  from_port   = "3306"
  to_port     = "3306"
  protocol    = "tcp"
  cidr_blocks = ["0.0.0.0/0"]
}
`),
    lines: [11, 19],
  },
  {
    rule: 'sg-admin-port-open',
    name: 'Terraform: web ports open, databases private',
    file: 'sg.tf',
    text: tf(`resource "aws_security_group" "web" {
  ingress {
    from_port   = 80
    to_port     = 80
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
  ingress {
    from_port   = 5432
    to_port     = 5432
    protocol    = "tcp"
    cidr_blocks = ["10.0.0.0/8"]
  }
}
`),
    lines: [],
  },
  {
    rule: 'sg-all-traffic-open',
    name: 'Terraform: protocol "-1" and "all", every TCP port, a VPC rule on IPv6',
    file: 'sg.tf',
    text: tf(`resource "aws_security_group" "open" {
  ingress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
  ingress {
    from_port   = 0
    to_port     = 0
    protocol    = "all"
    cidr_blocks = [var.world]
  }
  ingress {
    from_port   = 0
    to_port     = 65535
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
resource "aws_vpc_security_group_ingress_rule" "all" {
  ip_protocol = "-1"
  cidr_ipv6   = "::/0"
}
`),
    lines: [11, 17, 23, 28],
  },
  {
    rule: 'sg-all-traffic-open',
    name: 'Terraform: all traffic from a private range, HTTPS from the world',
    file: 'sg.tf',
    text: tf(`resource "aws_security_group" "web" {
  ingress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["10.0.0.0/8"]
  }
  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
`),
    lines: [],
  },
  {
    rule: 'sg-rule-no-description',
    name: 'Terraform: an ingress block without, an egress block with an empty one, standalone rules',
    file: 'sg.tf',
    text: tf(`resource "aws_security_group" "web" {
  description = "web tier"
  ingress {
    description = "https"
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
  ingress {
    from_port   = 80
    to_port     = 80
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
  egress {
    description = ""
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
resource "aws_security_group_rule" "r" {
  type      = "ingress"
  from_port = 22
  to_port   = 22
  protocol  = "tcp"
}
resource "aws_vpc_security_group_egress_rule" "e" {
  ip_protocol = "-1"
  cidr_ipv4   = "0.0.0.0/0"
}
`),
    lines: [15, 21, 29, 35],
  },
  {
    rule: 'sg-rule-no-description',
    name: 'Terraform: every rule described, one from a variable',
    file: 'sg.tf',
    text: tf(`resource "aws_security_group" "web" {
  ingress {
    description = "https"
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
resource "aws_vpc_security_group_ingress_rule" "r" {
  description = var.free
  ip_protocol = "tcp"
  from_port   = 443
  to_port     = 443
}
`),
    lines: [],
  },
];

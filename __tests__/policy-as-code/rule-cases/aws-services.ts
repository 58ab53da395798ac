/** Cases for the single-setting services: SNS, SQS, EFS, CloudWatch Logs, Image Builder, ELB. */
import type { RuleCase } from './types.js';
import { jsonTemplate, lineOf, resource, RESOURCE_LINE, tf, TF_LINE } from './aws-template.js';

const listener = (props: string) =>
  resource(
    'AWS::ElasticLoadBalancingV2::Listener',
    `      LoadBalancerArn: !Ref Alb\n      Port: 80\n${props}`,
  );

const distributionJson = jsonTemplate({
  Dist: {
    Type: 'AWS::ImageBuilder::DistributionConfiguration',
    Properties: {
      Name: 'public',
      Distributions: [
        {
          Region: 'eu-west-1',
          AmiDistributionConfiguration: { LaunchPermissionConfiguration: { UserGroups: ['all'] } },
        },
      ],
    },
  },
});

export const SERVICE_CASES: RuleCase[] = [
  {
    rule: 'sns-unencrypted',
    name: 'no KmsMasterKeyId',
    file: 'sns.yaml',
    text: resource('AWS::SNS::Topic', '      TopicName: alerts'),
    lines: [RESOURCE_LINE],
  },
  {
    rule: 'sns-unencrypted',
    name: 'a KMS key',
    file: 'sns.yaml',
    text: resource('AWS::SNS::Topic', '      KmsMasterKeyId: alias/aws/sns'),
    lines: [],
  },
  {
    rule: 'sqs-unencrypted',
    name: 'SQS-managed encryption switched off, "false" as a string',
    file: 'sqs.yaml',
    text: resource('AWS::SQS::Queue', '      SqsManagedSseEnabled: "false"'),
    lines: [13],
  },
  {
    rule: 'sqs-unencrypted',
    name: 'default SSE-SQS, or a KMS key',
    file: 'sqs.yaml',
    text: resource(
      'AWS::SQS::Queue',
      '      QueueName: jobs',
      `  Kms:
    Type: AWS::SQS::Queue
    Properties:
      SqsManagedSseEnabled: false
      KmsMasterKeyId: alias/aws/sqs
`,
    ),
    lines: [],
  },
  {
    rule: 'efs-unencrypted',
    name: 'absent, and false',
    file: 'efs.yaml',
    text: resource(
      'AWS::EFS::FileSystem',
      '      PerformanceMode: generalPurpose',
      '  Second:\n    Type: AWS::EFS::FileSystem\n    Properties:\n      Encrypted: false\n',
    ),
    lines: [RESOURCE_LINE, 17],
  },
  {
    rule: 'efs-unencrypted',
    name: 'encrypted',
    file: 'efs.yaml',
    text: resource('AWS::EFS::FileSystem', '      Encrypted: true'),
    lines: [],
  },
  {
    rule: 'log-group-unencrypted',
    name: 'no KmsKeyId',
    file: 'logs.yaml',
    text: resource('AWS::Logs::LogGroup', '      RetentionInDays: 30'),
    lines: [RESOURCE_LINE],
  },
  {
    rule: 'log-group-unencrypted',
    name: 'a KMS key',
    file: 'logs.yaml',
    text: resource('AWS::Logs::LogGroup', '      KmsKeyId: !GetAtt Key.Arn'),
    lines: [],
  },
  {
    rule: 'ami-public-launch-permission',
    name: 'UserGroups all in JSON',
    file: 'imagebuilder.json',
    text: distributionJson,
    lines: [lineOf(distributionJson, '"all"')],
  },
  {
    rule: 'ami-public-launch-permission',
    name: 'all in one branch',
    file: 'imagebuilder.yaml',
    text: resource(
      'AWS::ImageBuilder::DistributionConfiguration',
      `      Name: dist
      Distributions:
        - Region: eu-west-1
          AmiDistributionConfiguration:
            LaunchPermissionConfiguration:
              UserGroups: [!If [Prod, all, !Ref AWS::NoValue]]
`,
    ),
    lines: [18],
  },
  {
    rule: 'ami-public-launch-permission',
    name: 'shared with named accounts and an organization',
    file: 'imagebuilder.yaml',
    text: resource(
      'AWS::ImageBuilder::DistributionConfiguration',
      `      Name: dist
      Distributions:
        - Region: eu-west-1
          AmiDistributionConfiguration:
            LaunchPermissionConfiguration:
              UserIds: ["123456789012"]
              OrganizationArns: [arn:aws:organizations::123456789012:organization/o-abc123]
`,
    ),
    lines: [],
  },
  {
    rule: 'elb-http-listener',
    name: 'HTTP forwarding, and classic HTTP listener',
    file: 'elb.yaml',
    text: listener(
      `      Protocol: HTTP
      DefaultActions:
        - Type: forward
          TargetGroupArn: !Ref Tg
`,
    ).concat(`  Classic:
    Type: AWS::ElasticLoadBalancing::LoadBalancer
    Properties:
      Listeners:
        - {LoadBalancerPort: "80", InstancePort: "80", Protocol: HTTP}
        - {LoadBalancerPort: "443", InstancePort: "80", Protocol: HTTPS, SSLCertificateId: arn:aws:acm:eu-west-1:123456789012:certificate/x}
`),
    lines: [15, 23],
  },
  {
    rule: 'elb-http-listener',
    name: 'redirect to HTTP in one branch',
    file: 'elb.yaml',
    text: listener(`      Protocol: HTTP
      DefaultActions:
        - Type: redirect
          RedirectConfig:
            Protocol: !If [Prod, HTTPS, HTTP]
            StatusCode: HTTP_301
`),
    lines: [15],
  },
  {
    rule: 'elb-http-listener',
    name: 'HTTP redirecting to HTTPS, and HTTPS',
    file: 'elb.yaml',
    text: listener(`      Protocol: HTTP
      DefaultActions:
        - Type: redirect
          RedirectConfig: {Protocol: HTTPS, Port: "443", StatusCode: HTTP_301}
`).concat(`  Tls:
    Type: AWS::ElasticLoadBalancingV2::Listener
    Properties:
      LoadBalancerArn: !Ref Alb
      Port: 443
      Protocol: HTTPS
      DefaultActions: [{Type: forward, TargetGroupArn: !Ref Tg}]
`),
    lines: [],
  },
  // Terraform
  {
    rule: 'sns-unencrypted',
    name: 'Terraform: no kms_master_key_id',
    file: 'sns.tf',
    text: tf('resource "aws_sns_topic" "alerts" {\n  name = "alerts"\n}\n'),
    lines: [TF_LINE],
  },
  {
    rule: 'sns-unencrypted',
    name: 'Terraform: a KMS key',
    file: 'sns.tf',
    text: tf('resource "aws_sns_topic" "alerts" {\n  kms_master_key_id = "alias/aws/sns"\n}\n'),
    lines: [],
  },
  {
    rule: 'sqs-unencrypted',
    name: 'Terraform: SQS-managed encryption switched off',
    file: 'sqs.tf',
    text: tf('resource "aws_sqs_queue" "jobs" {\n  sqs_managed_sse_enabled = false\n}\n'),
    lines: [7],
  },
  {
    rule: 'sqs-unencrypted',
    name: 'Terraform: SSE-SQS by default, or a KMS key',
    file: 'sqs.tf',
    text: tf(`resource "aws_sqs_queue" "a" {
  name = "a"
}
resource "aws_sqs_queue" "b" {
  kms_master_key_id = aws_kms_key.q.arn
}
`),
    lines: [],
  },
  {
    rule: 'efs-unencrypted',
    name: 'Terraform: encryption left to its false default, and false',
    file: 'efs.tf',
    text: tf(`resource "aws_efs_file_system" "a" {
  creation_token = "a"
}
resource "aws_efs_file_system" "b" {
  encrypted = false
}
`),
    lines: [TF_LINE, 10],
  },
  {
    rule: 'efs-unencrypted',
    name: 'Terraform: encrypted',
    file: 'efs.tf',
    text: tf(
      'resource "aws_efs_file_system" "a" {\n  encrypted  = true\n  kms_key_id = aws_kms_key.efs.arn\n}\n',
    ),
    lines: [],
  },
  {
    rule: 'log-group-unencrypted',
    name: 'Terraform: no kms_key_id',
    file: 'logs.tf',
    text: tf('resource "aws_cloudwatch_log_group" "app" {\n  retention_in_days = 30\n}\n'),
    lines: [TF_LINE],
  },
  {
    rule: 'log-group-unencrypted',
    name: 'Terraform: a KMS key',
    file: 'logs.tf',
    text: tf('resource "aws_cloudwatch_log_group" "app" {\n  kms_key_id = aws_kms_key.logs.arn\n}\n'),
    lines: [],
  },
  {
    rule: 'ami-public-launch-permission',
    name: 'Terraform: a distribution shared with all, a launch permission for all',
    file: 'ami.tf',
    text: tf(`resource "aws_imagebuilder_distribution_configuration" "public" {
  name = "public"
  distribution {
    region = "eu-west-1"
    ami_distribution_configuration {
      launch_permission {
        user_groups = ["all"]
      }
    }
  }
}
resource "aws_ami_launch_permission" "everyone" {
  image_id = "ami-12345678"
  group    = "all"
}
`),
    lines: [12, 19],
  },
  {
    rule: 'ami-public-launch-permission',
    name: 'Terraform: shared with named accounts',
    file: 'ami.tf',
    text: tf(`resource "aws_imagebuilder_distribution_configuration" "shared" {
  distribution {
    region = "eu-west-1"
    ami_distribution_configuration {
      launch_permission {
        user_ids = ["123456789012"]
      }
    }
  }
}
resource "aws_ami_launch_permission" "account" {
  image_id   = "ami-12345678"
  account_id = "123456789012"
}
`),
    lines: [],
  },
  {
    rule: 'elb-http-listener',
    name: 'Terraform: HTTP forwarding, HTTP redirecting to HTTP, a classic HTTP listener',
    file: 'lb.tf',
    text: tf(`resource "aws_lb_listener" "http" {
  load_balancer_arn = aws_lb.web.arn
  port              = 80
  protocol          = "HTTP"
  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.web.arn
  }
}
resource "aws_alb_listener" "loop" {
  port     = 8080
  protocol = "HTTP"
  default_action {
    type = "redirect"
    redirect {
      port        = "80"
      status_code = "HTTP_301"
    }
  }
}
resource "aws_elb" "classic" {
  listener {
    instance_port     = 80
    instance_protocol = "http"
    lb_port           = 80
    lb_protocol       = "http"
  }
}
`),
    lines: [9, 17, 31],
  },
  {
    rule: 'elb-http-listener',
    name: 'Terraform: HTTP redirecting to HTTPS, HTTPS, no protocol',
    file: 'lb.tf',
    text: tf(`resource "aws_lb_listener" "http" {
  port     = 80
  protocol = "HTTP"
  default_action {
    type = "redirect"
    redirect {
      port        = "443"
      protocol    = "HTTPS"
      status_code = "HTTP_301"
    }
  }
}
resource "aws_lb_listener" "https" {
  port            = 443
  protocol        = "HTTPS"
  certificate_arn = aws_acm_certificate.web.arn
  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.web.arn
  }
}
resource "aws_lb_listener" "tcp" {
  port = 5432
  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.db.arn
  }
}
resource "aws_elb" "classic" {
  listener {
    instance_port     = 443
    instance_protocol = "https"
    lb_port           = 443
    lb_protocol       = "https"
  }
}
`),
    lines: [],
  },
];

// The policy bench's other formats, a few of each so every parser shows in the figures:
// multi-stage Dockerfiles, Kubernetes manifests (a Deployment, a Service and sometimes a
// ConfigMap, in one multi-document file) and Packer templates (HCL2, and now and then legacy JSON).
// As elsewhere, about 40% are clean and the rest misconfigured here and there.
import { toYaml } from './iac-yaml.mjs';

const mood = (r) => {
  const rate = r.chance(0.4) ? 0 : r.pick([0.15, 0.3, 0.5]);
  return () => rate > 0 && r.next() < rate;
};

export function dockerfile(r, index) {
  const bad = mood(r);
  const [base, build, run] = r.pick([
    ['node:20.12-bookworm-slim', 'npm ci && npm run build', 'node dist/server.js'],
    ['python:3.12-slim', 'pip install --no-cache-dir -r requirements.txt', 'python -m app'],
    ['golang:1.22-bookworm', 'go build -o /out/app ./cmd/app', '/app'],
  ]);
  const from = bad() ? base.replace(/:.*$/, r.pick([':latest', ''])) : base;
  const lines = [
    `# Service ${index}`,
    `FROM ${from} AS build`,
    'WORKDIR /src',
    bad() ? 'ADD . /src' : 'COPY . /src',
    `RUN ${bad() ? 'sudo ' : ''}apt-get update && apt-get install -y ${bad() ? '' : '--no-install-recommends '}ca-certificates curl \\`,
    '    && rm -rf /var/lib/apt/lists/*',
    bad() ? 'RUN curl -fsSL https://example.com/install.sh | sh' : `RUN ${build}`,
    '',
    `FROM ${r.pick(['gcr.io/distroless/base-debian12', 'debian:12-slim', 'alpine:3.20'])}`,
    `ARG VERSION=1.${index}.0`,
    bad() ? 'ENV API_TOKEN=changeme' : 'ENV APP_ENV=production',
    'COPY --from=build /src /app',
    bad() ? 'RUN chmod 777 /app' : 'RUN chmod 0755 /app',
    ...(bad() ? ['EXPOSE 22'] : []),
    'EXPOSE 8080',
    ...(bad() ? [] : ['USER 10001:10001']),
    ...(bad() ? [] : ['HEALTHCHECK --interval=30s CMD ["/app/healthcheck"]']),
    `CMD ${JSON.stringify(run.split(' '))}`,
  ];
  return `${lines.join('\n')}\n`;
}

export function kubernetesManifest(r, index) {
  const bad = mood(r);
  const app = `app-${index}`;
  const container = {
    name: app,
    image: bad() ? `registry.example.com/${app}:latest` : `registry.example.com/${app}:1.${index}.0`,
    ports: [{ containerPort: 8080 }],
    env: [
      { name: 'LOG_LEVEL', value: 'info' },
      bad()
        ? { name: 'DB_PASSWORD', value: 'hunter2-not-a-secret' }
        : { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: `${app}-db`, key: 'password' } } },
    ],
    resources: bad()
      ? undefined
      : { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
    securityContext: bad()
      ? { privileged: r.chance(0.3) ? true : undefined, allowPrivilegeEscalation: true }
      : {
          runAsNonRoot: true,
          runAsUser: 10001,
          allowPrivilegeEscalation: false,
          readOnlyRootFilesystem: true,
          capabilities: { drop: ['ALL'] },
        },
  };
  const deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: app, namespace: bad() ? 'default' : `team-${index % 7}`, labels: { app } },
    spec: {
      replicas: r.between(1, 4),
      selector: { matchLabels: { app } },
      template: {
        metadata: { labels: { app } },
        spec: {
          automountServiceAccountToken: bad() ? undefined : false,
          hostNetwork: bad() && r.chance(0.3) ? true : undefined,
          containers: [container],
          volumes:
            bad() && r.chance(0.3)
              ? [{ name: 'docker', hostPath: { path: '/var/run/docker.sock' } }]
              : undefined,
        },
      },
    },
  };
  const service = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: app, namespace: deployment.metadata.namespace },
    spec: { selector: { app }, ports: [{ port: 80, targetPort: 8080 }] },
  };
  const docs = [deployment, service];
  if (r.chance(0.4))
    docs.push({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: `${app}-config` },
      data: { 'app.yaml': 'port: 8080\nlog: info\n' },
    });
  return docs.map(toYaml).join('---\n');
}

export function packerTemplate(r, index) {
  const bad = mood(r);
  if (r.chance(0.2)) {
    const builder = {
      type: 'amazon-ebs',
      region: 'eu-west-1',
      source_ami_filter: { filters: { name: 'al2023-ami-*-x86_64' }, owners: ['amazon'], most_recent: true },
      instance_type: 't3.small',
      ssh_username: 'ec2-user',
      ami_name: `legacy-${index}-{{timestamp}}`,
      encrypt_boot: !bad(),
      ...(bad() ? { ami_groups: ['all'] } : {}),
    };
    const template = {
      builders: [builder],
      provisioners: [{ type: 'shell', inline: ['sudo dnf -y update'] }],
    };
    return { ext: '.json', text: `${JSON.stringify(template, null, 2)}\n` };
  }
  const text = `packer {
  required_plugins {
    amazon = {
      version = ">= 1.3.0"
      source  = "github.com/hashicorp/amazon"
    }
  }
}

variable "region" {
  type    = string
  default = "eu-west-1"
}

locals {
  stamp = formatdate("YYYYMMDDhhmm", timestamp())
}

source "amazon-ebs" "base" {
  region        = var.region
  instance_type = "t3.small"
  ssh_username  = "ec2-user"
  ami_name      = "golden-${index}-\${local.stamp}"
  encrypt_boot  = ${bad() ? 'false' : 'true'}${bad() ? '\n  ami_groups    = ["all"]' : ''}\n  temporary_security_group_source_cidrs = [${bad() ? '"0.0.0.0/0"' : '"10.0.0.0/8"'}]

  source_ami_filter {
    filters = {
      name                = "al2023-ami-*-x86_64"
      virtualization-type = "hvm"
    }
    owners      = ["amazon"]
    most_recent = true
  }

  metadata_options {
    http_endpoint = "enabled"
    http_tokens   = "${bad() ? 'optional' : 'required'}"
  }
${
  bad()
    ? ''
    : `
  imds_support = "v2.0"
`
}
  launch_block_device_mappings {
    device_name           = "/dev/xvda"
    volume_size           = 20
    encrypted             = ${bad() ? 'false' : 'true'}
    delete_on_termination = true
  }
}

build {
  sources = ["source.amazon-ebs.base"]

  provisioner "shell" {
    inline = [
      "sudo dnf -y update",
      "sudo dnf -y install amazon-cloudwatch-agent",
    ]
  }
}
`;
  return { ext: '.pkr.hcl', text };
}

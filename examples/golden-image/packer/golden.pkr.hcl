packer {
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

source "amazon-ebs" "golden" {
  region        = var.region
  instance_type = "t3.small"
  ssh_username  = "ec2-user"
  ami_name      = "golden-al2023-{{timestamp}}"
  encrypt_boot  = true
  imds_support  = "v2.0"
  # Planted mistake: no temporary_security_group_source_cidrs (nor _public_ip), so the build
  # instance's SSH port is open to 0.0.0.0/0 while it builds.

  source_ami_filter {
    filters = {
      name                = "al2023-ami-*-x86_64"
      virtualization-type = "hvm"
    }
    owners      = ["amazon"]
    most_recent = true
  }

  metadata_options {
    http_tokens   = "required"
    http_endpoint = "enabled"
  }
}

build {
  sources = ["source.amazon-ebs.golden"]

  provisioner "shell" {
    inline = ["sudo dnf -y update", "sudo dnf -y install amazon-cloudwatch-agent"]
  }

  post-processor "manifest" {
    output = "manifest.json"
  }
}

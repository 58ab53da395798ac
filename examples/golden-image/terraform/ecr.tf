# The repository publish-image pushes the health agent image to.
resource "aws_kms_key" "images" {
  description         = "Encrypts the golden container images."
  enable_key_rotation = true
}

resource "aws_ecr_repository" "agent" {
  name                 = "${var.name_prefix}/health-agent"
  image_tag_mutability = var.tag_mutability

  image_scanning_configuration {
    scan_on_push = true
  }

  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = aws_kms_key.images.arn
  }
}

resource "aws_ecr_lifecycle_policy" "agent" {
  repository = aws_ecr_repository.agent.name
  policy = jsonencode({
    rules = [{
      rulePriority = 1
      description  = "Keep the last 30 images"
      selection    = { tagStatus = "any", countType = "imageCountMoreThan", countNumber = 30 }
      action       = { type = "expire" }
    }]
  })
}

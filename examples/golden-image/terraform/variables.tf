variable "name_prefix" {
  description = "Prefix of the repositories this image pipeline publishes to."
  type        = string
  default     = "golden"
}

variable "tag_mutability" {
  description = "IMMUTABLE keeps a published tag pointing at one image for good."
  type        = string
  # Planted mistake: tags can be moved, so `:1.4.2` may not be the image that was scanned.
  default = "MUTABLE"
}

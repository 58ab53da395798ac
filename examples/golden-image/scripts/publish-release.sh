#!/usr/bin/env bash
# Tags the release of the golden image. The token below is synthetic; a real one would be a leak.
set -euo pipefail
curl -fsS -H "Authorization: token ghp_hj42CNvXhfXt40qYknXvFzLiKhhv3mhj9jzY" \
  -X POST "https://api.github.com/repos/acme/golden-image/releases" \
  -d '{"tag_name": "v1.4.0"}'

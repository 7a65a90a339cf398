# The three role images in one build (docker buildx bake -f docker/docker-bake.hcl), sharing the build
# stage; used by CI. Plain `docker build --target ROLE` does the same one image at a time.
# Locally (and in CI for pull requests) the images are named ${IMAGE_PREFIX}/ROLE:${TAG}. On main, CI
# overrides platforms, tags and output with --set to push ghcr.io/OWNER/REPO/ROLE for amd64 and arm64
# by digest only; the tags come later, once those digests have passed the smoke test and the scan.
# The project's version (pom.xml without -SNAPSHOT, the chart's appVersion, compose's default TAG): never
# latest (.ci/image_tags.py). CI sets TAG itself.
variable "TAG" { default = "0.1.0" }
variable "REVISION" { default = "unknown" }
variable "IMAGE_PREFIX" { default = "voting-app" }

group "default" {
  targets = ["vote", "worker", "result"]
}

target "_common" {
  context    = "."
  dockerfile = "docker/Dockerfile"
  args = {
    VERSION  = "${TAG}"
    REVISION = "${REVISION}"
  }
}

target "vote" {
  inherits = ["_common"]
  target   = "vote"
  tags     = ["${IMAGE_PREFIX}/vote:${TAG}"]
}

target "worker" {
  inherits = ["_common"]
  target   = "worker"
  tags     = ["${IMAGE_PREFIX}/worker:${TAG}"]
}

target "result" {
  inherits = ["_common"]
  target   = "result"
  tags     = ["${IMAGE_PREFIX}/result:${TAG}"]
}

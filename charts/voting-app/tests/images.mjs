// Pinned images: the chart's appVersion is a release version, the project's images default to it (never
// `latest`), and every third-party image the chart runs (dev mode's Redis and PostgreSQL, the exporters)
// has the exact version Compose runs (docker-compose.yml), registry aside.
import fs from "node:fs";
import path from "node:path";
import { readYaml } from "./lib.mjs";

// repository:tag (or @digest) -> {name: the image's name without its registry, tag}
export function parseImage(ref) {
  const [withoutDigest, digest] = ref.split("@");
  const slash = withoutDigest.lastIndexOf("/");
  const colon = withoutDigest.lastIndexOf(":");
  const repo = colon > slash ? withoutDigest.slice(0, colon) : withoutDigest;
  const tag = colon > slash ? withoutDigest.slice(colon + 1) : undefined;
  const parts = repo.split("/");
  // A first part with a dot or a port is a registry (quay.io, ghcr.io, localhost:5000).
  const name = parts.length > 1 && /[.:]/.test(parts[0]) ? parts.slice(1).join("/") : repo;
  return { repo, name: name.includes("/") ? name : `library/${name}`, tag, digest };
}

// Once, on the chart itself: Chart.yaml and the defaults of values.yaml against docker-compose.yml.
export function checkChartImages(repo) {
  const failures = [];
  const chart = readYaml(path.join(repo, "charts/voting-app/Chart.yaml"));
  const values = readYaml(path.join(repo, "charts/voting-app/values.yaml"));
  const compose = readYaml(path.join(repo, "docker-compose.yml"));
  const pom = fs.readFileSync(path.join(repo, "pom.xml"), "utf8");
  const projectVersion = /<artifactId>voting-app-parent<\/artifactId>\s*<version>([^<]+)<\/version>/.exec(pom)?.[1]
    ?? /<version>([^<]+)<\/version>/.exec(pom)?.[1];
  const release = String(projectVersion).replace(/-SNAPSHOT$/, "");
  if (chart.appVersion !== release) {
    failures.push(`Chart.yaml appVersion is "${chart.appVersion}": the images' default tag must be the project's release version ${release} (pom.xml ${projectVersion})`);
  }
  for (const role of ["vote", "worker", "result", "backup"]) {
    const tag = values[role]?.image?.tag ?? "";
    if (tag) failures.push(`values.yaml ${role}.image.tag is "${tag}": leave it empty for the chart's appVersion`);
  }
  if (values.image.tag) failures.push(`values.yaml image.tag is "${values.image.tag}": leave it empty for the chart's appVersion`);
  // Third-party images: the same versions as Compose's.
  const composeImages = Object.entries(compose.services).map(([service, s]) => ({ service, ...parseImage(String(s.image ?? "")) }));
  const thirdParty = [["dev.redis.image", values.dev?.redis?.image], ["dev.postgresql.image", values.dev?.postgresql?.image],
    ["exporters.redis.image", values.exporters?.redis?.image], ["exporters.postgres.image", values.exporters?.postgres?.image]];
  for (const [key, image] of thirdParty) {
    if (!image?.repository || !image?.tag) {
      failures.push(`values.yaml ${key} needs a repository and an exact tag`);
      continue;
    }
    const mine = parseImage(`${image.repository}:${image.tag}`);
    const theirs = composeImages.find((c) => c.name === mine.name);
    if (!theirs) failures.push(`values.yaml ${key} is ${image.repository}, which docker-compose.yml does not run`);
    else if (theirs.tag !== mine.tag) failures.push(`values.yaml ${key} is ${image.repository}:${image.tag}, but docker-compose.yml's ${theirs.service} runs ${theirs.repo}:${theirs.tag}: the same version everywhere`);
  }
  return failures;
}

// Every rendered container's image: a tag or a digest, never `latest`.
export function checkRenderedImages(pods) {
  const failures = [];
  for (const pod of pods) {
    for (const c of [...(pod.spec.initContainers ?? []), ...pod.spec.containers]) {
      const { tag, digest } = parseImage(c.image);
      if (!digest && (!tag || tag === "latest")) failures.push(`${pod.owner.kind}/${pod.owner.metadata.name} container ${c.name}: image ${c.image} floats (no tag, or latest)`);
    }
  }
  return failures;
}

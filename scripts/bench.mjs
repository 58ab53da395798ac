// npm run bench: how fast each engine is, next to the tool users would otherwise pick, on the same
// generated inputs; prints figures and the targets they are held to. Nothing here asserts a timing.
//
//   npm run bench                    every bench, in this order: secrets, policy, packer, publish
//   npm run bench -- policy          only the ones named (secrets, policy, packer, publish)
//
// - secrets (scripts/bench/secrets.mjs): secrets-scan over a generated tree and git history, next
//   to secretlint and gitleaks. BENCH_MB (default 50), BENCH_COMMITS (default 5000).
// - policy (scripts/bench/policy.mjs): policy-as-code over a generated corpus of CloudFormation,
//   Terraform, Dockerfiles, Kubernetes manifests and Packer templates, next to cfn-guard with the
//   AWS Control Tower rules. BENCH_CFN (default 1500), BENCH_TF (default 1000), BENCH_OTHER
//   (default 50 of each other format), BENCH_GUARD_SAMPLE (default 50 templates for cfn-guard).
// - packer (scripts/bench/packer.mjs): packer-build with the real packer, next to `packer build`
//   alone and the steps teams write by hand; and how fast it reads packer's machine-readable
//   stream. BENCH_PACKER_BUILDS (default 10), BENCH_PACKER_LINES (default 2000 log lines a build),
//   BENCH_PACKER_STREAM_MB (default 100).
// - publish (scripts/bench/publish.mjs): publish-image pushing a generated OCI layout to a local
//   docker-registry, next to `skopeo copy`, to fresh repositories and again to one that holds it;
//   and its peak memory on one push of a single large layer. BENCH_PUBLISH_MB (default 200, in 5
//   layers), BENCH_PUBLISH_BIG_MB (default 1024, one layer).
//
// Each tool runs up to BENCH_RUNS times (default 3; the median is shown), once when a run takes
// more than 20 s; a run still going after BENCH_LIMIT_S (default 120) is stopped. BENCH_CLI benches
// another build of the CLI. Generated inputs are cached under $TMPDIR/imagepipe-bench-cache (delete
// it to regenerate).
import { cliPath } from './bench/measure.mjs';
import { benchPacker } from './bench/packer.mjs';
import { benchPolicy } from './bench/policy.mjs';
import { benchPublish } from './bench/publish.mjs';
import { benchSecrets } from './bench/secrets.mjs';

const BENCHES = { secrets: benchSecrets, policy: benchPolicy, packer: benchPacker, publish: benchPublish };

const names = process.argv.slice(2);
const unknown = names.filter((n) => !Object.hasOwn(BENCHES, n));
if (unknown.length) {
  console.error(
    `Unknown bench ${unknown.join(', ')}: name some of ${Object.keys(BENCHES).join(', ')}, or none for all.`,
  );
  process.exit(2);
}
const cli = cliPath();
const chosen = names.length ? [...new Set(names)] : Object.keys(BENCHES);
for (const [i, name] of chosen.entries()) {
  if (i > 0) console.log('');
  await BENCHES[name](cli);
}

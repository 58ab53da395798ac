// The policy bench's input: a folder of generated infrastructure code, cached like the other
// fixtures (fixtures.mjs) under $TMPDIR/imagepipe-bench-cache, keyed by its sizes, seed and
// IAC_VERSION. Each format has a PRNG stream of its own, so changing one size keeps the others'
// files as they were.
//
//   cloudformation/team-NN/stack-NNNN.{yaml,yml,json,template}
//   terraform/<role>-NNN/*.tf              modules of 3–6 files
//   other/docker/svc-NNN/Dockerfile, other/kubernetes/app-NNN.yaml, other/packer/image-NNN.pkr.hcl
import { Buffer } from 'node:buffer';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { rng } from './corpus.mjs';
import { cached } from './fixtures.mjs';
import { cfnTemplate } from './iac-cfn.mjs';
import { dockerfile, kubernetesManifest, packerTemplate } from './iac-other.mjs';
import { tfModule } from './iac-tf.mjs';

/** Bump when the generated content changes, so stale caches are not reused. */
const IAC_VERSION = 1;
const pad = (n, width) => String(n).padStart(width, '0');

/** Modules of 3–6 files that add up to `total` (the last ones adjusted to fit). */
function moduleSizes(r, total) {
  const sizes = [];
  for (let left = total; left > 0;) {
    let k = Math.min(left, r.between(3, 6));
    if (left - k > 0 && left - k < 3) k = left <= 6 ? left : left - 3;
    sizes.push(k);
    left -= k;
  }
  return sizes;
}

/**
 * The corpus: `cfn` CloudFormation templates, `tf` Terraform files and `other` each of Dockerfiles,
 * Kubernetes manifests and Packer templates. Returns its manifest: the root, each part's folder
 * (relative), file and byte counts, the templates' paths, and how long generating took.
 */
export function ensureIacCorpus({ cfn, tf, other, seed = 1 }) {
  return cached(`iac-${cfn}cfn-${tf}tf-${other}x-s${seed}-i${IAC_VERSION}`, (dir) => {
    const started = process.hrtime.bigint();
    const root = path.join(dir, 'corpus');
    const bytes = { cloudformation: 0, terraform: 0, other: 0 };
    const write = (part, relative, text) => {
      const target = path.join(root, part, relative);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, text);
      bytes[part] += Buffer.byteLength(text);
    };

    const templates = [];
    const rc = rng(seed);
    for (let i = 0; i < cfn; i++) {
      const { json, text } = cfnTemplate(rc, i);
      const ext = json ? rc.pick(['.json', '.json', '.template']) : rc.pick(['.yaml', '.yaml', '.yml']);
      const relative = `team-${pad(i % 30, 2)}/stack-${pad(i, 4)}${ext}`;
      write('cloudformation', relative, text);
      templates.push(relative);
    }

    const rt = rng(seed + 1);
    const sizes = moduleSizes(rt, tf);
    sizes.forEach((size, i) => {
      const files = tfModule(rt, i, size);
      const role = files.find((f) => !['main.tf', 'variables.tf'].includes(f.name))?.name ?? 'base';
      for (const f of files) write('terraform', `${role.replace('.tf', '')}-${pad(i, 3)}/${f.name}`, f.text);
    });

    const ro = rng(seed + 2);
    for (let i = 0; i < other; i++) {
      write('other', `docker/svc-${pad(i, 3)}/Dockerfile`, dockerfile(ro, i));
      write('other', `kubernetes/app-${pad(i, 3)}.yaml`, kubernetesManifest(ro, i));
      const packer = packerTemplate(ro, i);
      write('other', `packer/image-${pad(i, 3)}${packer.ext}`, packer.text);
    }

    return {
      root,
      parts: { cloudformation: 'cloudformation', terraform: 'terraform', other: 'other' },
      files: { cloudformation: cfn, terraform: tf, dockerfile: other, kubernetes: other, packer: other },
      modules: sizes.length,
      bytes,
      templates,
      generatedMs: Number(process.hrtime.bigint() - started) / 1e6,
    };
  });
}

// Deterministic synthetic content for the benchmarks: what a repository holds (source in several
// languages, JSON and YAML configs, .env files, lock files, minified bundles, markdown), generated
// from a seed so every run measures the same bytes. Secrets are planted by plant.mjs.
import { Buffer } from 'node:buffer';

/** A small seeded PRNG (mulberry32): the same seed gives the same corpus on every machine. */
export function rng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n) => Math.floor(next() * n);
  return {
    next,
    int,
    between: (lo, hi) => lo + int(hi - lo + 1),
    pick: (list) => list[int(list.length)],
    chance: (p) => next() < p,
    chars: (alphabet, n) => {
      let s = '';
      for (let i = 0; i < n; i++) s += alphabet[int(alphabet.length)];
      return s;
    },
    /** Log-uniform between lo and hi: many small files, a few large ones. */
    logSize: (lo, hi) => Math.round(Math.exp(Math.log(lo) + next() * (Math.log(hi) - Math.log(lo)))),
  };
}

export const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
export const HEX = '0123456789abcdef';
const B64 = `${ALNUM}+/`;

// Identifiers and prose. Words like task, address, password and session occur in real code, and
// hold short keywords (`sk`, `dd`, `pwd`): the prefilter meets them as it would in a real tree.
const WORDS = (
  'user account config request response handler service task address builder client key value ' +
  'index data items result error message path file stream buffer cache session options params ' +
  'query status model schema event listener queue worker timeout retry logger metrics disk mask ' +
  'risk order invoice payment customer product price amount total count limit offset page size ' +
  'name title label description created updated deleted enabled visible parent child node tree ' +
  'graph edge vertex route router controller view template render component props state store ' +
  'action reducer effect hook context provider consumer token auth login logout password secret ' +
  'credential permission role policy group member owner admin report export import upload ' +
  'download image video audio media asset bucket region zone cluster instance container pod ' +
  'deployment ingress volume mount network subnet gateway proxy balancer health check probe ' +
  'build release version tag branch commit merge deploy pipeline stage job step artifact ' +
  'registry package module library plugin extension format parse serialize encode decode hash ' +
  'digest sign verify encrypt decrypt compress archive backup restore migrate seed fixture mock ' +
  'test spec suite case expect assert describe setup teardown debug trace warn info notify mail ' +
  'phone ticket desk skip ask flask disk kiosk adder ladder hidden middle padding'
).split(' ');
const SENTENCE_WORDS = [...WORDS, 'the', 'a', 'to', 'of', 'and', 'in', 'is', 'for', 'with', 'when', 'it'];
const TLDS = ['com', 'io', 'dev', 'org', 'net', 'internal'];

const cap = (w) => w[0].toUpperCase() + w.slice(1);
const camel = (r, n = r.between(1, 3)) =>
  Array.from({ length: n }, (_, i) => (i === 0 ? r.pick(WORDS) : cap(r.pick(WORDS)))).join('');
const snake = (r, n = r.between(1, 3)) => Array.from({ length: n }, () => r.pick(WORDS)).join('_');
const kebab = (r, n = r.between(1, 2)) => Array.from({ length: n }, () => r.pick(WORDS)).join('-');
const pascal = (r) => cap(camel(r));
const sentence = (r, n = r.between(5, 16)) => {
  const s = Array.from({ length: n }, () => r.pick(SENTENCE_WORDS)).join(' ');
  return `${cap(s)}.`;
};
const url = (r) =>
  `https://${r.pick(['api', 'www', 'cdn', 'auth', 'docs'])}.${kebab(r, 1)}.${r.pick(TLDS)}/${snake(r, 2).replace('_', '/')}`;
const semver = (r) => `${r.int(12)}.${r.int(30)}.${r.int(20)}`;

/** Repeats `block` until the text reaches `size` characters. */
function fill(r, size, header, block, footer = '') {
  const parts = [header];
  let length = header.length + footer.length;
  while (length < size) {
    const b = block(r);
    parts.push(b);
    length += b.length;
  }
  parts.push(footer);
  return parts.join('');
}

const GENERATORS = {
  ts: (r, size) =>
    fill(
      r,
      size,
      `import { ${camel(r)}, ${camel(r)} } from './${kebab(r)}.js';\nimport type { ${pascal(r)} } from '../types.js';\n\n`,
      (r) => {
        const f = camel(r);
        const t = pascal(r);
        return [
          `/** ${sentence(r)} */`,
          `export async function ${f}(${camel(r, 1)}: ${t}, options: { ${camel(r, 1)}?: number } = {}): Promise<${t}[]> {`,
          `  const ${camel(r, 1)} = await this.${camel(r)}.get(\`${url(r)}/\${${camel(r, 1)}.id}\`);`,
          `  if (!${camel(r, 1)}) throw new Error('${sentence(r, 6)}');`,
          `  // ${sentence(r)}`,
          `  for (const ${camel(r, 1)} of ${camel(r)}.${camel(r, 1)}) ${camel(r)}.push({ ${camel(r, 1)}: ${r.int(1000)}, ${camel(r, 1)}: '${kebab(r)}' });`,
          `  return ${camel(r)}.filter((x) => x.${camel(r, 1)} > options.${camel(r, 1)} ?? ${r.int(100)});`,
          '}',
          '',
        ].join('\n');
      },
    ),
  py: (r, size) =>
    fill(
      r,
      size,
      `"""${sentence(r)}"""\nimport os\nfrom ${snake(r, 1)}.${snake(r, 1)} import ${pascal(r)}\n\n`,
      (r) =>
        [
          `class ${pascal(r)}(${pascal(r)}):`,
          `    """${sentence(r)}"""`,
          '',
          `    def ${snake(r)}(self, ${snake(r, 1)}, ${snake(r, 1)}=None):`,
          `        ${snake(r, 1)} = self.${snake(r)}.get(${snake(r, 1)}, ${r.int(100)})`,
          `        if ${snake(r, 1)} is None:`,
          `            raise ValueError("${sentence(r, 5)}")`,
          `        # ${sentence(r)}`,
          `        return [${snake(r, 1)} for ${snake(r, 1)} in self.${snake(r, 2)} if ${snake(r, 1)}.${snake(r, 1)}]`,
          '',
          '',
        ].join('\n'),
    ),
  go: (r, size) =>
    fill(r, size, `package ${r.pick(WORDS)}\n\nimport (\n\t"context"\n\t"fmt"\n\t"net/http"\n)\n\n`, (r) =>
      [
        `// ${pascal(r)} ${sentence(r)}`,
        `func (s *${pascal(r)}) ${pascal(r)}(ctx context.Context, ${camel(r, 1)} string) (*${pascal(r)}, error) {`,
        `\treq, err := http.NewRequestWithContext(ctx, http.MethodGet, "${url(r)}", nil)`,
        '\tif err != nil {',
        `\t\treturn nil, fmt.Errorf("${r.pick(WORDS)} ${r.pick(WORDS)}: %w", err)`,
        '\t}',
        `\ts.${camel(r, 1)}[${camel(r, 1)}] = ${r.int(10000)}`,
        `\treturn &${pascal(r)}{${pascal(r)}: ${camel(r, 1)}}, nil`,
        '}',
        '',
      ].join('\n'),
    ),
  java: (r, size) =>
    fill(
      r,
      size,
      `package com.${r.pick(WORDS)}.${r.pick(WORDS)};\n\nimport java.util.List;\nimport java.util.Map;\n\npublic class ${pascal(r)} {\n`,
      (r) =>
        [
          `    /** ${sentence(r)} */`,
          `    public List<${pascal(r)}> ${camel(r)}(Map<String, ${pascal(r)}> ${camel(r, 1)}) {`,
          `        var ${camel(r, 1)} = ${camel(r, 1)}.getOrDefault("${kebab(r)}", ${pascal(r)}.EMPTY);`,
          `        log.info("${sentence(r, 6)} {}", ${camel(r, 1)});`,
          `        return ${camel(r, 1)}.stream().filter(x -> x.get${pascal(r)}() > ${r.int(500)}).toList();`,
          '    }',
          '',
        ].join('\n'),
      '}\n',
    ),
  sh: (r, size) =>
    fill(r, size, '#!/usr/bin/env bash\nset -euo pipefail\n\n', (r) =>
      [
        `# ${sentence(r)}`,
        `${snake(r).toUpperCase()}="\${${snake(r, 1).toUpperCase()}:-${kebab(r)}}"`,
        `if [ -f "${kebab(r)}/${kebab(r)}.conf" ]; then`,
        `  curl -fsSL -H "Accept: application/json" "${url(r)}" -o "/tmp/${kebab(r)}.json"`,
        'fi',
        `${kebab(r)} --${kebab(r)} "$${snake(r, 1).toUpperCase()}" | tee -a "$LOG"`,
        '',
      ].join('\n'),
    ),
  tf: (r, size) =>
    fill(r, size, 'terraform {\n  required_version = ">= 1.5"\n}\n\n', (r) =>
      [
        `resource "aws_${snake(r, 2)}" "${snake(r, 1)}" {`,
        `  name        = "${kebab(r)}-\${var.${snake(r, 1)}}"`,
        `  description = "${sentence(r, 6)}"`,
        `  ${snake(r, 1)} = ${r.int(4096)}`,
        '  tags = {',
        `    Team = "${r.pick(WORDS)}"`,
        '  }',
        '}',
        '',
      ].join('\n'),
    ),
  dockerfile: (r, size) =>
    fill(r, size, `FROM public.ecr.aws/docker/library/node:${r.between(18, 24)}-slim\nWORKDIR /app\n`, (r) =>
      [
        `RUN apt-get update && apt-get install -y --no-install-recommends ${r.pick(WORDS)}-${r.pick(WORDS)} && rm -rf /var/lib/apt/lists/*`,
        `COPY ${kebab(r)}/ ./${kebab(r)}/`,
        `ENV ${snake(r).toUpperCase()}=${kebab(r)}`,
        '',
      ].join('\n'),
    ),
  json: (r, size) => {
    const value = (depth) => {
      const k = r.int(depth > 2 ? 4 : 7);
      if (k === 0) return r.int(100000);
      if (k === 1) return r.chance(0.5);
      if (k === 2) return url(r);
      if (k === 3) return sentence(r, r.between(2, 8));
      if (k === 4) return Array.from({ length: r.between(1, 5) }, () => kebab(r));
      const o = {};
      for (let i = r.between(2, 6); i > 0; i--) o[camel(r)] = value(depth + 1);
      return o;
    };
    const root = {};
    let length = 0;
    while (length < size) {
      const k = camel(r);
      root[k] = value(0);
      length += JSON.stringify(root[k]).length + k.length + 8;
    }
    return `${JSON.stringify(root, null, 2)}\n`;
  },
  yaml: (r, size) =>
    fill(r, size, `# ${sentence(r)}\napiVersion: apps/v1\nkind: List\nitems:\n`, (r) =>
      [
        '  - apiVersion: apps/v1',
        '    kind: Deployment',
        '    metadata:',
        `      name: ${kebab(r)}`,
        `      labels: { app: ${kebab(r)}, tier: ${r.pick(WORDS)} }`,
        '    spec:',
        `      replicas: ${r.between(1, 6)}`,
        '      template:',
        '        spec:',
        '          containers:',
        `            - name: ${kebab(r)}`,
        `              image: ${kebab(r)}.dkr.ecr.eu-west-1.amazonaws.com/${kebab(r)}:${semver(r)}`,
        '              env:',
        `                - { name: ${snake(r).toUpperCase()}, value: "${kebab(r)}" }`,
        `                - { name: ${snake(r).toUpperCase()}, valueFrom: { secretKeyRef: { name: ${kebab(r)}, key: ${r.pick(WORDS)} } } }`,
        `              resources: { limits: { memory: ${r.pick([128, 256, 512])}Mi, cpu: ${r.between(100, 900)}m } }`,
        '',
      ].join('\n'),
    ),
  env: (r, size) =>
    fill(r, size, `# ${sentence(r)}\n`, (r) => {
      const k = snake(r, r.between(1, 3)).toUpperCase();
      const v = r.pick([
        () => `\${${snake(r, 1).toUpperCase()}}`,
        () => String(r.int(65536)),
        () => url(r),
        () => r.pick(['true', 'false', 'changeme', 'development', 'info', '<your-value>']),
        () => `${kebab(r)}.${r.pick(TLDS)}`,
      ])();
      return `${k}=${v}\n`;
    }),
  markdown: (r, size) =>
    fill(r, size, `# ${pascal(r)}\n\n${sentence(r)} ${sentence(r)}\n\n`, (r) =>
      [
        `## ${cap(r.pick(WORDS))} ${r.pick(WORDS)}`,
        '',
        `${sentence(r)} ${sentence(r)} See [${r.pick(WORDS)}](${url(r)}) for ${r.pick(WORDS)}.`,
        '',
        '```sh',
        `npx ${kebab(r)} --${kebab(r)} ${r.pick(WORDS)}`,
        '```',
        '',
        `- **${r.pick(WORDS)}**: ${sentence(r)}`,
        `- \`${camel(r)}\`: ${sentence(r)}`,
        '',
      ].join('\n'),
    ),
  'package-lock': (r, size) => {
    const head = `{\n  "name": "${kebab(r)}",\n  "version": "${semver(r)}",\n  "lockfileVersion": 3,\n  "requires": true,\n  "packages": {\n`;
    let first = true;
    return fill(
      r,
      size,
      head,
      (r) => {
        const name = r.chance(0.3) ? `@${r.pick(WORDS)}/${kebab(r)}` : kebab(r);
        const v = semver(r);
        const base = name.split('/').pop();
        const deps = Array.from({ length: r.int(4) }, () => `        "${kebab(r)}": "^${semver(r)}"`);
        const entry = [
          `${first ? '' : ',\n'}    "node_modules/${name}": {`,
          `      "version": "${v}",`,
          `      "resolved": "https://registry.npmjs.org/${name}/-/${base}-${v}.tgz",`,
          `      "integrity": "sha512-${r.chars(B64, 86)}==",`,
          ...(r.chance(0.3) ? ['      "dev": true,'] : []),
          ...(deps.length ? ['      "dependencies": {', deps.join(',\n'), '      },'] : []),
          `      "license": "${r.pick(['MIT', 'ISC', 'Apache-2.0', 'BSD-3-Clause'])}"`,
          '    }',
        ].join('\n');
        first = false;
        return entry;
      },
      '\n  }\n}\n',
    );
  },
  'yarn-lock': (r, size) =>
    fill(
      r,
      size,
      '# THIS IS AN AUTOGENERATED FILE. DO NOT EDIT THIS FILE DIRECTLY.\n# yarn lockfile v1\n\n',
      (r) => {
        const name = kebab(r);
        const v = semver(r);
        return [
          `${name}@^${v}:`,
          `  version "${v}"`,
          `  resolved "https://registry.yarnpkg.com/${name}/-/${name}-${v}.tgz#${r.chars(HEX, 40)}"`,
          `  integrity sha512-${r.chars(B64, 86)}==`,
          '',
          '',
        ].join('\n');
      },
    ),
  'go-sum': (r, size) =>
    fill(r, size, '', (r) => {
      const mod = `github.com/${kebab(r, 1)}/${kebab(r)}`;
      const v = `v${semver(r)}`;
      return `${mod} ${v} h1:${r.chars(B64, 43)}=\n${mod} ${v}/go.mod h1:${r.chars(B64, 43)}=\n`;
    }),
  'cargo-lock': (r, size) =>
    fill(r, size, '# This file is automatically @generated by Cargo.\nversion = 3\n\n', (r) =>
      [
        '[[package]]',
        `name = "${snake(r)}"`,
        `version = "${semver(r)}"`,
        'source = "registry+https://github.com/rust-lang/crates.io-index"',
        `checksum = "${r.chars(HEX, 64)}"`,
        '',
        '',
      ].join('\n'),
    ),
  minified: (r, size) => {
    // Bundles come as very long lines; 1 in 4 is a single line of several MB.
    const lineLength = r.chance(0.25) ? Infinity : r.logSize(2000, 200000);
    const id = () => r.chars('abcdefghijklmnopqrstuvwxyz', r.between(1, 2));
    const pieces = [
      () => `function ${id()}(${id()},${id()}){return ${id()}.${camel(r, 1)}(${id()})||${r.int(99)}}`,
      () =>
        `var ${id()}=${id()}(${r.int(999)}),${id()}=${id()}&&${id()}.__esModule?${id()}:{default:${id()}};`,
      () => `${id()}.prototype.${camel(r)}=function(){this.${camel(r, 1)}=!0,this.${id()}=[]};`,
      () => `if(!${id()})throw new Error("${sentence(r, 4)}");`,
      () =>
        `${id()}("${url(r)}",{method:"${r.pick(['GET', 'POST', 'PUT'])}",headers:{"Content-Type":"application/json"}});`,
      () => `case ${r.int(64)}:${id()}=${id()}[${r.int(8)}];break;`,
      () => `const ${id()}={${camel(r, 1)}:"${kebab(r)}",${camel(r, 1)}:${r.int(1e6)},${camel(r, 1)}:!1};`,
    ];
    let out = '';
    let line = 0;
    while (out.length < size) {
      const p = r.pick(pieces)();
      out += p;
      line += p.length;
      if (line > lineLength) {
        out += '\n';
        line = 0;
      }
    }
    return `${out}\n`;
  },
};

/** Kinds of file, with file names, sizes (bytes: smallest, largest) and their share of the bytes. */
export const KINDS = [
  { kind: 'ts', share: 0.13, size: [300, 40000], name: (r) => `packages/${kebab(r)}/src/${kebab(r)}.ts` },
  { kind: 'py', share: 0.07, size: [300, 30000], name: (r) => `services/${snake(r, 1)}/${snake(r)}.py` },
  { kind: 'go', share: 0.06, size: [300, 30000], name: (r) => `cmd/${kebab(r, 1)}/${snake(r)}.go` },
  { kind: 'java', share: 0.05, size: [400, 30000], name: (r) => `app/src/main/java/${pascal(r)}.java` },
  { kind: 'sh', share: 0.01, size: [200, 8000], name: (r) => `scripts/${kebab(r)}.sh` },
  { kind: 'tf', share: 0.02, size: [300, 20000], name: (r) => `infra/${kebab(r)}/main.tf` },
  { kind: 'dockerfile', share: 0.005, size: [200, 3000], name: (r) => `images/${kebab(r)}/Dockerfile` },
  { kind: 'json', share: 0.07, size: [200, 60000], name: (r) => `config/${kebab(r)}.json` },
  { kind: 'yaml', share: 0.05, size: [300, 40000], name: (r) => `deploy/${kebab(r)}.yaml` },
  {
    kind: 'env',
    share: 0.005,
    size: [100, 2000],
    name: (r) => `services/${snake(r, 1)}/.env.${r.pick(['example', 'local', 'test'])}`,
  },
  { kind: 'markdown', share: 0.09, size: [500, 60000], name: (r) => `docs/${kebab(r)}.md` },
  {
    kind: 'package-lock',
    share: 0.1,
    size: [50000, 3000000],
    name: (r) => `packages/${kebab(r)}/package-lock.json`,
  },
  { kind: 'yarn-lock', share: 0.04, size: [50000, 2000000], name: (r) => `web/${kebab(r)}/yarn.lock` },
  { kind: 'go-sum', share: 0.02, size: [5000, 500000], name: (r) => `cmd/${kebab(r, 1)}/go.sum` },
  { kind: 'cargo-lock', share: 0.02, size: [5000, 500000], name: (r) => `crates/${kebab(r)}/Cargo.lock` },
  {
    kind: 'minified',
    share: 0.26,
    size: [20000, 3000000],
    name: (r) => `web/${kebab(r)}/dist/${kebab(r)}.min.js`,
  },
];

/** Generated text of one kind, about `size` characters. */
export function generate(kind, r, size) {
  const g = GENERATORS[kind];
  if (!g) throw new Error(`Unknown corpus kind ${kind}`);
  return g(r, size);
}

/**
 * The files of a tree of about `totalBytes`: `{ path, text }` in a fixed order. Each kind gets its
 * share of the bytes; sizes within a kind are log-uniform, so there are many small files and a
 * few of several MB.
 */
export function* treeFiles(seed, totalBytes) {
  const r = rng(seed);
  const used = new Set();
  for (const { kind, share, size, name } of KINDS) {
    const budget = totalBytes * share;
    let bytes = 0;
    while (bytes < budget) {
      const want = Math.min(r.logSize(size[0], size[1]), Math.max(size[0], budget - bytes));
      let p = name(r);
      for (let n = 2; used.has(p); n++) p = p.replace(/(\.[^./]*)?$/, (ext) => `-${n}${ext}`);
      used.add(p);
      const text = generate(kind, r, want);
      bytes += Buffer.byteLength(text);
      yield { path: p, kind, text };
    }
  }
}

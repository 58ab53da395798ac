/**
 * One secrets scan as the action and the CLI run it: pick what to scan (the mode), run it with the
 * configured rules, then mark what the baseline accepts. Reports and the gate are the callers'.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Reporter } from '../core/reporter.js';
import { plural } from '../core/text.js';
import { planAuto } from './auto.js';
import { applyBaseline, readBaseline } from './baseline.js';
import { loadSecretsConfig } from './config.js';
import { repositoryOf, scanHistory, scanStaged } from './history.js';
import { ruleSetup, type RuleSetup } from './ruleset.js';
import { DEFAULT_MAX_FILE_BYTES, emptyStats, scanTree, type ScanResult } from './scan.js';
import type { SecretsConfig } from './types.js';

export const DEFAULT_CONFIG = '.imagepipe/secrets.yaml';

export const MODES = ['tree', 'history', 'staged', 'auto'] as const;
export type ScanMode = (typeof MODES)[number];

export interface RunScanOptions {
  mode: ScanMode;
  /** The folder or file to scan (absolute): its repository, for history and staged modes. */
  target: string;
  /** Outside git, tree-mode paths are relative to this folder (the action's workspace). */
  baseOutsideGit?: string;
  /** `git log` revisions and options for history mode (checked by parseLogOpts). Default: every ref. */
  logArgs?: string[];
  exclude?: readonly string[];
  maxFileBytes?: number;
  budgetMs?: number;
  /** A configuration file to load (ours or a .gitleaks.toml); default: `.imagepipe/secrets.yaml` in the repository or scanned folder when there is one. */
  configFile?: { file: string; shown: string };
  baseline?: { file: string; shown: string };
  env?: NodeJS.ProcessEnv;
  reporter: Reporter;
}

export interface RunScanResult extends ScanResult {
  /** What ran: `nothing` when the event had nothing to scan (a deleted branch). */
  ranMode: 'tree' | 'history' | 'staged' | 'nothing';
  /** Findings the baseline accepted. */
  baselined: number;
  /** The rules that ran (a cleanse rescans with them). */
  setup: RuleSetup;
}

/** The configuration file given, or `.imagepipe/secrets.yaml` at the repository's (or folder's) top. */
async function configFor(options: RunScanOptions): Promise<SecretsConfig | undefined> {
  if (options.configFile) {
    const config = await loadSecretsConfig(options.configFile.file, {
      displayName: options.configFile.shown,
    });
    options.reporter.info(`Configuration: ${options.configFile.shown} (${config.format})`);
    return config;
  }
  const folder = fs.statSync(options.target).isDirectory() ? options.target : path.dirname(options.target);
  const top = await repositoryOf(folder, 'configuration lookup').then(
    (r) => (r.bare ? undefined : r.root),
    () => undefined,
  );
  for (const dir of new Set([top, folder, options.baseOutsideGit].filter((d): d is string => Boolean(d)))) {
    const candidate = path.join(dir, DEFAULT_CONFIG);
    if (fs.existsSync(candidate)) {
      const shown =
        path
          .relative(options.baseOutsideGit ?? dir, candidate)
          .split(path.sep)
          .join('/') || DEFAULT_CONFIG;
      options.reporter.info(`Configuration: ${shown}`);
      return loadSecretsConfig(candidate, { displayName: shown });
    }
  }
  return undefined;
}

export async function runScan(options: RunScanOptions): Promise<RunScanResult> {
  const { reporter } = options;
  const config = await configFor(options);
  const setup = ruleSetup(config);
  for (const warning of setup.warnings) reporter.warning(warning);
  // Read the baseline first: a corrupt one fails before a long scan, not after.
  const baseline = options.baseline ? readBaseline(options.baseline.file, options.baseline.shown) : undefined;
  const common = {
    setup,
    config,
    maxFileBytes: options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES,
    budgetMs: options.budgetMs,
    exclude: options.exclude,
    reporter,
  };

  let mode: RunScanResult['ranMode'] = options.mode === 'auto' ? 'tree' : options.mode;
  let result: ScanResult;
  if (options.mode === 'auto') {
    const { root } = await repositoryOf(options.target, 'mode auto').catch(() => ({ root: undefined }));
    const plan = root ? await planAuto(root, options.env ?? process.env, reporter) : undefined;
    if (!plan || plan.mode === 'tree') {
      reporter.info(`mode auto: ${plan?.reason ?? 'not in a git repository: scanning the files'}`);
      result = await scanTree({ ...common, root: options.target, baseOutsideGit: options.baseOutsideGit });
      result.scope = 'the working tree';
    } else if (plan.mode === 'nothing') {
      reporter.info(`mode auto: ${plan.reason}`);
      mode = 'nothing';
      result = {
        base: root!,
        findings: [],
        stats: emptyStats('history'),
        rules: setup.rules,
        scope: 'nothing',
      };
    } else {
      mode = 'history';
      reporter.info(`mode auto: scanning ${plan.description}`);
      result = await scanHistory({
        ...common,
        repo: root!,
        logArgs: plan.logArgs,
        description: plan.description,
        requireCommits: !plan.allowEmpty,
      });
      if (result.stats.commitsScanned === 0)
        reporter.info(`mode auto: ${plan.description} hold no new commit.`);
      result.scope = plan.description;
    }
  } else if (options.mode === 'history') {
    result = await scanHistory({ ...common, repo: options.target, logArgs: options.logArgs });
    result.scope = options.logArgs?.length
      ? `git log ${options.logArgs.join(' ')}`
      : 'the history of every ref';
  } else if (options.mode === 'staged') {
    result = await scanStaged({ ...common, repo: options.target });
    result.scope = 'the staged changes';
  } else {
    result = await scanTree({ ...common, root: options.target, baseOutsideGit: options.baseOutsideGit });
    result.scope = 'the working tree';
  }

  let baselined = 0;
  if (baseline && options.baseline) {
    baselined = applyBaseline(result.findings, baseline, options.baseline.shown);
    reporter.info(`The baseline ${options.baseline.shown} accepted ${plural(baselined, 'finding')}.`);
  }
  return { ...result, ranMode: mode, baselined, setup };
}

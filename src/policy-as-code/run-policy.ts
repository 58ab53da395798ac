/**
 * One policy run as both front ends need it: find and read the configuration, load custom rule
 * files and Guard rule files, decide the active rules and the inline-suppression policy, scan,
 * then run cfn-guard over the CloudFormation templates the scan found and merge its findings.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { UserError } from '../core/errors.js';
import type { Reporter } from '../core/reporter.js';
import { activeRules, emptyConfig, loadCustomRules, loadPolicyConfig, type PolicyConfig } from './config.js';
import type { GuardRulesInput } from './guard-rules.js';
import { planGuard, scanGuard } from './guard-scan.js';
import { BUILTIN_RULES } from './rules/index.js';
import { scanPolicies, type PolicyScanResult } from './scan.js';
import type { Rule, Severity } from './types.js';

export const DEFAULT_CONFIG = path.join('.imagepipe', 'policy.yaml');

export interface RunPolicyOptions {
  /** Absolute path of the folder or file to scan. */
  target: string;
  /** Where the default configuration is looked for, and relative paths are shown from. */
  workspace: string;
  configFile?: { file: string; shown: string };
  customRules?: Array<{ file: string; shown: string }>;
  /** CloudFormation Guard rule files or folders (the input/flag; the configuration may add more). */
  guardRules?: GuardRulesInput[];
  /**
   * Finds (or installs) cfn-guard and returns its path; called only when there are Guard rules and
   * CloudFormation templates. Without one, Guard rules are an error.
   */
  cfnGuard?: () => Promise<string>;
  /** The input/flag; undefined leaves it to the configuration (default: allowed). */
  allowInlineSuppressions?: boolean;
  /** The input/flag; undefined leaves it to the configuration (default: high). */
  severityThreshold?: Severity;
  exclude?: readonly string[];
  reporter: Reporter;
}

export interface PolicyRun {
  result: PolicyScanResult;
  config: PolicyConfig;
  threshold: Severity;
  allowInline: boolean;
}

function findDefaultConfig(options: RunPolicyOptions): { file: string; shown: string } | undefined {
  const start = fs.statSync(options.target).isFile() ? path.dirname(options.target) : options.target;
  for (const dir of new Set([start, options.workspace])) {
    const file = path.join(dir, DEFAULT_CONFIG);
    if (fs.existsSync(file)) return { file, shown: path.relative(options.workspace, file) || file };
  }
  return undefined;
}

export async function runPolicy(options: RunPolicyOptions): Promise<PolicyRun> {
  const started = Date.now();
  const builtinIds = new Set(BUILTIN_RULES.map((r) => r.id));
  const configFile = options.configFile ?? findDefaultConfig(options);
  const config = configFile
    ? loadPolicyConfig(configFile.file, {
        builtinIds,
        displayName: configFile.shown,
        workspace: options.workspace,
      })
    : emptyConfig();
  if (configFile) options.reporter.info(`Configuration: ${configFile.shown}`);
  const taken = new Set([...builtinIds, ...config.customRules.map((r) => r.id)]);
  const extra: Rule[] = [];
  for (const f of options.customRules ?? []) extra.push(...loadCustomRules(f.file, taken, f.shown));
  config.customRules.push(...extra);
  const rules = activeRules(BUILTIN_RULES, config);
  const guard = planGuard(options.guardRules ?? [], config, options.workspace);
  if (guard) rules.push(...guard.rules);
  const allowInline = options.allowInlineSuppressions ?? config.allowInlineSuppressions ?? true;
  const threshold = options.severityThreshold ?? config.severityThreshold ?? 'high';
  const result = await scanPolicies({
    path: options.target,
    rules,
    config,
    ...(options.exclude ? { exclude: options.exclude } : {}),
    allowInlineSuppressions: allowInline,
    reporter: options.reporter,
    ...(guard ? { onDoc: guard.collect } : {}),
  });
  if (guard) {
    await scanGuard({
      plan: guard,
      result,
      config,
      allowInline,
      cfnGuard:
        options.cfnGuard ??
        (() =>
          Promise.reject(new UserError('Guard rules need cfn-guard, and this run has no way to find it.'))),
      reporter: options.reporter,
    });
    result.durationMs = Date.now() - started;
  }
  return { result, config, threshold, allowInline };
}

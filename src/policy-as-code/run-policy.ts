/**
 * One policy run as both front ends need it: find and read the configuration, load custom rule
 * files, decide the active rules and the inline-suppression policy, scan.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Reporter } from '../core/reporter.js';
import { activeRules, emptyConfig, loadCustomRules, loadPolicyConfig, type PolicyConfig } from './config.js';
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
  const allowInline = options.allowInlineSuppressions ?? config.allowInlineSuppressions ?? true;
  const threshold = options.severityThreshold ?? config.severityThreshold ?? 'high';
  const result = await scanPolicies({
    path: options.target,
    rules,
    config,
    ...(options.exclude ? { exclude: options.exclude } : {}),
    allowInlineSuppressions: allowInline,
    reporter: options.reporter,
  });
  return { result, config, threshold, allowInline };
}

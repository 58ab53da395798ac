/**
 * Guard rules inside a policy run. Before the scan: the rule files are read (from the input/flag
 * and the configuration's `guard-rules`), the configuration's `rules:` entries for `guard:` ids
 * are checked, and the plan keeps the CloudFormation documents the scan parses. After it:
 * cfn-guard checks those templates, and its findings get the same treatment as the others: rule
 * settings (off, severity, per-rule exclude) and in-source suppressions.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import picomatch from 'picomatch';
import { configError, didYouMean } from '../core/config.js';
import type { Reporter } from '../core/reporter.js';
import type { PolicyConfig } from './config.js';
import { GUARD_ERROR_RULE, runGuard, type GuardTarget } from './guard.js';
import { GUARD_PREFIX, loadGuardRules, type GuardRuleSet, type GuardRulesInput } from './guard-rules.js';
import { Lines } from './parse/positions.js';
import type { PolicyScanResult } from './scan.js';
import { commentMarkers, metadataMarkers, ruleIndex, suppressionFor } from './suppress.js';
import type { Doc, PolicyFinding, Rule } from './types.js';

export interface GuardPlan {
  set: GuardRuleSet;
  /** The Guard rules that are on, severities as configured. */
  rules: Rule[];
  /** Keeps a document the scan parsed, when it is a CloudFormation template (the scan's `onDoc`). */
  collect(doc: Doc): void;
  docs: Doc[];
}

/** Reads the rule files and checks `guard:` settings; undefined when there are no Guard rules. */
export function planGuard(
  inputs: readonly GuardRulesInput[],
  config: PolicyConfig,
  workspace: string,
): GuardPlan | undefined {
  const fromConfig = config.guardRules.map((file) => ({
    file,
    shown: path.relative(workspace, file).split(path.sep).join('/') || file,
  }));
  const all = [...inputs, ...fromConfig];
  const set = all.length > 0 ? loadGuardRules(all) : undefined;
  for (const [id, setting] of config.rules) {
    if (!id.startsWith(GUARD_PREFIX)) continue;
    const name = id.slice(GUARD_PREFIX.length);
    if (set?.byName.has(name)) continue;
    throw configError(
      config.file ?? 'the configuration',
      setting.line,
      'rules',
      `unknown Guard rule '${id}'`,
      set
        ? `Name a rule declared in the Guard rule files (${set.files.length} read).${didYouMean(
            id,
            set.rules.map((r) => r.id),
          )}`
        : 'No Guard rule files are given: add them with the guard-rules input or key',
    );
  }
  if (!set) return undefined;
  const docs: Doc[] = [];
  const rules = set.rules
    .filter((r) => config.rules.get(r.id)?.enabled !== false)
    .map((r) => {
      const severity = config.rules.get(r.id)?.severity;
      return severity ? { ...r, severity } : r;
    });
  const collect = (doc: Doc): void => {
    if (doc.format === 'cloudformation') docs.push(doc);
  };
  return { set, rules, collect, docs };
}

function byLocation(a: PolicyFinding, b: PolicyFinding): number {
  return (
    a.file.localeCompare(b.file) ||
    a.pos.line - b.pos.line ||
    a.pos.column - b.pos.column ||
    a.ruleId.localeCompare(b.ruleId)
  );
}

/** Config settings (off, severity, exclude) and in-source markers, applied to Guard findings. */
function settle(
  findings: PolicyFinding[],
  result: PolicyScanResult,
  docs: ReadonlyMap<string, Doc>,
  config: PolicyConfig,
  allowInline: boolean,
): PolicyFinding[] {
  const index = ruleIndex(result.rules);
  const markersByFile = new Map<string, ReturnType<typeof commentMarkers>['markers']>();
  const markersOf = (doc: Doc) => {
    let markers = markersByFile.get(doc.file);
    if (!markers) {
      let lines: Lines;
      try {
        lines = new Lines(fs.readFileSync(path.join(result.base, doc.file), 'utf8'));
      } catch {
        lines = new Lines('');
      }
      markers = [
        ...commentMarkers(doc, index, (n) => lines.line(n), lines.count).markers,
        ...doc.resources.flatMap((r) => metadataMarkers(r, index)),
      ];
      markersByFile.set(doc.file, markers);
    }
    return markers;
  };
  const kept: PolicyFinding[] = [];
  for (const f of findings) {
    const setting = config.rules.get(f.ruleId);
    if (setting?.enabled === false) continue;
    if (setting?.severity) f.severity = setting.severity;
    if (setting?.exclude?.length && picomatch(setting.exclude, { dot: true })(f.file)) {
      f.suppression = {
        kind: 'external',
        via: 'config',
        justification: `excluded for ${f.file} by the configuration`,
      };
    } else {
      const doc = docs.get(f.file);
      const inSource = doc ? suppressionFor(f, markersOf(doc)) : undefined;
      if (inSource) {
        if (allowInline) f.suppression = inSource;
        else result.ignoredSuppressions++;
      }
    }
    kept.push(f);
  }
  return kept;
}

export interface GuardScanOptions {
  plan: GuardPlan;
  result: PolicyScanResult;
  config: PolicyConfig;
  allowInline: boolean;
  /** Finds (or installs) cfn-guard; only called when there is a template to check. */
  cfnGuard: () => Promise<string>;
  reporter: Reporter;
}

/** Runs cfn-guard over the scanned templates and merges its findings into the result. */
export async function scanGuard(options: GuardScanOptions): Promise<void> {
  const { plan, result } = options;
  result.rules.push(GUARD_ERROR_RULE);
  const docs = new Map<string, Doc>();
  for (const doc of plan.docs) if (!docs.has(doc.file)) docs.set(doc.file, doc);
  if (plan.rules.length === 0) return;
  if (docs.size === 0) {
    options.reporter.info('Guard rules: the scan found no CloudFormation template to check.');
    return;
  }
  const binary = await options.cfnGuard();
  const targets: GuardTarget[] = [...docs.values()].map((doc) => ({
    doc,
    absolute: path.join(result.base, ...doc.file.split('/')),
  }));
  const run = await runGuard({
    binary,
    ruleFiles: plan.set.files,
    rules: plan.set.byName,
    targets,
    base: result.base,
    reporter: options.reporter,
  });
  const known = new Set(result.rules.map((r) => r.id));
  for (const r of run.extraRules) if (!known.has(r.id)) result.rules.push(r);
  result.findings.push(...settle(run.findings, result, docs, options.config, options.allowInline));
  result.findings.sort(byLocation);
}

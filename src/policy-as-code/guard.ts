/**
 * CloudFormation Guard rules, evaluated by the real cfn-guard. The templates the scan parsed are
 * handed to `cfn-guard validate --structured --output-format json` in a few batches run in
 * parallel (one process per core; each parses every rule file once for its whole batch), and
 * each failed clause in its report becomes a finding at the exact line: cfn-guard names the
 * value it checked by a path (`/Resources/Logs/Properties/PublicAccessBlockConfiguration`), which
 * is looked up in the scan's own document model, so a finding points at the property when it is
 * there, else at the resource's first line.
 *
 * Only a cfn-guard that cannot be started ends the run (a UserError). A rules file cfn-guard
 * cannot parse, or a template it cannot read, is a `guard-error` finding on that file, and the
 * other files are still checked; a batch whose output is not a report is split until the file
 * at fault is found.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import { relativePosix } from '../core/files.js';
import { errorMessage, isUserError } from '../core/errors.js';
import { execFile, type ExecResult } from '../core/exec.js';
import { eachLimited } from '../core/pool.js';
import type { Reporter } from '../core/reporter.js';
import { plural } from '../core/text.js';
import { policyFingerprint } from './engine.js';
import { undeclaredGuardRule, type GuardRulesInput } from './guard-rules.js';
import { locate, type Located } from './guard-locate.js';
import { failuresOf, parseGuardReport, type FileReport, type GuardFailure } from './guard-report.js';
import type { Doc, PolicyFinding, Pos, Rule } from './types.js';

export const GUARD_ERROR_RULE: Rule = {
  id: 'guard-error',
  title: 'cfn-guard could not check this file',
  severity: 'high',
  description:
    'cfn-guard could not parse this Guard rules file, or could not read this CloudFormation template, so the Guard rules were not applied to it. The rest of the run went on.',
  fix: 'Fix the syntax at the line shown (the message is cfn-guard’s); `cfn-guard validate --rules <file> --data <template>` shows the same error.',
  refs: {},
  formats: [],
  check: () => [],
  origin: 'cfn-guard',
};

/** Findings for one template: failures at the same place for the same rule become one finding. */
export function guardFindings(
  doc: Doc,
  failures: readonly GuardFailure[],
  rules: ReadonlyMap<string, Rule>,
): PolicyFinding[] {
  const groups = new Map<string, { rule: Rule; at: Located; details: string[]; custom?: string }>();
  for (const f of failures) {
    const rule = rules.get(f.rule) ?? undeclaredGuardRule(f.rule);
    const at = locate(doc, f.path, f.line);
    const key = `${rule.id}\0${at.pos.line}:${at.pos.column}`;
    let group = groups.get(key);
    if (!group) {
      group = { rule, at, details: [] };
      groups.set(key, group);
    }
    if (!group.details.includes(f.detail)) group.details.push(f.detail);
    group.custom ??= f.custom;
  }
  return [...groups.values()].map(({ rule, at, details, custom }) => {
    const resource = at.resource ? `${at.resource.type} ${at.resource.name}` : undefined;
    const message = `${at.resource ? `${at.resource.name}: ` : ''}${details.join('; ')}${custom ? `. ${custom}` : ''}`;
    return {
      ruleId: rule.id,
      severity: rule.severity,
      title: rule.title,
      message,
      file: doc.file,
      format: doc.format,
      pos: at.pos,
      ...(resource ? { resource } : {}),
      fingerprint: policyFingerprint(rule.id, doc.file, resource, message),
    };
  });
}

// ---- running cfn-guard

export interface GuardTarget {
  doc: Doc;
  /** The template on disk. */
  absolute: string;
}

export interface GuardRunOptions {
  binary: string;
  ruleFiles: readonly GuardRulesInput[];
  /** Rules by cfn-guard name, for their ids, titles and default severity. */
  rules: ReadonlyMap<string, Rule>;
  targets: readonly GuardTarget[];
  /** Where finding paths are relative to (for errors in rule files). */
  base: string;
  reporter: Reporter;
  /** Processes at once; default: one per core. */
  parallelism?: number;
  /** Templates per cfn-guard process at most; default 50. */
  batchSize?: number;
}

export interface GuardRunResult {
  findings: PolicyFinding[];
  /** Rules reported by cfn-guard that no file declared (cfn-guard's `default`). */
  extraRules: Rule[];
  processes: number;
  durationMs: number;
}

const RULES_ERROR = /Parsing error handling rule file = (.+?), Error = ([\s\S]*?)(?:\n---|$)/g;
const DATA_ERROR = /parsing data file: (.+?), data beginning with/;

function errorPos(message: string): Pos {
  const m = /at line (\d+) at column (\d+)/.exec(message);
  const line = m ? Math.max(1, Number(m[1])) : 1;
  const column = m ? Math.max(1, Number(m[2])) : 1;
  return { line, column, endLine: line, endColumn: column };
}

function cleanError(text: string): string {
  return text
    .replace(/^Parser Error when parsing `?/, '')
    .replace(/^Parsing Error /, '')
    .replace(/`\s*$/, '')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 400);
}

class GuardRun {
  readonly findings: PolicyFinding[] = [];
  readonly extra = new Map<string, Rule>();
  private readonly rulesErrors = new Set<string>();
  processes = 0;

  constructor(
    private readonly options: GuardRunOptions,
    private readonly byPath: Map<string, GuardTarget>,
  ) {}

  private argv(files: readonly string[]): string[] {
    return [
      'validate',
      ...this.options.ruleFiles.flatMap((f) => ['--rules', f.file]),
      ...files.flatMap((f) => ['--data', f]),
      '--output-format',
      'json',
      '--structured',
      '--show-summary',
      'none',
    ];
  }

  private errorFinding(file: string, pos: Pos, message: string): PolicyFinding {
    return {
      ruleId: GUARD_ERROR_RULE.id,
      severity: GUARD_ERROR_RULE.severity,
      title: GUARD_ERROR_RULE.title,
      message,
      file,
      format: 'cloudformation',
      pos,
      fingerprint: policyFingerprint(GUARD_ERROR_RULE.id, file, undefined, message),
    };
  }

  /** `Parsing error handling rule file = <base name>`: cfn-guard names the file without its folder. */
  private async rulesFileErrors(stderr: string): Promise<void> {
    for (const m of stderr.matchAll(RULES_ERROR)) {
      const name = m[1]!.trim();
      if (this.rulesErrors.has(name)) continue;
      this.rulesErrors.add(name);
      const candidates = this.options.ruleFiles.filter(
        (f) => f.file === name || f.file.endsWith(`/${name}`) || f.shown === name,
      );
      const broken = candidates.length > 1 ? await this.whichBroken(candidates) : candidates;
      for (const f of broken.length ? broken : candidates) {
        const message = `cfn-guard cannot parse the rules file ${f.shown}, so its rules were not applied: ${cleanError(m[2]!)}`;
        const inside = relativePosix(this.options.base, f.file);
        const file = inside.startsWith('..') ? f.shown : inside;
        this.options.reporter.warning(message);
        this.findings.push(this.errorFinding(file, errorPos(m[2]!), message));
      }
    }
  }

  /** Two files share a base name: `cfn-guard parse-tree` tells which one does not parse. */
  private async whichBroken(candidates: GuardRulesInput[]): Promise<GuardRulesInput[]> {
    const broken: GuardRulesInput[] = [];
    for (const f of candidates) {
      const r = await execFile(this.options.binary, ['parse-tree', '--rules', f.file], {
        okExitCodes: 'any',
        silent: true,
      });
      if (r.exitCode !== 0) broken.push(f);
    }
    return broken;
  }

  private templateError(target: GuardTarget, detail: string): void {
    const message = `cfn-guard cannot read this template, so the Guard rules were not applied to it: ${cleanError(detail)}`;
    this.options.reporter.warning(`${target.doc.file}: ${message}`);
    this.findings.push(
      this.errorFinding(target.doc.file, { line: 1, column: 1, endLine: 1, endColumn: 1 }, message),
    );
  }

  private target(name: string): GuardTarget | undefined {
    const direct = this.byPath.get(name);
    if (direct) return direct;
    try {
      return this.byPath.get(fs.realpathSync(name));
    } catch {
      return undefined;
    }
  }

  /** One batch; a template cfn-guard cannot read is taken out and the rest run again. */
  async batch(files: string[]): Promise<void> {
    if (files.length === 0) return;
    let result: ExecResult | undefined;
    let failure = '';
    try {
      this.processes++;
      result = await execFile(this.options.binary, this.argv(files), {
        okExitCodes: 'any',
        silent: true,
        reporter: this.options.reporter,
      });
    } catch (error) {
      // cfn-guard missing is the run's problem, not a template's.
      if (isUserError(error)) throw error;
      failure = errorMessage(error);
    }
    if (result) await this.rulesFileErrors(result.stderr);
    let reports: FileReport[] | undefined;
    try {
      if (result) reports = parseGuardReport(result.stdout);
    } catch {
      failure =
        (result?.stderr || result?.stdout || '').trim() || `cfn-guard exited with code ${result?.exitCode}`;
    }
    if (reports) {
      for (const report of reports) {
        const target = this.target(report.name);
        if (!target) {
          this.options.reporter.debug(`cfn-guard reported on ${report.name}, which was not asked for`);
          continue;
        }
        const failures = failuresOf(report);
        for (const f of failures)
          if (!this.options.rules.has(f.rule) && !this.extra.has(f.rule))
            this.extra.set(f.rule, undeclaredGuardRule(f.rule));
        this.findings.push(
          ...guardFindings(target.doc, failures, new Map([...this.options.rules, ...this.extra])),
        );
      }
      return;
    }
    const bad = DATA_ERROR.exec(failure)?.[1];
    const badTarget = bad ? this.target(bad.trim()) : undefined;
    if (badTarget && files.includes(badTarget.absolute)) {
      this.templateError(badTarget, failure.replace(/^Error occurred /, ''));
      return this.batch(files.filter((f) => f !== badTarget.absolute));
    }
    if (files.length > 1) {
      const half = Math.ceil(files.length / 2);
      await this.batch(files.slice(0, half));
      return this.batch(files.slice(half));
    }
    const only = this.byPath.get(files[0]!);
    if (only) this.templateError(only, failure.replace(/^Error occurred /, ''));
  }
}

/** Runs cfn-guard over every target with every rule file, and returns the findings. */
export async function runGuard(options: GuardRunOptions): Promise<GuardRunResult> {
  const started = Date.now();
  const byPath = new Map<string, GuardTarget>();
  for (const t of options.targets) if (!byPath.has(t.absolute)) byPath.set(t.absolute, t);
  const files = [...byPath.keys()];
  // cfn-guard names each file by its real path.
  for (const t of options.targets) {
    try {
      const real = fs.realpathSync(t.absolute);
      if (!byPath.has(real)) byPath.set(real, t);
    } catch {
      // a file that is gone: cfn-guard reports it
    }
  }
  const run = new GuardRun(options, byPath);
  const parallelism = Math.max(1, options.parallelism ?? os.availableParallelism());
  const size = Math.max(1, Math.min(options.batchSize ?? 50, Math.ceil(files.length / parallelism)));
  const batches: string[][] = [];
  for (let i = 0; i < files.length; i += size) batches.push(files.slice(i, i + size));
  await eachLimited(batches, parallelism, (b) => run.batch(b));
  const durationMs = Date.now() - started;
  options.reporter.info(
    `cfn-guard: ${plural(options.ruleFiles.length, 'rules file')} over ${plural(files.length, 'template')} in ${plural(run.processes, 'process', 'processes')}, ${plural(run.findings.length, 'finding')}, ${durationMs} ms`,
  );
  return {
    findings: run.findings,
    extraRules: [...run.extra.values()],
    processes: run.processes,
    durationMs,
  };
}

/**
 * What a policy scan shows: SARIF (suppressed findings included, with `suppressions`), JSON,
 * JUnit (one test case per rule and file), the job summary grouped by severity, annotations for
 * what fails the gate, and terminal text.
 */
import type { Annotation } from '../core/reporter.js';
import { renderJUnit, type JUnitCase } from '../core/junit.js';
import { buildSarif, type SarifLog } from '../core/sarif.js';
import { Summary } from '../core/summary.js';
import { plural } from '../core/text.js';
import { HOMEPAGE, VERSION } from '../core/version.js';
import type { PolicyScanResult } from './scan.js';
import { SEVERITIES, type PolicyFinding, type Rule, type Severity } from './types.js';

export const TOOL_NAME = 'imagepipe policy-as-code';

const RANK: Record<Severity, number> = { critical: 4, high: 3, medium: 2, low: 1 };

export function atOrAbove(severity: Severity, threshold: Severity): boolean {
  return RANK[severity] >= RANK[threshold];
}

export function unsuppressed(findings: readonly PolicyFinding[]): PolicyFinding[] {
  return findings.filter((f) => !f.suppression);
}

/** The findings that fail the gate: not suppressed, at or above the threshold. */
export function failing(findings: readonly PolicyFinding[], threshold: Severity): PolicyFinding[] {
  return findings.filter((f) => !f.suppression && atOrAbove(f.severity, threshold));
}

function refsText(rule: Rule): string {
  const parts = [
    rule.refs.cfn_nag?.length ? `cfn_nag ${rule.refs.cfn_nag.join(', ')}` : '',
    rule.refs.checkov?.length ? `checkov ${rule.refs.checkov.join(', ')}` : '',
    rule.refs.kics?.length ? `KICS ${rule.refs.kics.join(', ')}` : '',
  ].filter(Boolean);
  return parts.length ? `Equivalent checks: ${parts.join('; ')}.` : '';
}

export function ruleHelp(rule: Rule): string {
  return [rule.description, `**Fix:** ${rule.fix}`, refsText(rule)].filter(Boolean).join('\n\n');
}

function occurrenceIndex(findings: readonly PolicyFinding[]): number[] {
  const seen = new Map<string, number>();
  return findings.map((f) => {
    const n = seen.get(f.fingerprint) ?? 0;
    seen.set(f.fingerprint, n + 1);
    return n;
  });
}

export function toSarif(result: PolicyScanResult): SarifLog {
  const occurrences = occurrenceIndex(result.findings);
  return buildSarif(
    { name: TOOL_NAME, version: VERSION, informationUri: HOMEPAGE },
    result.rules.map((r) => ({
      id: r.id,
      name: r.title,
      shortDescription: r.title,
      fullDescription: r.description,
      help: ruleHelp(r),
      severity: r.severity,
      tags: ['iac', ...r.formats, ...(r.origin && r.origin !== 'builtin' ? [r.origin] : [])],
    })),
    result.findings.map((f, i) => ({
      ruleId: f.ruleId,
      severity: f.severity,
      message: f.message,
      path: f.file,
      startLine: f.pos.line,
      startColumn: f.pos.column,
      endLine: f.pos.endLine,
      ...(f.pos.endLine === f.pos.line && f.pos.endColumn > f.pos.column
        ? { endColumn: f.pos.endColumn }
        : {}),
      fingerprint: occurrences[i]! > 0 ? `${f.fingerprint}:${occurrences[i]}` : f.fingerprint,
      properties: { format: f.format, ...(f.resource ? { resource: f.resource } : {}), severity: f.severity },
      ...(f.suppression
        ? {
            suppression: {
              kind: f.suppression.kind,
              justification: `${f.suppression.via}: ${f.suppression.justification}`,
            },
          }
        : {}),
    })),
  );
}

export function toJson(result: PolicyScanResult, threshold: Severity) {
  return {
    tool: TOOL_NAME,
    version: VERSION,
    severityThreshold: threshold,
    findings: result.findings.map((f) => ({
      rule: f.ruleId,
      title: f.title,
      severity: f.severity,
      format: f.format,
      path: f.file,
      line: f.pos.line,
      column: f.pos.column,
      ...(f.resource ? { resource: f.resource } : {}),
      message: f.message,
      fingerprint: f.fingerprint,
      failsGate: !f.suppression && atOrAbove(f.severity, threshold),
      suppressed: f.suppression ?? false,
    })),
    stats: {
      filesListed: result.filesListed,
      filesRead: result.filesRead,
      filesByFormat: result.filesByFormat,
      excluded: result.excluded,
      ignoredSuppressions: result.ignoredSuppressions,
      durationMs: result.durationMs,
    },
  };
}

/** JUnit: a suite per format, a case per (rule, file) with findings, failing when it fails the gate. */
export function toJUnit(result: PolicyScanResult, threshold: Severity): string {
  const groups = new Map<string, PolicyFinding[]>();
  for (const f of unsuppressed(result.findings)) {
    const key = `${f.format}\0${f.file}\0${f.ruleId}`;
    groups.set(key, [...(groups.get(key) ?? []), f]);
  }
  const suites = new Map<string, JUnitCase[]>();
  for (const [key, list] of groups) {
    const [format, file, ruleId] = key.split('\0') as [string, string, string];
    const first = list[0]!;
    const details = list.map((f) => `${f.file}:${f.pos.line}:${f.pos.column}: ${f.message}`).join('\n');
    const problem = { message: `${first.title} (${first.severity})`, type: ruleId, details };
    const c: JUnitCase = {
      name: `${ruleId} ${file}`,
      classname: `policy-as-code.${format}`,
      ...(atOrAbove(first.severity, threshold) ? { failure: problem } : { systemOut: details }),
    };
    suites.set(format, [...(suites.get(format) ?? []), c]);
  }
  return renderJUnit(
    [...suites].map(([format, cases]) => ({ name: `policy-as-code ${format}`, cases })),
    'imagepipe policy-as-code',
  );
}

function location(f: PolicyFinding): string {
  return `${f.file}:${f.pos.line}`;
}

/** Annotations for the findings that fail the gate, then warnings for those below it. */
export function annotations(result: PolicyScanResult, threshold: Severity): Annotation[] {
  return unsuppressed(result.findings).map((f) => ({
    level: atOrAbove(f.severity, threshold) ? 'error' : 'warning',
    title: `${f.severity}: ${f.title}`,
    message: `${f.message} [${f.ruleId}]`,
    file: f.file,
    line: f.pos.line,
    endLine: f.pos.endLine,
    ...(f.pos.endLine === f.pos.line ? { column: f.pos.column } : {}),
  }));
}

export function countLine(result: PolicyScanResult, threshold: Severity): string {
  const open = unsuppressed(result.findings);
  const failed = failing(result.findings, threshold).length;
  const suppressed = result.findings.length - open.length;
  const head =
    open.length === 0
      ? 'No policy findings'
      : `${plural(open.length, 'policy finding')}, ${failed} at or above ${threshold}`;
  return `${head}${suppressed ? ` (${suppressed} more suppressed)` : ''}.`;
}

export function statsLine(result: PolicyScanResult): string {
  const per = Object.entries(result.filesByFormat)
    .filter(([, n]) => n > 0)
    .map(([format, n]) => `${n} ${format}`);
  return (
    `Read ${plural(result.filesRead, 'file')} of ${result.filesListed} listed` +
    (per.length ? ` (${per.join(', ')})` : '') +
    ` in ${result.durationMs} ms` +
    (result.excluded ? `; ${result.excluded} excluded` : '') +
    (result.ignoredSuppressions
      ? `; ${plural(result.ignoredSuppressions, 'in-source suppression')} ignored because inline suppressions are not allowed`
      : '') +
    '.'
  );
}

export function summaryOf(result: PolicyScanResult, threshold: Severity, sarifFile?: string): Summary {
  const summary = new Summary().heading('Policy as code');
  summary.paragraph(`${countLine(result, threshold)} Findings at or above ${threshold} fail the step.`);
  const open = unsuppressed(result.findings);
  for (const severity of SEVERITIES) {
    const list = open.filter((f) => f.severity === severity);
    if (list.length === 0) continue;
    summary.heading(
      `${severity[0]!.toUpperCase()}${severity.slice(1)} (${list.length})${atOrAbove(severity, threshold) ? ', fails the step' : ''}`,
      3,
    );
    summary.table(
      ['Rule', 'Location', 'Resource', 'Message'],
      list.map((f) => [{ code: f.ruleId }, { code: location(f) }, f.resource ?? '', f.message]),
    );
  }
  const suppressed = result.findings.filter((f) => f.suppression);
  if (suppressed.length > 0) {
    summary.heading(`Suppressed (${suppressed.length})`, 3);
    summary.table(
      ['Rule', 'Location', 'By', 'Reason'],
      suppressed.map((f) => [
        { code: f.ruleId },
        { code: location(f) },
        f.suppression!.via,
        f.suppression!.justification,
      ]),
    );
  }
  summary.paragraph(statsLine(result) + (sarifFile ? ` SARIF report: ${sarifFile}.` : ''));
  return summary;
}

export const SKIP_HELP =
  'To accept a finding, add `# imagepipe:skip=<rule-id> <reason>` on or above its line (or inside its resource), or change the rule in .imagepipe/policy.yaml.';

export function toText(result: PolicyScanResult, threshold: Severity): string {
  const lines = unsuppressed(result.findings).map(
    (f) => `${f.file}:${f.pos.line}:${f.pos.column}: ${f.severity}: ${f.ruleId}: ${f.message}`,
  );
  lines.push(countLine(result, threshold), statsLine(result));
  if (failing(result.findings, threshold).length > 0) lines.push(SKIP_HELP);
  return `${lines.join('\n')}\n`;
}

/**
 * What a secrets scan shows: SARIF, a JSON report, the job summary, annotations and terminal text.
 * Everything here is built from `redacted` values; the secret itself never leaves the engine.
 */
import type { Annotation } from '../core/reporter.js';
import { buildSarif, type SarifLog } from '../core/sarif.js';
import { Summary } from '../core/summary.js';
import { plural } from '../core/text.js';
import { HOMEPAGE, VERSION } from '../core/version.js';
import type { ScanResult } from './scan.js';
import type { Finding, SecretRule } from './types.js';

export const TOOL_NAME = 'imagepipe secrets-scan';

function ruleMap(rules: readonly SecretRule[]): Map<string, SecretRule> {
  return new Map(rules.map((r) => [r.id, r]));
}

function titleOf(rules: Map<string, SecretRule>, id: string): string {
  return rules.get(id)?.title ?? id;
}

/** `in commit 0a1b2c3d4e5f (Ada, 2026-01-02)` for a history finding, else empty. */
function commitNote(finding: Finding): string {
  const c = finding.commit;
  return c ? ` in commit ${c.sha.slice(0, 12)} (${c.author}, ${c.date.slice(0, 10)})` : '';
}

export function findingMessage(finding: Finding, rules: Map<string, SecretRule>): string {
  return `${titleOf(rules, finding.ruleId)} found${commitNote(finding)}: ${finding.redacted}. Revoke it, then remove it from the code and its history.`;
}

/** The findings that fail the scan: neither allowed inline nor in the baseline. */
export function unsuppressed(findings: readonly Finding[]): Finding[] {
  return findings.filter((f) => !f.suppression);
}

/**
 * For each finding, how many findings before it share its fingerprint (the same secret twice in
 * one file, or in several commits): code scanning would merge results with equal fingerprints.
 */
function occurrenceIndex(findings: readonly Finding[]): number[] {
  const seen = new Map<string, number>();
  return findings.map((f) => {
    const n = seen.get(f.fingerprint) ?? 0;
    seen.set(f.fingerprint, n + 1);
    return n;
  });
}

function commitProperties(f: Finding): Record<string, string> {
  return f.commit ? { commit: f.commit.sha, author: f.commit.author, date: f.commit.date } : {};
}

export function toSarif(result: ScanResult): SarifLog {
  const rules = ruleMap(result.rules);
  const occurrences = occurrenceIndex(result.findings);
  return buildSarif(
    { name: TOOL_NAME, version: VERSION, informationUri: HOMEPAGE },
    result.rules.map((r) => ({
      id: r.id,
      name: r.title,
      shortDescription: r.title,
      fullDescription: r.description,
      help: r.description,
      severity: r.severity,
      precision: r.precision,
      tags: ['secret'],
    })),
    result.findings.map((f, i) => ({
      ruleId: f.ruleId,
      severity: rules.get(f.ruleId)?.severity ?? 'high',
      message: findingMessage(f, rules),
      path: f.path,
      startLine: f.line,
      startColumn: f.column,
      endLine: f.endLine,
      endColumn: f.endColumn,
      fingerprint: occurrences[i]! > 0 ? `${f.fingerprint}:${occurrences[i]}` : f.fingerprint,
      properties: { redacted: f.redacted, ...commitProperties(f) },
      ...(f.suppression ? { suppression: f.suppression } : {}),
    })),
  );
}

/** The JSON report: findings without their secrets, and the scan's figures. */
export function toJson(result: ScanResult) {
  const rules = ruleMap(result.rules);
  return {
    tool: TOOL_NAME,
    version: VERSION,
    ...(result.scope ? { scope: result.scope } : {}),
    findings: result.findings.map((f) => ({
      rule: f.ruleId,
      title: titleOf(rules, f.ruleId),
      severity: rules.get(f.ruleId)?.severity,
      path: f.path,
      line: f.line,
      column: f.column,
      redacted: f.redacted,
      fingerprint: f.fingerprint,
      ...(f.commit ? { commit: f.commit } : {}),
      suppressed: f.suppression ? f.suppression : false,
    })),
    stats: result.stats,
  };
}

export function annotationFor(finding: Finding, rules: Map<string, SecretRule>): Annotation {
  return {
    level: 'error',
    title: `Secret: ${titleOf(rules, finding.ruleId)}`,
    message: findingMessage(finding, rules),
    file: finding.path,
    line: finding.line,
    endLine: finding.endLine,
    // The runner takes a column only for a one-line span.
    ...(finding.endLine === finding.line ? { column: finding.column } : {}),
  };
}

/** One annotation per finding that fails the scan. */
export function annotations(result: ScanResult): Annotation[] {
  const rules = ruleMap(result.rules);
  return unsuppressed(result.findings).map((f) => annotationFor(f, rules));
}

function statsLine(result: ScanResult): string {
  const s = result.stats;
  const skipped = [
    s.skippedBinary && `${s.skippedBinary} binary`,
    s.skippedTooLarge && `${s.skippedTooLarge} over the size limit`,
    s.skippedExcluded && `${s.skippedExcluded} excluded`,
    s.unreadable && `${s.unreadable} unreadable`,
    s.overBudget && `${s.overBudget} partly, over the time budget`,
  ].filter(Boolean);
  const what =
    s.source === 'history'
      ? `${plural(s.commitsScanned, 'commit')} (${plural(s.filesScanned, 'changed file')}, ${(s.bytesScanned / 1024).toFixed(0)} KiB added)`
      : s.source === 'staged'
        ? `${plural(s.filesScanned, 'staged file')} (${(s.bytesScanned / 1024).toFixed(0)} KiB added)`
        : `${plural(s.filesScanned, 'file')} (${(s.bytesScanned / 1024).toFixed(0)} KiB)`;
  return (
    `Scanned ${what} in ${s.durationMs} ms` +
    (skipped.length ? `; skipped ${skipped.join(', ')}` : '') +
    (s.allowlisted ? `; ${s.allowlisted} allowlisted by the configuration` : '') +
    '.'
  );
}

/** "2 secrets found (1 suppressed)." */
export function countLine(result: ScanResult): string {
  const failing = unsuppressed(result.findings).length;
  const suppressed = result.findings.length - failing;
  const head = failing === 0 ? 'No secrets found' : `${plural(failing, 'secret')} found`;
  return `${head}${suppressed ? ` (${suppressed} more suppressed inline or by the baseline)` : ''}.`;
}

export function summaryOf(result: ScanResult, sarifFile?: string): Summary {
  const rules = ruleMap(result.rules);
  const failing = unsuppressed(result.findings);
  const history = result.findings.some((f) => f.commit);
  const summary = new Summary().heading('Secrets scan');
  summary.paragraph(countLine(result) + (result.scope ? ` Scanned ${result.scope}.` : ''));
  if (result.findings.length > 0) {
    const perRule = new Map<string, { failing: number; suppressed: number }>();
    for (const f of result.findings) {
      const c = perRule.get(f.ruleId) ?? { failing: 0, suppressed: 0 };
      if (f.suppression) c.suppressed++;
      else c.failing++;
      perRule.set(f.ruleId, c);
    }
    summary.table(
      ['Rule', 'Found', 'Suppressed'],
      [...perRule].map(([id, c]) => [titleOf(rules, id), String(c.failing), String(c.suppressed)]),
    );
  }
  if (failing.length > 0) {
    summary.table(
      history ? ['Rule', 'Location', 'Commit', 'Redacted value'] : ['Rule', 'Location', 'Redacted value'],
      failing.map((f) => [
        titleOf(rules, f.ruleId),
        { code: `${f.path}:${f.line}` },
        ...(history
          ? [
              f.commit
                ? { code: `${f.commit.sha.slice(0, 12)} ${f.commit.author} ${f.commit.date.slice(0, 10)}` }
                : '',
            ]
          : []),
        { code: f.redacted },
      ]),
    );
  }
  summary.paragraph(statsLine(result) + (sarifFile ? ` SARIF report: ${sarifFile}.` : ''));
  return summary;
}

export const ALLOW_HELP =
  'To allow a false positive, add an `imagepipe:allow` comment on its line, or accept the current findings into a baseline with `imagepipe secrets-scan --write-baseline .imagepipe/secrets-baseline.json` and pass it with --baseline.';

/** The terminal report: one line per failing finding, then the figures and how to allow a false positive. */
export function toText(result: ScanResult): string {
  const rules = ruleMap(result.rules);
  const failing = unsuppressed(result.findings);
  const lines = failing.map(
    (f) =>
      `${f.path}:${f.line}:${f.column}: ${f.ruleId}: ${titleOf(rules, f.ruleId)}: ${f.redacted}` +
      (f.commit
        ? ` (commit ${f.commit.sha.slice(0, 12)}, ${f.commit.author}, ${f.commit.date.slice(0, 10)})`
        : ''),
  );
  lines.push(countLine(result), statsLine(result));
  if (failing.length > 0) lines.push(ALLOW_HELP);
  return `${lines.join('\n')}\n`;
}

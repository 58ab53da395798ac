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

export function findingMessage(finding: Finding, rules: Map<string, SecretRule>): string {
  return `${titleOf(rules, finding.ruleId)} found: ${finding.redacted}. Revoke it, then remove it from the code and its history.`;
}

/**
 * For each finding, how many findings before it share its fingerprint (the same secret twice in
 * one file): code scanning would merge results with equal fingerprints into one alert.
 */
function occurrenceIndex(findings: readonly Finding[]): number[] {
  const seen = new Map<string, number>();
  return findings.map((f) => {
    const n = seen.get(f.fingerprint) ?? 0;
    seen.set(f.fingerprint, n + 1);
    return n;
  });
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
      properties: { redacted: f.redacted },
    })),
  );
}

/** The JSON report: findings without their secrets, and the scan's figures. */
export function toJson(result: ScanResult) {
  const rules = ruleMap(result.rules);
  return {
    tool: TOOL_NAME,
    version: VERSION,
    findings: result.findings.map((f) => ({
      rule: f.ruleId,
      title: titleOf(rules, f.ruleId),
      severity: rules.get(f.ruleId)?.severity,
      path: f.path,
      line: f.line,
      column: f.column,
      redacted: f.redacted,
      fingerprint: f.fingerprint,
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

export function annotations(result: ScanResult): Annotation[] {
  const rules = ruleMap(result.rules);
  return result.findings.map((f) => annotationFor(f, rules));
}

function statsLine(result: ScanResult): string {
  const s = result.stats;
  const skipped = [
    s.skippedBinary && `${s.skippedBinary} binary`,
    s.skippedTooLarge && `${s.skippedTooLarge} over the size limit`,
    s.skippedExcluded && `${s.skippedExcluded} excluded`,
    s.unreadable && `${s.unreadable} unreadable`,
  ].filter(Boolean);
  return (
    `Scanned ${plural(s.filesScanned, 'file')} (${(s.bytesScanned / 1024).toFixed(0)} KiB) in ${s.durationMs} ms` +
    (skipped.length ? `; skipped ${skipped.join(', ')}` : '') +
    '.'
  );
}

export function summaryOf(result: ScanResult, sarifFile?: string): Summary {
  const rules = ruleMap(result.rules);
  const n = result.findings.length;
  const summary = new Summary().heading('Secrets scan');
  summary.paragraph(n === 0 ? 'No secrets found.' : `${plural(n, 'secret')} found.`);
  if (n > 0) {
    summary.table(
      ['Rule', 'Location', 'Redacted value'],
      result.findings.map((f) => [
        titleOf(rules, f.ruleId),
        { code: `${f.path}:${f.line}` },
        { code: f.redacted },
      ]),
    );
  }
  summary.paragraph(statsLine(result) + (sarifFile ? ` SARIF report: ${sarifFile}.` : ''));
  return summary;
}

/** The terminal report: one line per finding, then the figures. */
export function toText(result: ScanResult): string {
  const rules = ruleMap(result.rules);
  const lines = result.findings.map(
    (f) => `${f.path}:${f.line}:${f.column}: ${f.ruleId}: ${titleOf(rules, f.ruleId)}: ${f.redacted}`,
  );
  const n = result.findings.length;
  lines.push(n === 0 ? 'No secrets found.' : `${plural(n, 'secret')} found.`, statsLine(result));
  return `${lines.join('\n')}\n`;
}

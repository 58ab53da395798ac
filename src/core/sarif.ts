/**
 * SARIF 2.1.0 as GitHub code scanning accepts it: repo-relative `/`-separated URIs, `startLine`
 * ≥ 1, stable `partialFingerprints`, and rules that carry `security-severity` so alerts get a
 * severity. Every scanner builds its log here; tests validate it against the official schema.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export type Severity = 'critical' | 'high' | 'medium' | 'low';
export type SarifLevel = 'error' | 'warning' | 'note' | 'none';

/** GitHub maps security-severity > 9.0 to critical, 7.0–8.9 high, 4.0–6.9 medium, below low. */
export const SECURITY_SEVERITY: Record<Severity, string> = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  low: '3.0',
};

export const SEVERITY_LEVEL: Record<Severity, SarifLevel> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'note',
};

export interface RuleInput {
  id: string;
  /** A short PascalCase or kebab name; shown by some viewers. */
  name: string;
  shortDescription: string;
  fullDescription?: string;
  /** How to fix it, in Markdown. */
  help?: string;
  helpUri?: string;
  severity: Severity;
  tags?: string[];
  /** How often a result is a true positive. Default `high`. */
  precision?: 'very-high' | 'high' | 'medium' | 'low';
}

export interface ResultInput {
  ruleId: string;
  severity: Severity;
  message: string;
  /** Repo-relative path, either separator. */
  path: string;
  startLine: number;
  startColumn?: number;
  endLine?: number;
  endColumn?: number;
  /** A stable identity for the result, independent of line numbers where possible. */
  fingerprint: string;
  properties?: Record<string, unknown>;
  suppression?: { kind: 'inSource' | 'external'; justification?: string };
}

export interface ToolInput {
  name: string;
  version: string;
  informationUri: string;
}

export interface SarifLog {
  $schema: string;
  version: '2.1.0';
  runs: Array<Record<string, unknown>>;
}

export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';

/** A repo-relative path as a SARIF URI reference: `/`-separated, no `./`, segments escaped. */
export function toSarifUri(p: string): string {
  const normalised = path.posix
    .normalize(p.replace(/\\/g, '/'))
    .replace(/^(\.\/)+/, '')
    .replace(/^\/+/, '');
  return normalised
    .split('/')
    .map((segment) => encodeURIComponent(segment))
    .join('/');
}

export function buildSarif(tool: ToolInput, rules: RuleInput[], results: ResultInput[]): SarifLog {
  const used = new Set(results.map((r) => r.ruleId));
  const ruleList = rules.filter((r) => used.has(r.id));
  const index = new Map(ruleList.map((r, i) => [r.id, i]));
  return {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: tool.name,
            version: tool.version,
            semanticVersion: tool.version,
            informationUri: tool.informationUri,
            rules: ruleList.map(renderRule),
          },
        },
        results: results.map((r) => renderResult(r, index.get(r.ruleId))),
        columnKind: 'utf16CodeUnits',
      },
    ],
  };
}

function renderRule(rule: RuleInput) {
  return {
    id: rule.id,
    name: rule.name,
    shortDescription: { text: rule.shortDescription },
    fullDescription: { text: rule.fullDescription ?? rule.shortDescription },
    ...(rule.helpUri ? { helpUri: rule.helpUri } : {}),
    ...(rule.help ? { help: { text: rule.help, markdown: rule.help } } : {}),
    defaultConfiguration: { level: SEVERITY_LEVEL[rule.severity] },
    properties: {
      tags: ['security', ...(rule.tags ?? [])],
      precision: rule.precision ?? 'high',
      problem: {
        severity:
          rule.severity === 'low' ? 'recommendation' : rule.severity === 'medium' ? 'warning' : 'error',
      },
      'security-severity': SECURITY_SEVERITY[rule.severity],
    },
  };
}

function renderResult(result: ResultInput, ruleIndex: number | undefined) {
  const region: Record<string, number> = { startLine: Math.max(1, result.startLine) };
  if (result.startColumn !== undefined) region.startColumn = Math.max(1, result.startColumn);
  if (result.endLine !== undefined) region.endLine = Math.max(region.startLine!, result.endLine);
  if (result.endColumn !== undefined) region.endColumn = Math.max(1, result.endColumn);
  return {
    ruleId: result.ruleId,
    ...(ruleIndex !== undefined ? { ruleIndex } : {}),
    level: SEVERITY_LEVEL[result.severity],
    message: { text: result.message },
    locations: [{ physicalLocation: { artifactLocation: { uri: toSarifUri(result.path) }, region } }],
    partialFingerprints: { 'imagepipe/v1': result.fingerprint },
    ...(result.suppression
      ? {
          suppressions: [
            {
              kind: result.suppression.kind,
              status: 'accepted',
              justification: result.suppression.justification,
            },
          ],
        }
      : {}),
    ...(result.properties ? { properties: result.properties } : {}),
  };
}

/** Writes JSON with a trailing newline, creating the parent folder. */
export function writeJsonFile(file: string, value: unknown): void {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}

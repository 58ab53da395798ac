/**
 * Baselines: the fingerprints of findings a repository has accepted for now (usually secrets
 * already in its history, revoked, awaiting a cleanse), so the gate can be adopted before the
 * history is clean. A baseline holds fingerprints (rule + path + a digest of the secret), the rule
 * and the path, never the secret: it can be committed. A finding whose fingerprint is listed is
 * reported as suppressed; a new secret, even on a baselined line, has another fingerprint and fails.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { UserError, errorMessage } from '../core/errors.js';
import { VERSION } from '../core/version.js';
import type { Finding } from './types.js';

export const BASELINE_FORMAT = 'imagepipe-secrets-baseline';

export interface BaselineEntry {
  fingerprint: string;
  rule: string;
  path: string;
}

export interface Baseline {
  format: typeof BASELINE_FORMAT;
  version: 1;
  generator: string;
  findings: BaselineEntry[];
}

/** The baseline of these findings, sorted and without duplicates (the same secret twice in a file is one entry). */
export function baselineOf(findings: readonly Finding[]): Baseline {
  const entries = new Map<string, BaselineEntry>();
  for (const f of findings)
    entries.set(f.fingerprint, { fingerprint: f.fingerprint, rule: f.ruleId, path: f.path });
  return {
    format: BASELINE_FORMAT,
    version: 1,
    generator: `imagepipe ${VERSION}`,
    findings: [...entries.values()].sort(
      (a, b) =>
        a.path.localeCompare(b.path) ||
        a.rule.localeCompare(b.rule) ||
        a.fingerprint.localeCompare(b.fingerprint),
    ),
  };
}

export function writeBaseline(file: string, findings: readonly Finding[]): Baseline {
  const baseline = baselineOf(findings);
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, `${JSON.stringify(baseline, null, 2)}\n`);
  } catch (error) {
    throw new UserError(`Could not write the baseline ${file}: ${errorMessage(error)}`);
  }
  return baseline;
}

/** Reads a baseline, checking its shape; a corrupt one is a clear error, never an empty baseline. */
export function readBaseline(file: string, shown = file): Set<string> {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new UserError(
      `Could not read the baseline ${shown}: ${errorMessage(error)}. Write one with \`imagepipe secrets-scan --write-baseline ${shown}\`.`,
    );
  }
  const fail = (problem: string) =>
    new UserError(
      `The baseline ${shown} is not a secrets-scan baseline: ${problem}. Write it again with \`imagepipe secrets-scan --write-baseline ${shown}\`.`,
    );
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw fail(`it is not valid JSON (${errorMessage(error)})`);
  }
  const doc = data as Partial<Baseline> | null;
  if (typeof doc !== 'object' || doc === null || doc.format !== BASELINE_FORMAT) {
    throw fail(`its "format" is not ${JSON.stringify(BASELINE_FORMAT)}`);
  }
  if (doc.version !== 1)
    throw fail(`version ${JSON.stringify(doc.version)} is not one this version reads (1)`);
  if (!Array.isArray(doc.findings)) throw fail('"findings" is not a list');
  const fingerprints = new Set<string>();
  doc.findings.forEach((entry: unknown, i) => {
    const fp = (entry as Partial<BaselineEntry> | null)?.fingerprint;
    if (typeof fp !== 'string' || !/^[0-9a-f]{32}$/.test(fp)) {
      throw fail(`findings[${i}] has no 32-hex-digit "fingerprint"`);
    }
    fingerprints.add(fp);
  });
  return fingerprints;
}

/** Marks the findings the baseline lists as suppressed; returns how many it matched. */
export function applyBaseline(findings: Finding[], fingerprints: ReadonlySet<string>, shown: string): number {
  let matched = 0;
  for (const f of findings) {
    if (f.suppression || !fingerprints.has(f.fingerprint)) continue;
    f.suppression = { kind: 'external', justification: `listed in the baseline ${shown}` };
    matched++;
  }
  return matched;
}

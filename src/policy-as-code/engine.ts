/**
 * Runs rules over parsed documents. A rule that throws on a strange document is reported as a
 * finding of its own (`rule-error`) for that file instead of ending the scan.
 */
import { createHash } from 'node:crypto';
import { headerPos } from './model.js';
import type { Doc, Hit, PolicyFinding, Rule } from './types.js';

function resourceLabel(hit: Hit, doc: Doc): string | undefined {
  const r = hit.resource;
  if (!r) return undefined;
  if (doc.format === 'terraform') return `${r.block === 'data' ? 'data.' : ''}${r.type}.${r.name}`;
  if (doc.format === 'packer') return r.name ? `${r.type}.${r.name}` : r.type;
  return `${r.type} ${r.name}`;
}

/**
 * Stable across edits that move lines: the rule, the file, the resource and the message. Two hits
 * that share all four (the same problem twice in a resource) are told apart by an occurrence
 * index when reported.
 */
export function policyFingerprint(
  ruleId: string,
  file: string,
  resource: string | undefined,
  message: string,
): string {
  return createHash('sha256')
    .update(`${ruleId}\0${file}\0${resource ?? ''}\0${message}`)
    .digest('hex')
    .slice(0, 32);
}

export function checkDoc(doc: Doc, rules: readonly Rule[]): PolicyFinding[] {
  const findings: PolicyFinding[] = [];
  for (const rule of rules) {
    if (!rule.formats.includes(doc.format)) continue;
    let hits: Hit[];
    try {
      hits = rule.check(doc);
    } catch (error) {
      hits = [];
      findings.push({
        ruleId: 'rule-error',
        severity: 'low',
        title: 'A rule could not read this document',
        message: `Rule ${rule.id} failed on this file: ${error instanceof Error ? error.message : String(error)}. Please report it.`,
        file: doc.file,
        format: doc.format,
        pos: { line: 1, column: 1, endLine: 1, endColumn: 1 },
        fingerprint: policyFingerprint('rule-error', doc.file, rule.id, ''),
      });
    }
    for (const hit of hits) {
      const resource = resourceLabel(hit, doc);
      // A hit on a whole resource points at its first line, not at every line of it.
      const r = hit.resource;
      const pos =
        r && hit.pos.line === r.pos.line && hit.pos.endLine === r.pos.endLine && r.pos.endLine > r.pos.line
          ? headerPos(r)
          : hit.pos;
      findings.push({
        ruleId: rule.id,
        severity: rule.severity,
        title: rule.title,
        message: hit.message,
        file: doc.file,
        format: doc.format,
        pos,
        ...(resource ? { resource } : {}),
        fingerprint: policyFingerprint(rule.id, doc.file, resource, hit.message),
      });
    }
  }
  return findings;
}

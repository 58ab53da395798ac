/**
 * In-source suppressions, ours and the forms of the tools teams migrate from:
 *
 * - `# imagepipe:skip=ID reason` (also `//` in HCL; several ids with commas). The reason is
 *   required: a skip without one is not honoured and is reported.
 * - checkov: `#checkov:skip=CKV_AWS_20:reason` and, in CloudFormation, `Metadata.checkov.skip`
 *   (`[{id, comment}]`); they suppress the rules that cross-reference that checkov id.
 * - cfn_nag: `Metadata.cfn_nag.rules_to_suppress` (`[{id, reason}]`), by cfn_nag id.
 * - KICS: `# kics-scan ignore-line` (the next line), `# kics-scan ignore-block` (the block that
 *   follows), `# kics-scan disable=<query id>,…` and `# kics-scan ignore` (the whole file).
 *
 * A comment applies to findings on its own line, on the line that follows it (past other comment
 * lines), and, when it sits inside a resource or directly above its first line, to every finding
 * of that resource: checkov's reading, so a skip written for checkov keeps working here.
 */
import { entry, isList, isMap, items, toStr } from './model.js';
import type { Comment, Doc, Hit, PolicyFinding, Pos, Resource, Rule, Suppression } from './types.js';

export interface SuppressionMarker {
  /** Our rule ids, or `*` for every rule. */
  rules: Set<string> | '*';
  via: string;
  justification: string;
  /** Lines (1-based, inclusive) whose findings it covers, or resources. */
  lines: Array<[number, number]>;
  comment?: Comment;
}

export interface InvalidSuppression {
  pos: Pos;
  message: string;
}

// Ids are kebab-case, or `guard:<name>` for a CloudFormation Guard rule (`guard:x.guard/default`).
const ID = String.raw`(?:guard:[\w./-]+|[\w-]+)`;
const SKIP = new RegExp(String.raw`imagepipe:skip=(${ID}(?:\s*,\s*${ID})*)(?:\s*:?\s*(.*))?$`);
const CHECKOV = /checkov:skip=([A-Z0-9_]+)(?::(.*))?$/;
const KICS = /kics-scan\s+(ignore-line|ignore-block|ignore|disable=([\w,-]+))\s*$/;

export interface RuleIndex {
  byId: Map<string, Rule>;
  byCheckov: Map<string, string[]>;
  byCfnNag: Map<string, string[]>;
  byKics: Map<string, string[]>;
}

export function ruleIndex(rules: readonly Rule[]): RuleIndex {
  const index: RuleIndex = { byId: new Map(), byCheckov: new Map(), byCfnNag: new Map(), byKics: new Map() };
  const add = (map: Map<string, string[]>, key: string, id: string) =>
    map.set(key, [...(map.get(key) ?? []), id]);
  for (const rule of rules) {
    index.byId.set(rule.id, rule);
    for (const c of rule.refs.checkov ?? []) add(index.byCheckov, c, rule.id);
    for (const c of rule.refs.cfn_nag ?? []) add(index.byCfnNag, c, rule.id);
    for (const c of rule.refs.kics ?? []) add(index.byKics, c.toLowerCase(), rule.id);
  }
  return index;
}

/** The first line after `line` that is not a comment-only line or blank. */
function nextCodeLine(
  line: number,
  commentLines: Set<number>,
  lineCount: number,
  blank: (n: number) => boolean,
): number {
  let n = line + 1;
  while (n <= lineCount && (commentLines.has(n) || blank(n))) n++;
  return n;
}

function resourceAt(doc: Doc, line: number): Resource | undefined {
  let best: Resource | undefined;
  for (const r of doc.resources) {
    if (r.pos.line <= line && line <= r.pos.endLine) {
      // The innermost (latest-starting) resource wins.
      if (!best || r.pos.line >= best.pos.line) best = r;
    }
  }
  return best;
}

function resourceStartingAt(doc: Doc, line: number): Resource | undefined {
  return doc.resources.find((r) => r.pos.line === line);
}

/** Markers from the comments of a document. */
export function commentMarkers(
  doc: Doc,
  index: RuleIndex,
  lineText: (n: number) => string,
  lineCount: number,
): { markers: SuppressionMarker[]; invalid: InvalidSuppression[] } {
  const markers: SuppressionMarker[] = [];
  const invalid: InvalidSuppression[] = [];
  const commentLines = new Set<number>();
  for (const c of doc.comments) {
    const before = lineText(c.line).slice(0, c.column - 1);
    if (before.trim() === '') commentLines.add(c.line);
  }
  const blank = (n: number) => lineText(n).trim() === '';

  /** The lines a comment covers: its own, the next code line, and the resource it belongs to. */
  const scope = (c: Comment): Array<[number, number]> => {
    const next = nextCodeLine(c.line, commentLines, lineCount, blank);
    const lines: Array<[number, number]> = [
      [c.line, c.line],
      [next, next],
    ];
    const own = commentLines.has(c.line)
      ? (resourceStartingAt(doc, next) ?? resourceAt(doc, c.line))
      : resourceAt(doc, c.line);
    if (own) lines.push([own.pos.line, own.pos.endLine]);
    return lines;
  };

  for (const c of doc.comments) {
    const pos: Pos = {
      line: c.line,
      column: c.column,
      endLine: c.line,
      endColumn: c.column + c.text.length + 1,
    };
    const skip = SKIP.exec(c.text);
    if (skip) {
      const ids = skip[1]!.split(',').map((s) => s.trim());
      const reason = (skip[2] ?? '').trim();
      const unknown = ids.filter((id) => !index.byId.has(id));
      if (unknown.length > 0) {
        invalid.push({
          pos,
          message: `imagepipe:skip names no known rule: ${unknown.join(', ')}. Check the rule id in the report.`,
        });
      }
      if (!reason) {
        invalid.push({
          pos,
          message: `imagepipe:skip=${ids.join(',')} has no reason, so it is not honoured: write why after the id, e.g. "# imagepipe:skip=${ids[0]} the bucket hosts a public website".`,
        });
        continue;
      }
      markers.push({
        rules: new Set(ids),
        via: 'imagepipe:skip',
        justification: reason,
        lines: scope(c),
        comment: c,
      });
      continue;
    }
    const checkov = CHECKOV.exec(c.text);
    if (checkov) {
      const ids = index.byCheckov.get(checkov[1]!) ?? [];
      if (ids.length > 0) {
        markers.push({
          rules: new Set(ids),
          via: 'checkov:skip',
          justification: (checkov[2] ?? '').trim() || `checkov:skip=${checkov[1]}`,
          lines: scope(c),
          comment: c,
        });
      }
      continue;
    }
    const kics = KICS.exec(c.text);
    if (kics) {
      const what = kics[1]!;
      if (what === 'ignore-line') {
        const next = nextCodeLine(c.line, commentLines, lineCount, blank);
        markers.push({
          rules: '*',
          via: 'kics-scan ignore-line',
          justification: 'kics-scan ignore-line',
          lines: [[next, next]],
          comment: c,
        });
      } else if (what === 'ignore-block') {
        const next = nextCodeLine(c.line, commentLines, lineCount, blank);
        const block = resourceStartingAt(doc, next) ?? resourceAt(doc, next);
        markers.push({
          rules: '*',
          via: 'kics-scan ignore-block',
          justification: 'kics-scan ignore-block',
          lines: [block ? [next, block.pos.endLine] : [next, next]],
          comment: c,
        });
      } else if (what === 'ignore') {
        markers.push({
          rules: '*',
          via: 'kics-scan ignore',
          justification: 'kics-scan ignore (whole file)',
          lines: [[1, Number.MAX_SAFE_INTEGER]],
          comment: c,
        });
      } else {
        const ids = kics[2]!.split(',').flatMap((k) => index.byKics.get(k.trim().toLowerCase()) ?? []);
        if (ids.length > 0) {
          markers.push({
            rules: new Set(ids),
            via: 'kics-scan disable',
            justification: c.text,
            lines: [[1, Number.MAX_SAFE_INTEGER]],
            comment: c,
          });
        }
      }
    }
  }
  return { markers, invalid };
}

/** `Metadata.cfn_nag.rules_to_suppress` and `Metadata.checkov.skip` of a CloudFormation resource. */
export function metadataMarkers(resource: Resource, index: RuleIndex): SuppressionMarker[] {
  const markers: SuppressionMarker[] = [];
  const meta = resource.metadata;
  if (!isMap(meta)) return markers;
  const range: Array<[number, number]> = [[resource.pos.line, resource.pos.endLine]];
  const read = (list: unknown, map: Map<string, string[]>, via: string, reasonKey: string) => {
    for (const item of items(list as never)) {
      if (!isMap(item)) continue;
      const id = toStr(entry(item, 'id')?.value);
      if (!id) continue;
      const ids = map.get(id) ?? [];
      if (ids.length === 0) continue;
      const reason = toStr(entry(item, reasonKey)?.value) ?? `${via} ${id}`;
      markers.push({ rules: new Set(ids), via, justification: reason, lines: range });
    }
  };
  const cfnNag = entry(entry(meta, 'cfn_nag')?.value, 'rules_to_suppress')?.value;
  if (isList(cfnNag)) read(cfnNag, index.byCfnNag, 'cfn_nag', 'reason');
  const checkov = entry(entry(meta, 'checkov')?.value, 'skip')?.value;
  if (isList(checkov)) read(checkov, index.byCheckov, 'checkov', 'comment');
  return markers;
}

function covers(marker: SuppressionMarker, finding: PolicyFinding | Hit): boolean {
  const ruleOk = marker.rules === '*' || ('ruleId' in finding && marker.rules.has(finding.ruleId));
  if (!ruleOk) return false;
  const line = finding.pos.line;
  return marker.lines.some(([a, b]) => a <= line && line <= b);
}

/** The suppression that applies to a finding, if any. */
export function suppressionFor(
  finding: PolicyFinding,
  markers: readonly SuppressionMarker[],
): Suppression | undefined {
  const m = markers.find((marker) => covers(marker, finding));
  return m ? { kind: 'inSource', via: m.via, justification: m.justification } : undefined;
}

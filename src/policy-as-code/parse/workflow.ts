/**
 * GitHub Actions: workflows (`.github/workflows/*.yml`, format `workflow`, one resource per job)
 * and action metadata (`action.yml` anywhere, format `action`, one resource, only when it has
 * `runs`). Every string holding a `${{ … }}` expression keeps its source text, so a rule can
 * point at the exact line of an expression inside a multi-line `run: |` block.
 */
import * as path from 'node:path';
import { entry, get, isList, isMap, isScalar } from '../model.js';
import type { Doc, Format, MapNode, Node, Pos, Resource, ScalarNode } from '../types.js';
import { Lines, scanComments } from './positions.js';

/** `workflow` or `action` by the file's path alone; undefined for other files. */
export function workflowFormatOf(file: string): 'workflow' | 'action' | undefined {
  const f = file.replace(/\\/g, '/');
  if (/(^|\/)\.github\/workflows\/[^/]+\.ya?ml$/i.test(f)) return 'workflow';
  if (/^action\.ya?ml$/i.test(path.posix.basename(f))) return 'action';
  return undefined;
}

/** An action's metadata: a map with `runs`. */
export function isAction(root: Node | undefined): root is MapNode {
  return isMap(root) && entry(root, 'runs') !== undefined;
}

/** A scalar with the text it was written as (block indicator, indentation and quotes included). */
interface SourcedScalar extends ScalarNode {
  source?: string;
}

function offsetOf(lines: Lines, line: number, column: number): number {
  return (lines.starts[line - 1] ?? lines.text.length) + column - 1;
}

/** Keeps the source of every string that holds an expression. */
function keepSources(node: Node, lines: Lines, depth = 0): void {
  if (depth > 200) return;
  switch (node.kind) {
    case 'map':
      for (const e of node.entries) keepSources(e.value, lines, depth + 1);
      return;
    case 'list':
      for (const i of node.items) keepSources(i, lines, depth + 1);
      return;
    case 'scalar':
      if (typeof node.value === 'string' && node.value.includes('${{')) {
        const start = offsetOf(lines, node.pos.line, node.pos.column);
        const end = offsetOf(lines, node.pos.endLine, node.pos.endColumn);
        const source = lines.text.slice(start, end);
        if (source.includes('${{')) (node as SourcedScalar).source = source;
      }
      return;
    default:
      return;
  }
}

export function workflowDoc(file: string, root: MapNode, text: string, format: Format, lines?: Lines): Doc {
  keepSources(root, lines ?? new Lines(text));
  const resources: Resource[] = [];
  if (format === 'workflow') {
    const jobs = get(root, 'jobs');
    if (isMap(jobs)) {
      for (const e of jobs.entries) {
        if (!isMap(e.value)) continue;
        resources.push({
          type: 'job',
          name: e.key,
          pos: {
            line: e.keyPos.line,
            column: e.keyPos.column,
            endLine: e.value.pos.endLine,
            endColumn: e.value.pos.endColumn,
          },
          body: e.value,
          node: e.value,
        });
      }
    }
  } else {
    const name = get(root, 'name');
    resources.push({
      type: 'action',
      name: isScalar(name) && name.value !== null ? String(name.value) : path.posix.dirname(file),
      pos: root.pos,
      body: root,
      node: root,
    });
  }
  return { file, format, root, resources, params: new Map(), comments: scanComments(text, 'hash') };
}

export interface Expression {
  /** `${{ github.head_ref }}` as written. */
  text: string;
  /** What is between the braces, trimmed: `github.head_ref`. */
  inner: string;
  pos: Pos;
}

/** The `${{ … }}` expressions of a string, each with its own line and column. */
export function expressions(node: Node | undefined): Expression[] {
  if (!isScalar(node) || typeof node.value !== 'string' || !node.value.includes('${{')) return [];
  const source = (node as SourcedScalar).source ?? node.value;
  const out: Expression[] = [];
  const re = /\$\{\{([\s\S]*?)\}\}/g;
  for (let m = re.exec(source); m !== null; m = re.exec(source)) {
    const at = (offset: number): { line: number; column: number } => {
      const before = source.slice(0, offset);
      const newlines = before.split('\n').length - 1;
      return newlines === 0
        ? { line: node.pos.line, column: node.pos.column + offset }
        : { line: node.pos.line + newlines, column: offset - before.lastIndexOf('\n') };
    };
    const a = at(m.index);
    const b = at(m.index + m[0].length);
    out.push({
      text: m[0],
      inner: m[1]!.trim(),
      pos: { line: a.line, column: a.column, endLine: b.line, endColumn: b.column },
    });
  }
  return out;
}

export interface Step {
  node: MapNode;
  index: number;
  /** `uses:` as written (`actions/checkout@v4`, `./local`, `docker://alpine:3`). */
  uses?: string;
  usesNode?: Node;
  run?: Node;
  with?: MapNode;
  env?: MapNode;
}

/** The steps of a job, or of a composite action's `runs`. */
export function steps(resource: Resource): Step[] {
  const list = resource.type === 'action' ? get(resource.body, 'runs', 'steps') : get(resource.body, 'steps');
  if (!isList(list)) return [];
  const out: Step[] = [];
  list.items.forEach((item, index) => {
    if (!isMap(item)) return;
    const usesNode = get(item, 'uses');
    const withNode = get(item, 'with');
    const env = get(item, 'env');
    out.push({
      node: item,
      index,
      ...(isScalar(usesNode) && typeof usesNode.value === 'string'
        ? { uses: usesNode.value.trim(), usesNode }
        : {}),
      ...(get(item, 'run') !== undefined ? { run: get(item, 'run') } : {}),
      ...(isMap(withNode) ? { with: withNode } : {}),
      ...(isMap(env) ? { env } : {}),
    });
  });
  return out;
}

/** The events that trigger a workflow: `on: push`, `on: [push, pull_request]` or `on: {push: …}`. */
export function triggers(doc: Doc): Set<string> {
  const on = get(doc.root, 'on');
  const out = new Set<string>();
  if (isScalar(on) && typeof on.value === 'string') {
    out.add(on.value);
  } else if (isList(on)) {
    for (const i of on.items) if (isScalar(i) && typeof i.value === 'string') out.add(i.value);
  } else if (isMap(on)) {
    for (const e of on.entries) out.add(e.key);
  }
  return out;
}

/** The action a `uses:` names without its ref, lower-case: `actions/checkout`. */
export function actionName(uses: string): string {
  return uses.split('@')[0]!.toLowerCase();
}

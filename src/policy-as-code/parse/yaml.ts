/**
 * YAML and JSON into the document model with positions.
 *
 * YAML is read with `@stoplight/yaml-ast-parser` (the error-tolerant AST parser behind Stoplight's
 * Spectral), which keeps every node's offsets and reads large templates an order of magnitude
 * faster than a full YAML document model. It has no notion of CloudFormation's short-form tags
 * (`!Ref`, `!Sub`, `!GetAtt a.b`, `!If`, …): it keeps the node and reports the tag as unknown, so
 * the tag is read back from the source between the node and what precedes it (the key's colon,
 * the sequence dash or comma), and the node becomes an `fn` named like the long form. Plain
 * scalars are typed by the YAML 1.2 core schema (`true`, `22`, `~`); aliases are resolved and
 * merge keys (`<<`) applied. JSON is read with Microsoft's `jsonc-parser` (the parser of VS
 * Code's JSON support), which is faster still and gives offsets too.
 */
import { parseTree, printParseErrorCode, type Node as JsonNode, type ParseError } from 'jsonc-parser';
import {
  determineScalarType,
  Kind,
  loadAll,
  parseYamlBoolean,
  parseYamlFloat,
  parseYamlInteger,
  ScalarType,
  type YAMLNode,
} from '@stoplight/yaml-ast-parser';
import type { Entry, Node, Pos, Scalar } from '../types.js';
import { Lines } from './positions.js';

export interface ParsedYaml {
  docs: Array<{ root: Node | undefined; index: number }>;
  errors: Array<{ line: number; column: number; message: string }>;
  lines: Lines;
}

/** `!Ref` → `Ref`, `!Condition` → `Condition`, `!GetAZs` → `Fn::GetAZs`, … */
export function intrinsicName(tag: string): string | undefined {
  const m = /^!([A-Za-z]+)$/.exec(tag);
  if (!m) return undefined;
  const name = m[1]!;
  if (name === 'Ref' || name === 'Condition') return name;
  return `Fn::${name}`;
}

const EMPTY: Pos = { line: 1, column: 1, endLine: 1, endColumn: 1 };

/** A tag in the text between a node and what precedes it: `: !Ref `, `- !If `, `[!Sub `. */
const TAG_IN_GAP = /(?:^|[\s,[{:?-])(![A-Za-z]+)(?:\s+&[^\s]+)?\s*$/;

interface YamlNodeShape {
  kind: Kind;
  startPosition: number;
  endPosition: number;
  value?: unknown;
  mappings?: Array<{ key: YamlNodeShape | null; value: YamlNodeShape | null; startPosition: number }>;
  items?: Array<YamlNodeShape | null>;
  plainScalar?: boolean;
  singleQuoted?: boolean;
  doubleQuoted?: boolean;
}

/** A plain scalar's value under the YAML 1.2 core schema; quoted scalars are strings. */
function scalarValue(node: YamlNodeShape): Scalar {
  const raw = typeof node.value === 'string' ? node.value : node.value == null ? '' : String(node.value);
  if (!node.plainScalar) return raw;
  switch (determineScalarType(node as unknown as Parameters<typeof determineScalarType>[0])) {
    case ScalarType.null:
      return null;
    case ScalarType.bool:
      return parseYamlBoolean(raw);
    case ScalarType.int: {
      const n = parseYamlInteger(raw);
      return Number.isFinite(n) ? n : raw;
    }
    case ScalarType.float:
      return parseYamlFloat(raw);
    default:
      return raw;
  }
}

class YamlConverter {
  constructor(private readonly lines: Lines) {}

  private pos(node: { startPosition: number; endPosition: number }): Pos {
    return this.lines.pos(node.startPosition, node.endPosition);
  }

  /** The short-form tag written in `[from, node start)`, if any. */
  private tagBefore(from: number, to: number): { tag: string; at: number } | undefined {
    if (to <= from) return undefined;
    let gap = this.lines.text.slice(Math.max(from, to - 200), to);
    if (!gap.includes('!')) return undefined;
    // A comment between a key and its value (`Key: # see !Sub`) holds no tag; blank it, same length.
    if (gap.includes('#'))
      gap = gap.replace(/(^|\s)#[^\n]*/g, (m, lead: string) => lead + ' '.repeat(m.length - lead.length));
    const m = TAG_IN_GAP.exec(gap);
    if (!m) return undefined;
    return { tag: m[1]!, at: to - gap.length + m.index + m[0].indexOf('!') };
  }

  /** A node whose text starts after offset `from` (its key's end, the previous item's end). */
  convert(node: YamlNodeShape | null | undefined, from: number, fallback: Pos, depth = 0): Node {
    if (!node) {
      const tagged = this.tagBefore(from, this.lineEnd(from));
      const empty: Node = { kind: 'scalar', pos: fallback, value: null };
      return tagged ? this.tagged(tagged, empty, fallback) : empty;
    }
    let out: Node;
    if (depth > 200) return { kind: 'expr', pos: this.pos(node), text: '(too deep)' };
    if (node.kind === Kind.ANCHOR_REF) {
      const target = node.value as YamlNodeShape | undefined;
      const resolved = target ? this.convert(target, target.startPosition, fallback, depth + 1) : undefined;
      out = resolved
        ? ({ ...resolved, pos: this.pos(node) } as Node)
        : { kind: 'scalar', pos: this.pos(node), value: null };
    } else if (node.kind === Kind.MAP) {
      const pos = this.pos(node);
      const entries: Entry[] = [];
      for (const pair of node.mappings ?? []) {
        const keyNode = pair.key;
        const key = keyNode ? String(keyNode.value ?? '') : '';
        const keyPos = keyNode ? this.pos(keyNode) : pos;
        const value = this.convert(
          pair.value,
          keyNode ? keyNode.endPosition : pair.startPosition,
          keyPos,
          depth + 1,
        );
        if (key === '<<' && value.kind === 'map') {
          // Merge keys: explicit entries win, so merged ones go first and later duplicates shadow them.
          entries.unshift(...value.entries);
          continue;
        }
        entries.push({ key, keyPos, value });
      }
      out = { kind: 'map', pos, entries };
    } else if (node.kind === Kind.SEQ) {
      const pos = this.pos(node);
      const items: Node[] = [];
      let prev = node.startPosition;
      for (const item of node.items ?? []) {
        items.push(this.convert(item, prev, pos, depth + 1));
        if (item) prev = item.endPosition;
      }
      out = { kind: 'list', pos, items };
    } else {
      out = { kind: 'scalar', pos: this.pos(node), value: scalarValue(node) };
    }
    const tagged = this.tagBefore(from, node.startPosition);
    return tagged ? this.tagged(tagged, out, out.pos) : out;
  }

  private lineEnd(offset: number): number {
    const nl = this.lines.text.indexOf('\n', offset);
    return nl === -1 ? this.lines.text.length : nl;
  }

  private tagged(tagged: { tag: string; at: number }, value: Node, pos: Pos): Node {
    const fn = intrinsicName(tagged.tag);
    if (!fn) return value;
    const from = this.lines.at(tagged.at);
    const fnPos = { ...pos, line: from.line, column: from.column };
    let arg = value;
    if (fn === 'Fn::GetAtt' && value.kind === 'scalar' && typeof value.value === 'string') {
      const dot = value.value.indexOf('.');
      const parts = dot === -1 ? [value.value] : [value.value.slice(0, dot), value.value.slice(dot + 1)];
      arg = {
        kind: 'list',
        pos: value.pos,
        items: parts.map((p) => ({ kind: 'scalar', pos: value.pos, value: p })),
      };
    }
    return { kind: 'fn', pos: fnPos, name: fn, arg };
  }
}

/** Problems that are not syntax errors for us: CloudFormation's tags, repeated keys (last wins). */
const NOT_AN_ERROR = /^(unknown tag <!|duplicate key)/;

function parseYamlText(text: string, lines: Lines): ParsedYaml {
  const documents: YAMLNode[] = [];
  loadAll(text, (d) => documents.push(d));
  const errors: ParsedYaml['errors'] = [];
  const docs: ParsedYaml['docs'] = [];
  const converter = new YamlConverter(lines);
  documents.forEach((doc, index) => {
    for (const e of doc?.errors ?? []) {
      if (e.isWarning || NOT_AN_ERROR.test(e.reason)) continue;
      errors.push({ line: e.mark.line + 1, column: e.mark.column + 1, message: e.reason });
    }
    const node = doc as unknown as YamlNodeShape | undefined;
    const empty =
      !node || (node.kind === Kind.SCALAR && node.startPosition === node.endPosition && !node.value);
    docs.push({ root: empty ? undefined : converter.convert(node, node.startPosition, EMPTY), index });
  });
  errors.sort((a, b) => a.line - b.line || a.column - b.column);
  return { docs, errors, lines };
}

function jsonToNode(node: JsonNode, lines: Lines, depth = 0): Node {
  const pos = lines.pos(node.offset, node.offset + node.length);
  if (depth > 200) return { kind: 'expr', pos, text: '(too deep)' };
  switch (node.type) {
    case 'object': {
      const entries: Entry[] = [];
      for (const prop of node.children ?? []) {
        const [k, v] = prop.children ?? [];
        if (!k) continue;
        const keyPos = lines.pos(k.offset, k.offset + k.length);
        entries.push({
          key: String(k.value),
          keyPos,
          value: v ? jsonToNode(v, lines, depth + 1) : { kind: 'scalar', pos: keyPos, value: null },
        });
      }
      return { kind: 'map', pos, entries };
    }
    case 'array':
      return { kind: 'list', pos, items: (node.children ?? []).map((c) => jsonToNode(c, lines, depth + 1)) };
    default:
      return { kind: 'scalar', pos, value: (node.value as Scalar | undefined) ?? null };
  }
}

function parseJsonText(text: string, lines: Lines): ParsedYaml {
  const problems: ParseError[] = [];
  const tree = parseTree(text, problems, { allowTrailingComma: false, disallowComments: true });
  const errors = problems.slice(0, 1).map((p) => {
    const at = lines.at(p.offset);
    return { ...at, message: printParseErrorCode(p.error) };
  });
  return { docs: tree ? [{ root: jsonToNode(tree, lines), index: 0 }] : [], errors, lines };
}

/** A YAML stream (one entry per document) or, when `json` is true, a JSON text. */
export function parseYaml(text: string, json = false): ParsedYaml {
  const lines = new Lines(text);
  return json ? parseJsonText(text, lines) : parseYamlText(text, lines);
}

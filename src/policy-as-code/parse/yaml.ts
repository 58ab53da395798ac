/**
 * YAML (and JSON, a subset of it) into the document model with positions, using the `yaml`
 * library's node tree. CloudFormation short-form tags (`!Ref`, `!Sub`, `!GetAtt a.b`, `!If`, …)
 * become `fn` nodes named like their long form; aliases are resolved; a syntax error is reported
 * with the parser's line and message.
 */
import {
  isAlias,
  isMap as isYamlMap,
  isPair,
  isScalar as isYamlScalar,
  isSeq,
  LineCounter,
  parseAllDocuments,
  type Document,
  type Node as YamlNode,
} from 'yaml';
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

class Converter {
  constructor(
    private readonly lines: Lines,
    private readonly doc: Document,
  ) {}

  pos(node: { range?: [number, number, number] | null } | null | undefined, fallback: Pos): Pos {
    const range = node?.range;
    return range ? this.lines.pos(range[0], range[1]) : fallback;
  }

  convert(node: unknown, fallback: Pos, depth = 0): Node {
    if (depth > 200) return { kind: 'expr', pos: fallback, text: '(too deep)' };
    if (isAlias(node)) {
      const target = node.resolve(this.doc);
      const resolved = this.convert(target, fallback, depth + 1);
      return { ...resolved, pos: this.pos(node, fallback) } as Node;
    }
    const yamlNode = node as YamlNode | null | undefined;
    const pos = this.pos(yamlNode as { range?: [number, number, number] }, fallback);
    let out: Node;
    if (isYamlMap(yamlNode)) {
      const entries: Entry[] = [];
      for (const pair of yamlNode.items) {
        if (!isPair(pair)) continue;
        const keyNode = pair.key as YamlNode | null;
        const key = isYamlScalar(keyNode) ? String(keyNode.value) : keyNode ? String(keyNode) : '';
        const keyPos = this.pos(keyNode as { range?: [number, number, number] }, pos);
        const value =
          pair.value === null || pair.value === undefined
            ? ({ kind: 'scalar', pos: keyPos, value: null } as Node)
            : this.convert(pair.value, keyPos, depth + 1);
        if (key === '<<' && value.kind === 'map') {
          // Merge keys: explicit entries win, so merged ones go first and later duplicates shadow them.
          entries.unshift(...value.entries);
          continue;
        }
        entries.push({ key, keyPos, value });
      }
      out = { kind: 'map', pos, entries };
    } else if (isSeq(yamlNode)) {
      out = { kind: 'list', pos, items: yamlNode.items.map((i) => this.convert(i, pos, depth + 1)) };
    } else if (isYamlScalar(yamlNode)) {
      const v = yamlNode.value;
      const value: Scalar =
        v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean'
          ? v
          : typeof v === 'bigint'
            ? Number(v)
            : String(v);
      out = { kind: 'scalar', pos, value };
    } else {
      out = { kind: 'scalar', pos, value: null };
    }
    const tag = (yamlNode as { tag?: string } | null | undefined)?.tag;
    const fn = tag ? intrinsicName(tag) : undefined;
    if (fn) {
      // The node's range starts at its value; the function starts at the tag before it.
      const fnPos = { ...pos };
      const start = (yamlNode as { range?: [number, number, number] } | null)?.range?.[0];
      if (start !== undefined && tag) {
        const at = this.lines.text.lastIndexOf(tag, start);
        if (at !== -1 && /^\s*$/.test(this.lines.text.slice(at + tag.length, start))) {
          const from = this.lines.at(at);
          fnPos.line = from.line;
          fnPos.column = from.column;
        }
      }
      let arg = out;
      if (fn === 'Fn::GetAtt' && out.kind === 'scalar' && typeof out.value === 'string') {
        const dot = out.value.indexOf('.');
        const parts = dot === -1 ? [out.value] : [out.value.slice(0, dot), out.value.slice(dot + 1)];
        arg = { kind: 'list', pos, items: parts.map((p) => ({ kind: 'scalar', pos, value: p })) };
      }
      return { kind: 'fn', pos: fnPos, name: fn, arg };
    }
    return out;
  }
}

export function parseYaml(text: string): ParsedYaml {
  const lines = new Lines(text);
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, {
    lineCounter,
    prettyErrors: false,
    uniqueKeys: false,
    strict: false,
    merge: true,
    logLevel: 'silent',
    // Unknown tags (CloudFormation's) stay on the node; we read them ourselves.
    customTags: [],
  });
  const list = Array.isArray(docs) ? docs : [];
  const errors: ParsedYaml['errors'] = [];
  const out: ParsedYaml['docs'] = [];
  list.forEach((doc, index) => {
    for (const error of doc.errors) {
      const at = lines.at(error.pos[0]);
      const message = error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
      errors.push({ line: at.line, column: at.column, message });
    }
    const converter = new Converter(lines, doc as unknown as Document);
    out.push({
      root: doc.contents === null ? undefined : converter.convert(doc.contents, EMPTY),
      index,
    });
  });
  return { docs: out, errors, lines };
}

/**
 * HCL2 (Terraform `.tf`, Packer `.pkr.hcl`) into the document model, read with tree-sitter's HCL
 * grammar through `web-tree-sitter` (WebAssembly, so the same bundle runs on every runner). Every
 * value keeps its line and column.
 *
 * Expressions map onto the model as `possible()` reads it: literals become scalars, tuples lists,
 * objects maps; `var.x` and `local.x` become `Ref` of `"var.x"` / `"local.x"`, resolved to the
 * variable's default; `c ? a : b` becomes `Fn::If` of `[c, a, b]`, so both branches are checked;
 * `"${expr}"` is the expression itself (HCL gives a lone interpolation its value); `jsonencode(x)`,
 * `tolist(x)`, `toset(x)` and the other conversions are their argument, so a policy written as an
 * object is read as one. Anything else (references to other resources, operators, `for`, other
 * calls, templates with text around an interpolation) is an `expr`: unknown, never reported.
 *
 * Nested blocks become entries keyed by the block type (`ingress { … }` → `ingress`), a map for
 * one block and a list of maps when the type repeats; `dynamic "ingress" { content { … } }` is
 * read as one `ingress` block whose values are mostly unknown.
 */
import { createRequire } from 'node:module';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Language, Parser, type Node as TsNode } from 'web-tree-sitter';
import type { Entry, ListNode, MapNode, Node, Pos } from '../types.js';

let parser: Parser | undefined;
let loading: Promise<void> | undefined;

/**
 * A WebAssembly file: next to the bundle (scripts/build.mjs copies the runtime and the grammar
 * into dist/<name>/), or in node_modules when running from the sources. The runtime is handed to
 * web-tree-sitter as bytes: the copy ncc emits of it on its own is not usable.
 */
function wasm(name: string, pkg: string): Buffer {
  const here = path.join(path.dirname(fileURLToPath(import.meta.url)), name);
  const file = fs.existsSync(here) ? here : createRequire(import.meta.url).resolve(`${pkg}/${name}`);
  return fs.readFileSync(file);
}

/** Loads the WebAssembly runtime and grammar once. */
export function prepareHcl(): Promise<void> {
  loading ??= (async () => {
    await Parser.init({ wasmBinary: wasm('web-tree-sitter.wasm', 'web-tree-sitter') });
    const language = await Language.load(
      wasm('tree-sitter-hcl.wasm', '@tree-sitter-grammars/tree-sitter-hcl'),
    );
    const p = new Parser();
    p.setLanguage(language);
    parser = p;
  })();
  return loading;
}

export interface HclError {
  line: number;
  column: number;
  message: string;
}

export interface HclLabel {
  value: string;
  pos: Pos;
}

/** A top-level block: `resource "aws_s3_bucket" "logs" { … }`. */
export interface HclBlock {
  type: string;
  labels: HclLabel[];
  /** From the block type to the closing brace. */
  pos: Pos;
  body: MapNode;
}

export interface HclFile {
  blocks: HclBlock[];
  /** Top-level attributes (`.tfvars`-style files, or stray ones). */
  attributes: Entry[];
  /** Everything at the top level as one map (blocks keyed by type), the document's root. */
  root: MapNode;
  error?: HclError;
}

function posOf(n: TsNode): Pos {
  return {
    line: n.startPosition.row + 1,
    column: n.startPosition.column + 1,
    endLine: n.endPosition.row + 1,
    endColumn: n.endPosition.column + 1,
  };
}

function named(n: TsNode): TsNode[] {
  return n.namedChildren.filter((c): c is TsNode => c !== null && c.type !== 'comment');
}

/** The first syntax error in the tree: an unexpected token or a missing one. */
function firstError(n: TsNode): HclError | undefined {
  if (n.isMissing) {
    return {
      line: n.startPosition.row + 1,
      column: n.startPosition.column + 1,
      message: `missing ${JSON.stringify(n.type)}`,
    };
  }
  if (n.type === 'ERROR') {
    const text = n.text.trim().split('\n')[0] ?? '';
    return {
      line: n.startPosition.row + 1,
      column: n.startPosition.column + 1,
      message: text ? `unexpected ${JSON.stringify(text.slice(0, 40))}` : 'unexpected input',
    };
  }
  for (const c of n.children) {
    if (c && (c.hasError || c.isMissing)) {
      const e = firstError(c);
      if (e) return e;
    }
  }
  return undefined;
}

const ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\' };

/** A quoted string's text as HCL reads it: backslash escapes, `$${` and `%%{`. */
export function unescapeQuoted(raw: string): string {
  return raw
    .replace(
      /\\(?:u([0-9a-fA-F]{4})|U([0-9a-fA-F]{8})|(.))/g,
      (all, u4?: string, u8?: string, c?: string) => {
        if (u4 || u8) return String.fromCodePoint(parseInt((u4 ?? u8)!, 16));
        return ESCAPES[c!] ?? all;
      },
    )
    .replace(/\$\$\{/g, '${')
    .replace(/%%\{/g, '%{');
}

/** The text of a heredoc without interpolations, `<<-` indentation removed as HCL does. */
function heredocText(n: TsNode, source: string): string {
  const start = n.children[0];
  const idents = n.children.filter((c): c is TsNode => c?.type === 'heredoc_identifier');
  const open = idents[0];
  const close = idents[idents.length - 1];
  if (!start || !open || !close || open === close) return '';
  const bodyStart = source.indexOf('\n', open.endIndex) + 1;
  const bodyEnd = source.lastIndexOf('\n', close.startIndex) + 1;
  let text = bodyEnd > bodyStart ? source.slice(bodyStart, bodyEnd) : '';
  if (start.text === '<<-') {
    const lines = text.split('\n');
    const indents = lines.filter((l) => l.trim() !== '').map((l) => /^[ \t]*/.exec(l)![0].length);
    const strip = indents.length > 0 ? Math.min(...indents) : 0;
    text = lines.map((l) => l.slice(strip)).join('\n');
  }
  return text.replace(/\$\$\{/g, '${').replace(/%%\{/g, '%{');
}

/** Calls whose value, for a policy check, is their (single) argument. */
const PASS_THROUGH = new Set([
  'jsonencode',
  'yamlencode',
  'tolist',
  'toset',
  'tomap',
  'tostring',
  'tonumber',
  'tobool',
  'sensitive',
  'nonsensitive',
]);

class Converter {
  constructor(private readonly source: string) {}

  private expr(n: TsNode): Node {
    return { kind: 'expr', pos: posOf(n), text: n.text };
  }

  /** An `expression` node (or any expression-shaped node) into a model node. */
  value(n: TsNode): Node {
    if (n.type !== 'expression') return this.primary(n, n);
    const parts = named(n);
    const [first, ...rest] = parts;
    if (!first) return this.expr(n);
    // `( expr )`
    if (first.type === 'expression' && parts.length === 1) return this.value(first);
    if (rest.length === 0) return this.primary(first, n);
    // `var.x`, `local.x`: a reference the model resolves to the default.
    if (first.type === 'variable_expr' && rest.length === 1 && rest[0]!.type === 'get_attr') {
      const root = first.text;
      const attr = named(rest[0]!)[0]?.text;
      if ((root === 'var' || root === 'local') && attr) {
        return {
          kind: 'fn',
          pos: posOf(n),
          name: 'Ref',
          arg: { kind: 'scalar', pos: posOf(n), value: `${root}.${attr}` },
        };
      }
    }
    return this.expr(n);
  }

  private primary(n: TsNode, whole: TsNode): Node {
    const pos = posOf(whole);
    switch (n.type) {
      case 'literal_value':
        return this.literal(named(n)[0] ?? n, pos);
      case 'collection_value':
        return this.collection(named(n)[0] ?? n, pos);
      case 'template_expr':
        return this.template(named(n)[0] ?? n, whole);
      case 'function_call':
        return this.call(n, whole);
      case 'conditional': {
        const [cond, a, b] = named(n);
        if (!cond || !a || !b) return this.expr(whole);
        const arg: ListNode = { kind: 'list', pos, items: [this.expr(cond), this.value(a), this.value(b)] };
        return { kind: 'fn', pos, name: 'Fn::If', arg };
      }
      case 'operation': {
        // `-1` is a number; other operators are computed at plan time.
        const op = named(n)[0];
        if (op?.type === 'unary_operation' && op.children[0]?.text === '-') {
          const operand = named(op)[0];
          const lit = operand?.type === 'literal_value' ? named(operand)[0] : undefined;
          if (lit?.type === 'numeric_lit') return { kind: 'scalar', pos, value: -Number(lit.text) };
        }
        return this.expr(whole);
      }
      default:
        return this.expr(whole);
    }
  }

  private literal(n: TsNode, pos: Pos): Node {
    switch (n.type) {
      case 'numeric_lit':
        return { kind: 'scalar', pos, value: Number(n.text) };
      case 'bool_lit':
        return { kind: 'scalar', pos, value: n.text === 'true' };
      case 'null_lit':
        return { kind: 'scalar', pos, value: null };
      case 'string_lit': {
        const lit = n.children.find((c) => c?.type === 'template_literal');
        return { kind: 'scalar', pos, value: lit ? unescapeQuoted(lit.text) : '' };
      }
      default:
        return { kind: 'expr', pos, text: n.text };
    }
  }

  private collection(n: TsNode, pos: Pos): Node {
    if (n.type === 'tuple') {
      return {
        kind: 'list',
        pos,
        items: named(n)
          .filter((c) => c.type === 'expression')
          .map((c) => this.value(c)),
      };
    }
    if (n.type === 'object') {
      const entries: Entry[] = [];
      for (const elem of named(n)) {
        if (elem.type !== 'object_elem') continue;
        const key = elem.childForFieldName('key');
        const val = elem.childForFieldName('val');
        if (!key || !val) continue;
        const name = this.objectKey(key);
        if (name === undefined) continue;
        entries.push({ key: name, keyPos: posOf(key), value: this.value(val) });
      }
      return { kind: 'map', pos, entries };
    }
    return { kind: 'expr', pos, text: n.text };
  }

  /** An object key: a bare name or a literal string; a computed key is not known. */
  private objectKey(key: TsNode): string | undefined {
    const parts = named(key);
    if (parts.length !== 1) return undefined;
    const p = parts[0]!;
    if (p.type === 'variable_expr') return p.text;
    if (p.type === 'literal_value') {
      const lit = named(p)[0];
      if (lit?.type === 'string_lit') {
        const t = lit.children.find((c) => c?.type === 'template_literal');
        return t ? unescapeQuoted(t.text) : '';
      }
      return lit?.text;
    }
    return undefined;
  }

  private template(n: TsNode, whole: TsNode): Node {
    const parts = named(n).filter(
      (c) =>
        !['quoted_template_start', 'quoted_template_end', 'heredoc_start', 'heredoc_identifier'].includes(
          c.type,
        ),
    );
    const dynamic = parts.filter(
      (c) => c.type === 'template_interpolation' || c.type === 'template_directive',
    );
    if (
      n.type === 'quoted_template' &&
      parts.length === 1 &&
      dynamic.length === 1 &&
      parts[0]!.type === 'template_interpolation'
    ) {
      const inner = named(parts[0]!).find((c) => c.type === 'expression');
      if (inner) return this.value(inner);
    }
    if (dynamic.length > 0) return this.expr(whole);
    if (n.type === 'heredoc_template')
      return { kind: 'scalar', pos: posOf(whole), value: heredocText(n, this.source) };
    const text = parts.map((p) => p.text).join('');
    return { kind: 'scalar', pos: posOf(whole), value: unescapeQuoted(text) };
  }

  private call(n: TsNode, whole: TsNode): Node {
    const name = named(n)[0]?.text;
    const args = named(n).find((c) => c.type === 'function_arguments');
    const list = args ? named(args).filter((c) => c.type === 'expression') : [];
    if (name && PASS_THROUGH.has(name) && list.length === 1) return this.value(list[0]!);
    return this.expr(whole);
  }

  /** A block or file body: attributes and nested blocks as entries. */
  body(body: TsNode | undefined, pos: Pos): MapNode {
    const map: MapNode = { kind: 'map', pos, entries: [] };
    if (!body) return map;
    const index = new Map<string, Entry>();
    const repeated = new Set<string>();
    const add = (key: string, keyPos: Pos, value: Node, block: boolean): void => {
      const existing = index.get(key);
      if (!existing || !block) {
        const e: Entry = { key, keyPos, value };
        if (!existing) index.set(key, e);
        map.entries.push(e);
        return;
      }
      // A repeated block: a list of its bodies.
      const end = { endLine: value.pos.endLine, endColumn: value.pos.endColumn };
      if (repeated.has(key) && existing.value.kind === 'list') {
        existing.value.items.push(value);
        existing.value.pos = { ...existing.value.pos, ...end };
      } else {
        const first = existing.value;
        existing.value = { kind: 'list', pos: { ...first.pos, ...end }, items: [first, value] };
        repeated.add(key);
      }
    };
    for (const child of named(body)) {
      if (child.type === 'attribute') {
        const [id, val] = named(child);
        if (id && val) add(id.text, posOf(id), this.value(val), false);
      } else if (child.type === 'block') {
        const block = this.block(child);
        if (block.type === 'dynamic' && block.labels[0]) {
          const content = block.body.entries.find((e) => e.key === 'content')?.value;
          const value: MapNode =
            content?.kind === 'map' ? content : { kind: 'map', pos: block.pos, entries: [] };
          add(block.labels[0].value, block.labels[0].pos, value, true);
        } else {
          add(block.type, posOf(named(child)[0]!), block.body, true);
        }
      }
    }
    return map;
  }

  block(n: TsNode): HclBlock {
    const parts = named(n);
    const type = parts[0]?.text ?? '';
    const labels: HclLabel[] = [];
    for (const p of parts.slice(1)) {
      if (p.type === 'string_lit') {
        const lit = p.children.find((c) => c?.type === 'template_literal');
        labels.push({ value: lit ? unescapeQuoted(lit.text) : '', pos: posOf(p) });
      } else if (p.type === 'identifier') {
        labels.push({ value: p.text, pos: posOf(p) });
      }
    }
    const pos = posOf(n);
    const body = this.body(
      parts.find((p) => p.type === 'body'),
      pos,
    );
    if (labels.length > 0) body.labels = labels.map((l) => l.value);
    return { type, labels, pos, body };
  }
}

/** Parses an HCL2 text. `prepareHcl()` must have finished. */
export function parseHcl(text: string): HclFile {
  if (!parser) throw new Error('the HCL grammar is not loaded: call prepareParsers() first');
  const tree = parser.parse(text);
  if (!tree) throw new Error('tree-sitter returned no tree');
  try {
    const top = tree.rootNode;
    const fullPos = posOf(top);
    const error = top.hasError ? firstError(top) : undefined;
    const convert = new Converter(text);
    const body = named(top).find((c) => c.type === 'body');
    const blocks: HclBlock[] = [];
    const attributes: Entry[] = [];
    if (body) {
      for (const child of named(body)) {
        if (child.type === 'block') blocks.push(convert.block(child));
        else if (child.type === 'attribute') {
          const [id, val] = named(child);
          if (id && val) attributes.push({ key: id.text, keyPos: posOf(id), value: convert.value(val) });
        }
      }
    }
    // The root lists the top level in source order: attributes, and each block under its type.
    const root: MapNode = {
      kind: 'map',
      pos: fullPos,
      entries: [...attributes, ...blocks.map((b) => ({ key: b.type, keyPos: b.pos, value: b.body }))].sort(
        (a, b) => a.keyPos.line - b.keyPos.line || a.keyPos.column - b.keyPos.column,
      ),
    };
    return { blocks, attributes, root, ...(error ? { error } : {}) };
  } finally {
    tree.delete();
  }
}

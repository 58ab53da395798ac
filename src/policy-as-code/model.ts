/**
 * Reading the document model: navigation by key path, and evaluation of what a value may be.
 *
 * Evaluation is conservative in the direction that matters to a gate: `possible()` expands
 * `Ref` to a parameter's default and both branches of `Fn::If`, so a value that *may* be insecure
 * is reported; a value that cannot be known (a `Ref` to a resource, a parameter without default,
 * an HCL expression) comes back as `unknown` and a rule does not report it.
 */
import type {
  Doc,
  Entry,
  FnNode,
  ListNode,
  MapNode,
  Node,
  Pos,
  Resource,
  Scalar,
  ScalarNode,
} from './types.js';

export function isMap(node: Node | undefined): node is MapNode {
  return node?.kind === 'map';
}

export function isList(node: Node | undefined): node is ListNode {
  return node?.kind === 'list';
}

export function isScalar(node: Node | undefined): node is ScalarNode {
  return node?.kind === 'scalar';
}

export function isFn(node: Node | undefined, name?: string): node is FnNode {
  return node?.kind === 'fn' && (name === undefined || node.name === name);
}

export function entry(map: Node | undefined, key: string): Entry | undefined {
  if (!isMap(map)) return undefined;
  for (const e of map.entries) if (e.key === key) return e;
  return undefined;
}

/** Case-insensitive key lookup, for formats whose keys are (Packer JSON, HTTP headers, …). */
export function entryCI(map: Node | undefined, key: string): Entry | undefined {
  if (!isMap(map)) return undefined;
  const k = key.toLowerCase();
  for (const e of map.entries) if (e.key.toLowerCase() === k) return e;
  return undefined;
}

/**
 * The node at a path of keys and list indexes: `get(res.body, 'BlockDeviceMappings', 0, 'Ebs')`.
 * A path segment `'*'` is not supported here; use `all()` for lists.
 */
export function get(node: Node | undefined, ...path: Array<string | number>): Node | undefined {
  let current = node;
  for (const step of path) {
    if (current === undefined) return undefined;
    if (typeof step === 'number') current = isList(current) ? current.items[step] : undefined;
    else current = entry(current, step)?.value;
  }
  return current;
}

/** The items of a list, or the node itself when it is a single value (HCL blocks, lenient YAML). */
export function items(node: Node | undefined): Node[] {
  if (node === undefined) return [];
  return isList(node) ? node.items : [node];
}

/** Every node reached by a path where `'*'` steps into each list item or map value. */
export function all(node: Node | undefined, ...path: Array<string | number>): Node[] {
  let current: Node[] = node === undefined ? [] : [node];
  for (const step of path) {
    const next: Node[] = [];
    for (const n of current) {
      if (step === '*') {
        if (isList(n)) next.push(...n.items);
        else if (isMap(n)) next.push(...n.entries.map((e) => e.value));
      } else {
        const v = get(n, step);
        if (v !== undefined) next.push(v);
      }
    }
    current = next;
  }
  return current;
}

export const UNKNOWN = Symbol('unknown');
export type Unknown = typeof UNKNOWN;

/** One value a node may take once deployed: a node with a value, absent, or unknown. */
export type Possible = Node | undefined | Unknown;

const MAX_DEPTH = 16;

/**
 * What a node may evaluate to. `Ref` to a parameter with a default gives the default (and the
 * parameter itself stays possible only through that default: a caller can override it, which is
 * the owner's choice and what cfn_nag and checkov assume too); `Ref` to `AWS::NoValue` gives
 * `undefined` (absent); `Fn::If` gives both branches; every other function is unknown.
 */
export function possible(node: Node | undefined, doc: Doc, depth = 0): Possible[] {
  if (node === undefined) return [undefined];
  if (depth > MAX_DEPTH) return [UNKNOWN];
  if (node.kind === 'expr') return [UNKNOWN];
  if (node.kind !== 'fn') return [node];
  if (node.name === 'Ref') {
    const target = isScalar(node.arg) ? String(node.arg.value) : undefined;
    if (target === 'AWS::NoValue') return [undefined];
    if (target !== undefined && doc.params.has(target)) {
      const def = doc.params.get(target);
      return def === undefined ? [UNKNOWN] : possible(def, doc, depth + 1);
    }
    return [UNKNOWN];
  }
  if (node.name === 'Fn::If' && isList(node.arg) && node.arg.items.length === 3) {
    return [...possible(node.arg.items[1], doc, depth + 1), ...possible(node.arg.items[2], doc, depth + 1)];
  }
  return [UNKNOWN];
}

/** A resolved property: what `get` finds, with `Fn::If`/`Ref` expanded at every step. */
export function possibleAt(node: Node | undefined, doc: Doc, ...path: Array<string | number>): Possible[] {
  let current: Possible[] = possible(node, doc);
  for (const step of path) {
    const next: Possible[] = [];
    for (const p of current) {
      if (p === UNKNOWN) next.push(UNKNOWN);
      else if (p === undefined) next.push(undefined);
      else {
        const child =
          typeof step === 'number' ? (isList(p) ? p.items[step] : undefined) : entry(p, step)?.value;
        next.push(...possible(child, doc));
      }
    }
    current = next;
  }
  return current;
}

/** A scalar's value as CloudFormation and Terraform coerce it: `"true"` is true. */
export function toBool(node: Possible): boolean | undefined {
  if (node === UNKNOWN || node === undefined || node.kind !== 'scalar') return undefined;
  const v = node.value;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string') {
    const s = v.trim().toLowerCase();
    if (s === 'true') return true;
    if (s === 'false') return false;
  }
  return undefined;
}

/** A scalar's value as a number: `"22"` is 22. */
export function toNumber(node: Possible): number | undefined {
  if (node === UNKNOWN || node === undefined || node.kind !== 'scalar') return undefined;
  const v = node.value;
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(v)) return Number(v);
  return undefined;
}

export function toStr(node: Possible): string | undefined {
  if (node === UNKNOWN || node === undefined || node.kind !== 'scalar') return undefined;
  const v = node.value;
  return v === null ? undefined : String(v);
}

export function scalarValue(node: Possible): Scalar | undefined {
  if (node === UNKNOWN || node === undefined || node.kind !== 'scalar') return undefined;
  return node.value;
}

/** True when some possible value of `node` is known and satisfies `test`. */
export function mayBe(node: Node | undefined, doc: Doc, test: (p: Node | undefined) => boolean): boolean {
  return possible(node, doc).some((p) => p !== UNKNOWN && test(p));
}

/** True when the node may be absent (missing, or `AWS::NoValue` in some branch). */
export function mayBeAbsent(node: Node | undefined, doc: Doc): boolean {
  return possible(node, doc).some((p) => p === undefined);
}

/** True when the node may be the boolean `value` (`"false"` counts as false). */
export function mayBeBool(node: Node | undefined, doc: Doc, value: boolean): boolean {
  return possible(node, doc).some((p) => p !== UNKNOWN && toBool(p) === value);
}

/** True when the node is absent or may be false: the usual "not enabled" test. */
export function mayBeOff(node: Node | undefined, doc: Doc): boolean {
  return possible(node, doc).some((p) => p === undefined || (p !== UNKNOWN && toBool(p) === false));
}

/** The strings a node may be (lists flattened one level), known values only. */
export function possibleStrings(node: Node | undefined, doc: Doc): string[] {
  const out: string[] = [];
  for (const p of possible(node, doc)) {
    if (p === UNKNOWN || p === undefined) continue;
    if (p.kind === 'list') {
      for (const item of p.items)
        for (const q of possible(item, doc)) {
          const s = toStr(q);
          if (s !== undefined) out.push(s);
        }
    } else {
      const s = toStr(p);
      if (s !== undefined) out.push(s);
    }
  }
  return out;
}

export function resourcesOf(doc: Doc, ...types: string[]): Resource[] {
  const wanted = new Set(types);
  return doc.resources.filter((r) => wanted.has(r.type));
}

/** The first line of a resource (its key or block header), where a finding about it points. */
export function headerPos(resource: Resource): Pos {
  const p = resource.pos;
  return {
    line: p.line,
    column: p.column,
    endLine: p.line,
    endColumn: p.line === p.endLine ? p.endColumn : p.column + resource.name.length,
  };
}

/** Where to point for a property: the property's value when present, else the resource's header. */
export function posOf(node: Node | undefined, resource: Resource): Pos {
  return node?.pos ?? headerPos(resource);
}

/** The position of a key (the attribute name) when present, else the resource's header. */
export function keyPosOf(map: Node | undefined, key: string, resource: Resource): Pos {
  return entry(map, key)?.keyPos ?? headerPos(resource);
}

/** Positions built by parsers: from 1-based line/column pairs. */
export function makePos(line: number, column: number, endLine = line, endColumn = column): Pos {
  return { line, column, endLine, endColumn };
}

/** A plain JavaScript value for a node (unknowns as undefined), for messages and custom rules. */
export function toPlain(node: Node | undefined, doc: Doc, depth = 0): unknown {
  if (node === undefined || depth > 64) return undefined;
  switch (node.kind) {
    case 'scalar':
      return node.value;
    case 'list':
      return node.items.map((i) => toPlain(i, doc, depth + 1));
    case 'map':
      return Object.fromEntries(node.entries.map((e) => [e.key, toPlain(e.value, doc, depth + 1)]));
    case 'fn': {
      const [first] = possible(node, doc);
      return first === UNKNOWN || first === undefined || first === node
        ? undefined
        : toPlain(first, doc, depth + 1);
    }
    default:
      return undefined;
  }
}

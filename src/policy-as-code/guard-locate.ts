/**
 * Where a cfn-guard path points in a template: `/Resources/Logs/Properties/Versioning/Status` is
 * walked through the scan's document model (map keys, list indexes, and intrinsic functions such
 * as `!Ref`, which cfn-guard sees as `{"Ref": …}`), as deep as it goes. A property that is there
 * is pointed at from its key to the end of a one-line value; a path that stops at the resource
 * (a missing property) points at the resource's first line.
 */
import { entry, headerPos, isList, isMap } from './model.js';
import type { Doc, Entry, Node, Pos, Resource } from './types.js';

export interface Located {
  pos: Pos;
  resource?: Resource;
}

function entryPos(e: Entry): Pos {
  const k = e.keyPos;
  const v = e.value.pos;
  const oneLine = e.value.kind === 'scalar' || (v.line === k.line && v.endLine === k.line);
  return oneLine && v.line === k.line
    ? { line: k.line, column: k.column, endLine: v.endLine, endColumn: v.endColumn }
    : { line: k.line, column: k.column, endLine: k.endLine, endColumn: k.endColumn };
}

function firstLine(p: Pos): Pos {
  return p.endLine === p.line ? p : { line: p.line, column: p.column, endLine: p.line, endColumn: p.column };
}

const TOP: Pos = { line: 1, column: 1, endLine: 1, endColumn: 1 };

/**
 * The position of a cfn-guard path in `doc`. `zeroBasedLine` is cfn-guard's own `[L:n]` (0-based),
 * used only when the path cannot be followed at all.
 */
export function locate(doc: Doc, pointer: string | undefined, zeroBasedLine?: number): Located {
  const segs = pointer ? pointer.split('/').slice(1) : [];
  const resource = segs[0] === 'Resources' ? doc.resources.find((r) => r.name === segs[1]) : undefined;
  let node: Node | undefined = doc.root;
  let pos: Pos | undefined;
  let depth = 0;
  for (const seg of segs) {
    if (node === undefined) break;
    if (node.kind === 'fn' && seg === node.name) {
      node = node.arg;
      depth++;
      continue;
    }
    if (isMap(node)) {
      const e = entry(node, seg);
      if (!e) break;
      pos = entryPos(e);
      node = e.value;
    } else if (isList(node) && /^\d+$/.test(seg)) {
      const item: Node | undefined = node.items[Number(seg)];
      if (!item) break;
      pos = firstLine(item.pos);
      node = item;
    } else break;
    depth++;
  }
  if (resource) {
    // Down to the resource, or to its Properties: the resource's first line.
    const shallow = depth <= 2 || (depth === 3 && segs[2] === 'Properties');
    return { pos: shallow || !pos ? headerPos(resource) : pos, resource };
  }
  if (pos && depth > 0) return { pos };
  if (zeroBasedLine !== undefined) {
    const line = zeroBasedLine + 1;
    return { pos: { line, column: 1, endLine: line, endColumn: 1 } };
  }
  return { pos: TOP };
}

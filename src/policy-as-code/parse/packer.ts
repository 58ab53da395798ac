/**
 * Packer templates into the document model, in the three forms Packer reads:
 *
 * - HCL2 (`*.pkr.hcl`): `source "amazon-ebs" "golden"` is a resource of type `amazon-ebs` named
 *   `golden` (block `source`); `variable` blocks are resources of type `variable` and, with
 *   `locals`/`local`, the names `var.x` / `local.x` resolve to;
 * - HCL2 in JSON syntax (`*.pkr.json`): `{"source": {"amazon-ebs": {"golden": {…}}}}`;
 * - legacy JSON templates: `builders` (each a resource of its `type`, named by its `name` or its
 *   type; block `builder`), `variables` (resources of type `variable`, `sensitive-variables`
 *   marking them) and `{{user \`x\`}}` references, which resolve like `var.x`. Legacy keys are
 *   matched case-insensitively by Packer, so they are lower-cased here.
 */
import { get, isMap } from '../model.js';
import type { Doc, Entry, MapNode, Node, Resource } from '../types.js';
import { parseHcl } from './hcl.js';
import type { ParseResult } from './index.js';
import { scanComments } from './positions.js';
import { hclParams } from './terraform.js';

export function parsePackerHcl(file: string, text: string): ParseResult {
  const hcl = parseHcl(text);
  if (hcl.error) return { docs: [], errors: [{ file, ...hcl.error, format: 'packer' }] };
  const resources: Resource[] = [];
  const params = hclParams(hcl.blocks);
  for (const b of hcl.blocks) {
    const [first, second] = b.labels;
    if (b.type === 'source' && first && second) {
      resources.push({
        type: first.value,
        name: second.value,
        pos: b.pos,
        body: b.body,
        node: b.body,
        block: 'source',
      });
    } else if (b.type === 'variable' && first) {
      resources.push({
        type: 'variable',
        name: first.value,
        pos: b.pos,
        body: b.body,
        node: b.body,
        block: 'variable',
      });
    } else if (b.type === 'local' && first) {
      // `local "name" { expression = …, sensitive = true }`
      params.set(`local.${first.value}`, b.body.entries.find((e) => e.key === 'expression')?.value);
    }
  }
  const doc: Doc = {
    file,
    format: 'packer',
    root: hcl.root,
    resources,
    params,
    comments: scanComments(text, 'hcl'),
  };
  return { docs: [doc], errors: [] };
}

/** A legacy template: `builders` is a list of objects that each have a `type`. */
export function isLegacyPackerTemplate(root: Node | undefined): boolean {
  const builders = get(root, 'builders');
  return (
    builders?.kind === 'list' &&
    builders.items.length > 0 &&
    builders.items.every((b) => isMap(b) && b.entries.some((e) => e.key === 'type'))
  );
}

/** The top-level blocks of Packer's HCL2 schema. */
const HCL2_BLOCKS = ['source', 'build', 'variable', 'variables', 'locals', 'local', 'packer', 'data'];

/**
 * HCL2 in JSON syntax: a `.pkr.json` file whose top level holds HCL2 blocks (`source` objects of
 * `type → name → body`, `variable`, `build`, …). A file of variables alone is one too: its
 * `sensitive` flags count.
 */
export function isPackerHclJson(file: string, root: Node | undefined): boolean {
  return /\.pkr\.json$/i.test(file) && isMap(root) && root.entries.some((e) => HCL2_BLOCKS.includes(e.key));
}

const USER_VAR = /^\{\{\s*user\s+`([^`]+)`\s*\}\}$/;

/** Legacy values: `{{user \`x\`}}` is `Ref var.x`, other templates are unknown; keys lower-cased. */
function legacyValue(node: Node): Node {
  switch (node.kind) {
    case 'scalar': {
      if (typeof node.value !== 'string' || !node.value.includes('{{')) return node;
      const m = USER_VAR.exec(node.value.trim());
      if (m) {
        return {
          kind: 'fn',
          pos: node.pos,
          name: 'Ref',
          arg: { kind: 'scalar', pos: node.pos, value: `var.${m[1]}` },
        };
      }
      return { kind: 'expr', pos: node.pos, text: node.value };
    }
    case 'list':
      return { ...node, items: node.items.map(legacyValue) };
    case 'map':
      return {
        ...node,
        entries: node.entries.map((e) => ({ ...e, key: e.key.toLowerCase(), value: legacyValue(e.value) })),
      };
    default:
      return node;
  }
}

export function legacyPackerDoc(file: string, root: MapNode, text: string): Doc {
  const resources: Resource[] = [];
  const params = new Map<string, Node | undefined>();
  const sensitive = new Set<string>();
  const marked = get(root, 'sensitive-variables');
  if (marked?.kind === 'list') {
    for (const item of marked.items) if (item.kind === 'scalar') sensitive.add(String(item.value));
  }
  const variables = get(root, 'variables');
  if (isMap(variables)) {
    for (const v of variables.entries) {
      const value = legacyValue(v.value);
      params.set(`var.${v.key}`, value);
      const entries: Entry[] = [{ key: 'default', keyPos: v.keyPos, value }];
      if (sensitive.has(v.key)) {
        entries.push({
          key: 'sensitive',
          keyPos: v.keyPos,
          value: { kind: 'scalar', pos: v.keyPos, value: true },
        });
      }
      const pos = { ...v.keyPos, endLine: value.pos.endLine, endColumn: value.pos.endColumn };
      const body: MapNode = { kind: 'map', pos, entries };
      resources.push({ type: 'variable', name: v.key, pos, body, node: body, block: 'variable' });
    }
  }
  const builders = get(root, 'builders');
  for (const b of builders?.kind === 'list' ? builders.items : []) {
    if (!isMap(b)) continue;
    const body = legacyValue(b) as MapNode;
    const type = get(body, 'type');
    const name = get(body, 'name');
    const typeName = type?.kind === 'scalar' ? String(type.value) : 'builder';
    resources.push({
      type: typeName,
      name: name?.kind === 'scalar' ? String(name.value) : typeName,
      pos: b.pos,
      body,
      node: body,
      block: 'builder',
    });
  }
  return { file, format: 'packer', root, resources, params, comments: scanComments(text, 'hash') };
}

const HCL_REF = /^\$\{\s*((?:var|local)\.[A-Za-z_][\w-]*)\s*\}$/;

/** HCL-in-JSON strings: `"${var.x}"` is `Ref var.x`, other templates are unknown. */
function hclJsonValue(node: Node): Node {
  switch (node.kind) {
    case 'scalar': {
      if (typeof node.value !== 'string' || !node.value.includes('${')) return node;
      const m = HCL_REF.exec(node.value.trim());
      if (m)
        return {
          kind: 'fn',
          pos: node.pos,
          name: 'Ref',
          arg: { kind: 'scalar', pos: node.pos, value: m[1]! },
        };
      return { kind: 'expr', pos: node.pos, text: node.value };
    }
    case 'list':
      return { ...node, items: node.items.map(hclJsonValue) };
    case 'map':
      return { ...node, entries: node.entries.map((e) => ({ ...e, value: hclJsonValue(e.value) })) };
    default:
      return node;
  }
}

/** `*.pkr.json`: the HCL2 schema written as JSON. */
export function packerHclJsonDoc(file: string, json: MapNode, text: string): Doc {
  const root = hclJsonValue(json) as MapNode;
  const resources: Resource[] = [];
  const params = new Map<string, Node | undefined>();
  const sources = get(root, 'source');
  for (const byType of isMap(sources) ? sources.entries : []) {
    for (const byName of isMap(byType.value) ? byType.value.entries : []) {
      if (!isMap(byName.value)) continue;
      resources.push({
        type: byType.key,
        name: byName.key,
        pos: { ...byType.keyPos, endLine: byName.value.pos.endLine, endColumn: byName.value.pos.endColumn },
        body: byName.value,
        node: byName.value,
        block: 'source',
      });
    }
  }
  const variables = get(root, 'variable');
  for (const v of isMap(variables) ? variables.entries : []) {
    if (!isMap(v.value)) continue;
    params.set(`var.${v.key}`, get(v.value, 'default'));
    resources.push({
      type: 'variable',
      name: v.key,
      pos: v.value.pos,
      body: v.value,
      node: v.value,
      block: 'variable',
    });
  }
  const locals = get(root, 'locals');
  for (const l of isMap(locals) ? locals.entries : []) params.set(`local.${l.key}`, l.value);
  return { file, format: 'packer', root, resources, params, comments: scanComments(text, 'hash') };
}

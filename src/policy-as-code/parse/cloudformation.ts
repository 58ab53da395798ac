/**
 * CloudFormation templates, YAML or JSON. A document is a template when it has
 * `AWSTemplateFormatVersion` or a `Resources` entry whose `Type` starts with `AWS::` (or
 * `Custom::`, `Alexa::`). Long-form intrinsics (`{"Ref": …}`, `{"Fn::If": …}`) become `fn` nodes
 * like the short tags do; parameters resolve to their defaults; `Conditions` are recorded so a
 * rule sees both branches of `Fn::If`.
 */
import { entry, isMap, isScalar } from '../model.js';
import type { Doc, MapNode, Node, Resource } from '../types.js';
import { scanComments } from './positions.js';

const RESOURCE_TYPE = /^(AWS|Custom|Alexa)::|^AWS::Serverless::/;

/** True when a parsed root looks like a CloudFormation (or SAM) template. */
export function isTemplate(root: Node | undefined): boolean {
  if (!isMap(root)) return false;
  if (entry(root, 'AWSTemplateFormatVersion')) return true;
  const resources = entry(root, 'Resources')?.value;
  if (!isMap(resources)) return false;
  return resources.entries.some((e) => {
    const type = entry(e.value, 'Type')?.value;
    return isScalar(type) && typeof type.value === 'string' && RESOURCE_TYPE.test(type.value);
  });
}

/** `{"Ref": x}` / `{"Fn::Sub": x}` / `{"Condition": x}` single-key maps into `fn` nodes, deeply. */
export function withIntrinsics(node: Node, depth = 0): Node {
  if (depth > 200) return node;
  switch (node.kind) {
    case 'map': {
      if (node.entries.length === 1) {
        const only = node.entries[0]!;
        if (only.key === 'Ref' || only.key.startsWith('Fn::')) {
          return { kind: 'fn', pos: node.pos, name: only.key, arg: withIntrinsics(only.value, depth + 1) };
        }
      }
      return {
        kind: 'map',
        pos: node.pos,
        entries: node.entries.map((e) => ({ ...e, value: withIntrinsics(e.value, depth + 1) })),
      };
    }
    case 'list':
      return { kind: 'list', pos: node.pos, items: node.items.map((i) => withIntrinsics(i, depth + 1)) };
    case 'fn':
      return { ...node, arg: withIntrinsics(node.arg, depth + 1) };
    default:
      return node;
  }
}

const EMPTY_MAP = (pos: MapNode['pos']): MapNode => ({ kind: 'map', pos, entries: [] });

export function cloudFormationDoc(file: string, rawRoot: Node, text: string, json: boolean): Doc {
  const root = withIntrinsics(rawRoot) as MapNode;
  const params = new Map<string, Node | undefined>();
  const parameters = entry(root, 'Parameters')?.value;
  if (isMap(parameters)) {
    for (const p of parameters.entries) params.set(p.key, entry(p.value, 'Default')?.value);
  }
  const conditions = new Set<string>();
  const conds = entry(root, 'Conditions')?.value;
  if (isMap(conds)) for (const c of conds.entries) conditions.add(c.key);

  const resources: Resource[] = [];
  const resourceMap = entry(root, 'Resources')?.value;
  if (isMap(resourceMap)) {
    for (const e of resourceMap.entries) {
      const type = entry(e.value, 'Type')?.value;
      if (!isScalar(type) || typeof type.value !== 'string') continue;
      const props = entry(e.value, 'Properties')?.value;
      const metadata = entry(e.value, 'Metadata')?.value;
      resources.push({
        type: type.value,
        name: e.key,
        pos: {
          line: e.keyPos.line,
          column: e.keyPos.column,
          endLine: e.value.pos.endLine,
          endColumn: e.value.pos.endColumn,
        },
        body: isMap(props) ? props : EMPTY_MAP(e.keyPos),
        node: e.value,
        ...(isMap(metadata) ? { metadata } : {}),
      });
    }
  }
  return {
    file,
    format: 'cloudformation',
    root,
    resources,
    params,
    conditions,
    comments: json ? [] : scanComments(text, 'hash'),
  };
}

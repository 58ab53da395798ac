/**
 * Terraform shapes that several AWS rules share, so that each rule's Terraform check is a thin
 * front end over the same analysis as its CloudFormation check:
 *
 * - checks that read `resource` blocks only (a `data` block of the same type describes something
 *   that exists elsewhere, and is not ours to report);
 * - companion resources of the module (`aws_s3_bucket_public_access_block` for a bucket) and
 *   whether one of them may reference a given resource, read conservatively: a reference that
 *   cannot be attributed counts as one to the resource, so no "missing companion" is reported;
 * - `data "aws_iam_policy_document"` read as a policy document in the shape aws-helpers.ts
 *   analyses (`Statement`, `Effect`, `Action`, `Principal`, `Condition`, …), values keeping the
 *   positions they were written at, and what the document is used as (a trust, bucket, key or
 *   repository policy), from the module's references to it or else from its actions.
 */
import { entry, get, headerPos, isList, isScalar } from '../model.js';
import type { Doc, Entry, Hit, ListNode, MapNode, Node, Pos, Resource } from '../types.js';
import { known, mapItems, placedAt, stringsAt, UNKNOWN_KEY, within } from './aws-helpers.js';
import type { CheckResult, ResourceCheck } from './define.js';

/** A Terraform check over `resource` blocks of `types` (and `data` blocks when `data` lists them). */
export function tf(
  types: readonly string[],
  check: (res: Resource, doc: Doc) => CheckResult,
  data: readonly string[] = [],
): ResourceCheck {
  return {
    types: [...types, ...data],
    check(res, doc) {
      const wanted = res.block === 'data' ? data.includes(res.type) : res.block === 'resource';
      if (!wanted) return undefined;
      // A hit outside the resource (a value placed in a variable or local, maybe in another file)
      // is moved to the resource's header: the finding is reported in this file.
      const result = check(res, doc);
      const hits = result === undefined ? [] : Array.isArray(result) ? result : [result];
      return hits.map((h) => (h && !within(h.pos, res.pos) ? { ...h, pos: headerPos(res) } : h));
    },
  };
}

/** The module's `resource` blocks of the given types (this file's when modules are not linked). */
export function moduleResources(doc: Doc, ...types: string[]): Resource[] {
  return (doc.moduleResources ?? doc.resources).filter(
    (r) => r.block === 'resource' && types.includes(r.type),
  );
}

type RefValue =
  { kind: 'expr'; text: string } | { kind: 'string'; value: string } | { kind: 'unknown' } | { kind: 'none' };

/**
 * What a reference attribute may be, `var.x` / `local.x` and both branches of a conditional
 * followed, keeping the text of expressions (`aws_s3_bucket.b.id`) that `possible()` drops.
 */
function referenceValues(node: Node | undefined, doc: Doc, depth = 0): RefValue[] {
  if (node === undefined) return [{ kind: 'none' }];
  if (depth > 16) return [{ kind: 'unknown' }];
  switch (node.kind) {
    case 'expr':
      return [{ kind: 'expr', text: node.text }];
    case 'scalar':
      return typeof node.value === 'string' ? [{ kind: 'string', value: node.value }] : [{ kind: 'none' }];
    case 'fn': {
      if (node.name === 'Ref' && isScalar(node.arg)) {
        const name = String(node.arg.value);
        if (!doc.params.has(name)) return [{ kind: 'unknown' }];
        const def = doc.params.get(name);
        return def === undefined ? [{ kind: 'unknown' }] : referenceValues(def, doc, depth + 1);
      }
      if (node.name === 'Fn::If' && isList(node.arg) && node.arg.items.length === 3) {
        return [
          ...referenceValues(node.arg.items[1], doc, depth + 1),
          ...referenceValues(node.arg.items[2], doc, depth + 1),
        ];
      }
      return [{ kind: 'unknown' }];
    }
    default:
      return [{ kind: 'none' }];
  }
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** `aws_s3_bucket.logs` (with an index or not) in an expression, not `data.aws_s3_bucket.logs`. */
function mentions(text: string, type: string, name?: string): boolean {
  const n = name === undefined ? '[A-Za-z_][\\w-]*' : escapeRegExp(name);
  return new RegExp(`(?<![\\w.])${escapeRegExp(type)}\\.${n}(?![\\w-])`).test(text);
}

/**
 * True when a reference attribute (`bucket = …` of a companion) may name `target`: an
 * expression that mentions `<type>.<name>`, a literal equal to the target's own `nameKey`
 * attribute (or to an ARN ending in it), or a value that cannot be attributed (a variable
 * without default, a module output, `each.value`). An expression that only mentions other
 * resources of the target's type, or a literal that differs from the target's known name, does
 * not.
 */
export function mayReference(node: Node | undefined, doc: Doc, target: Resource, nameKey?: string): boolean {
  return referenceValues(node, doc).some((v) => {
    switch (v.kind) {
      case 'none':
        return false;
      case 'unknown':
        return true;
      case 'expr':
        return mentions(v.text, target.type, target.name) || !mentions(v.text, target.type);
      case 'string': {
        if (nameKey === undefined) return false;
        const names = referenceValues(get(target.body, nameKey), doc);
        return names.some((n) => {
          if (n.kind === 'unknown' || n.kind === 'expr') return true;
          if (n.kind !== 'string') return false;
          const literal = v.value.trim();
          return literal === n.value || literal.endsWith(`:${n.value}`);
        });
      }
    }
  });
}

/**
 * True when some resource of `types` in the module may reference `target` through `attr`
 * (default `bucket`): the companion check every "missing companion" report goes through.
 */
export function hasCompanion(
  doc: Doc,
  target: Resource,
  types: readonly string[],
  attr = 'bucket',
  nameKey = 'bucket',
): boolean {
  return moduleResources(doc, ...types).some((c) => mayReference(get(c.body, attr), doc, target, nameKey));
}

/** A hit on `res` when no companion of `types` in the module may reference it. */
export function missingCompanion(
  res: Resource,
  doc: Doc,
  types: readonly string[],
  message: string,
): Hit | undefined {
  return hasCompanion(doc, res, types) ? undefined : { pos: res.pos, message };
}

/** The text of every expression under a node. */
function expressions(node: Node, out: string[]): void {
  switch (node.kind) {
    case 'expr':
      out.push(node.text);
      break;
    case 'map':
      for (const e of node.entries) expressions(e.value, out);
      break;
    case 'list':
      for (const i of node.items) expressions(i, out);
      break;
    case 'fn':
      expressions(node.arg, out);
      break;
    default:
      break;
  }
}

/** The `type.attribute` places in the module that reference the given data source. */
export function referencesTo(doc: Doc, data: Resource): string[] {
  const pattern = new RegExp(
    `(?<![\\w.])data\\.${escapeRegExp(data.type)}\\.${escapeRegExp(data.name)}(?![\\w-])`,
  );
  const out: string[] = [];
  for (const r of doc.moduleResources ?? doc.resources) {
    for (const e of r.body.entries) {
      const texts: string[] = [];
      expressions(e.value, texts);
      if (texts.some((t) => pattern.test(t))) out.push(`${r.type}.${e.key}`);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// aws_iam_policy_document

function scalarAt(value: string, pos: Pos): Node {
  return { kind: 'scalar', pos, value };
}

/**
 * The items of lists, for one merged list: a literal list's items in place, a list reached
 * through a reference (`var.principals`) placed at the reference, any other value as it is.
 */
function flatten(nodes: readonly Node[], doc: Doc): Node[] {
  const out: Node[] = [];
  for (const n of nodes) {
    if (isList(n)) {
      out.push(...n.items);
      continue;
    }
    const values = known(n, doc);
    if (!values.some(isList)) {
      out.push(n);
      continue;
    }
    for (const v of values) out.push(...(isList(v) ? v.items : [v]).map((i) => placedAt(i, n.pos)));
  }
  return out;
}

function listAt(items: Node[], pos: Pos): ListNode {
  return { kind: 'list', pos, items };
}

/** From the start of the first position to the end of the last. */
function span(first: Pos, last: Pos): Pos {
  return { line: first.line, column: first.column, endLine: last.endLine, endColumn: last.endColumn };
}

/** `principals { type identifiers }` blocks as a `Principal` map (`*` counted under `AWS`). */
function principalOf(blocks: MapNode[], doc: Doc): Node | undefined {
  const byType = new Map<string, { keyPos: Pos; items: Node[] }>();
  for (const b of blocks) {
    const ids = get(b, 'identifiers');
    if (ids === undefined) continue;
    for (const t of stringsAt(get(b, 'type'), doc)) {
      const key = t.value.trim() === '*' ? 'AWS' : t.value.trim();
      const slot = byType.get(key) ?? { keyPos: t.pos, items: [] };
      slot.items.push(...flatten([ids], doc));
      byType.set(key, slot);
    }
  }
  if (byType.size === 0) return undefined;
  const pos = span(blocks[0]!.pos, blocks[blocks.length - 1]!.pos);
  return {
    kind: 'map',
    pos,
    entries: [...byType].map(([key, s]) => ({ key, keyPos: s.keyPos, value: listAt(s.items, pos) })),
  };
}

/** `condition { test variable values }` blocks as a `Condition` map; unknown names kept as such. */
function conditionOf(blocks: MapNode[], doc: Doc): Node | undefined {
  const ops = new Map<string, Entry[]>();
  for (const b of blocks) {
    const tests = stringsAt(get(b, 'test'), doc).map((s) => s.value.trim());
    const vars = stringsAt(get(b, 'variable'), doc).map((s) => s.value.trim());
    const values = get(b, 'values') ?? listAt([], b.pos);
    for (const test of tests.length > 0 ? tests : [UNKNOWN_KEY]) {
      const list = ops.get(test) ?? [];
      for (const v of vars.length > 0 ? vars : [UNKNOWN_KEY])
        list.push({ key: v, keyPos: b.pos, value: values });
      ops.set(test, list);
    }
  }
  if (ops.size === 0) return undefined;
  const pos = blocks[0]!.pos;
  return {
    kind: 'map',
    pos,
    entries: [...ops].map(([key, tests]) => ({
      key,
      keyPos: pos,
      value: { kind: 'map', pos, entries: tests },
    })),
  };
}

const STATEMENT_KEYS: Array<[string, string]> = [
  ['sid', 'Sid'],
  ['effect', 'Effect'],
  ['actions', 'Action'],
  ['not_actions', 'NotAction'],
  ['resources', 'Resource'],
  ['not_resources', 'NotResource'],
];

/** One `statement` block as an IAM statement; `effect` defaults to `Allow`, as in Terraform. */
function statementOf(block: MapNode, doc: Doc): MapNode {
  const entries: Entry[] = [];
  for (const [from, to] of STATEMENT_KEYS) {
    const e = entry(block, from);
    if (e) entries.push({ key: to, keyPos: e.keyPos, value: e.value });
  }
  if (!entry(block, 'effect'))
    entries.push({ key: 'Effect', keyPos: block.pos, value: scalarAt('Allow', block.pos) });
  for (const [from, to] of [
    ['principals', 'Principal'],
    ['not_principals', 'NotPrincipal'],
  ] as const) {
    const p = principalOf(mapItems(get(block, from), doc), doc);
    if (p) entries.push({ key: to, keyPos: p.pos, value: p });
  }
  const condition = conditionOf(mapItems(get(block, 'condition'), doc), doc);
  if (condition) entries.push({ key: 'Condition', keyPos: condition.pos, value: condition });
  return { kind: 'map', pos: block.pos, entries };
}

/** What a policy document with principals is for. */
export type PolicyUse = 'trust' | 'bucket' | 'key' | 'repository';

const USE_OF_REFERENCE: Record<string, PolicyUse> = {
  'aws_iam_role.assume_role_policy': 'trust',
  'aws_s3_bucket_policy.policy': 'bucket',
  'aws_s3_bucket.policy': 'bucket',
  'aws_kms_key.policy': 'key',
  'aws_kms_replica_key.policy': 'key',
  'aws_kms_key_policy.policy': 'key',
  'aws_ecr_repository_policy.policy': 'repository',
};

/** Actions that only a policy of one kind grants to a principal. */
function useOfActions(actions: readonly string[]): PolicyUse | undefined {
  if (actions.length === 0) return undefined;
  const all = (test: (a: string) => boolean) => actions.every((a) => test(a.trim().toLowerCase()));
  if (all((a) => /^sts:(assumerole|tagsession|setsourceidentity|setcontext)/.test(a))) return 'trust';
  if (all((a) => a.startsWith('s3:'))) return 'bucket';
  if (all((a) => a.startsWith('kms:'))) return 'key';
  if (all((a) => a.startsWith('ecr:'))) return 'repository';
  return undefined;
}

export interface DocumentStatement {
  statement: MapNode;
  /** The block has `principals` or `not_principals`: a resource or trust policy statement. */
  principals: boolean;
  /** What it is used as: the module's references to the document, else its actions. */
  uses: ReadonlySet<PolicyUse>;
}

/** The statements of a `data "aws_iam_policy_document"`, read as IAM statements. */
export function documentStatements(res: Resource, doc: Doc): DocumentStatement[] {
  if (res.block !== 'data' || res.type !== 'aws_iam_policy_document') return [];
  const referenced = new Set<PolicyUse>();
  // A document merged into another (`source_policy_documents`) says nothing of its use itself.
  const refs = referencesTo(doc, res).filter((r) => !r.startsWith(`${res.type}.`));
  for (const r of refs) {
    const use = USE_OF_REFERENCE[r];
    if (use) referenced.add(use);
  }
  return mapItems(get(res.body, 'statement'), doc).map((block) => {
    const principals =
      entry(block, 'principals') !== undefined || entry(block, 'not_principals') !== undefined;
    let uses: ReadonlySet<PolicyUse> = referenced;
    if (refs.length === 0) {
      const inferred = useOfActions(stringsAt(get(block, 'actions'), doc).map((a) => a.value));
      uses = new Set(inferred ? [inferred] : []);
    }
    return { statement: statementOf(block, doc), principals, uses };
  });
}

/** Statements wrapped as one policy document, for the analysis in aws-helpers.ts. */
export function asPolicy(res: Resource, sts: readonly MapNode[]): MapNode[] {
  if (sts.length === 0) return [];
  return [
    {
      kind: 'map',
      pos: res.pos,
      entries: [{ key: 'Statement', keyPos: res.pos, value: listAt([...sts], res.pos) }],
    },
  ];
}

/** The statements of a policy document data source used as `use`, as one policy. */
export function documentPolicyFor(res: Resource, doc: Doc, use: PolicyUse): MapNode[] {
  return asPolicy(
    res,
    documentStatements(res, doc)
      .filter((s) => s.principals && s.uses.has(use))
      .map((s) => s.statement),
  );
}

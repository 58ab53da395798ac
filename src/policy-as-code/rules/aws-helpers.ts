/**
 * Reading AWS shapes that several rules share: lists whose items may be `Fn::If`, string values
 * with the position they were written at, and IAM policy documents (identity, trust and resource
 * policies), given as objects or as JSON strings.
 *
 * Positions always point at the value as written in the resource: a `Ref` to a parameter whose
 * default is insecure is reported where the `Ref` is, not in `Parameters`.
 */
import { isList, isMap, isScalar, possible, toStr, UNKNOWN } from '../model.js';
import type { Doc, Hit, MapNode, Node, Pos } from '../types.js';

/** The values a node may take that are known and present (unknowns and absences dropped). */
export function known(node: Node | undefined, doc: Doc): Node[] {
  const out: Node[] = [];
  for (const p of possible(node, doc)) if (p !== UNKNOWN && p !== undefined) out.push(p);
  return out;
}

/**
 * The maps of a list property: each item of each possible list, itself resolved through
 * `Fn::If`. A single map where a list is expected counts as a one-item list.
 */
export function mapItems(node: Node | undefined, doc: Doc): MapNode[] {
  const out: MapNode[] = [];
  for (const p of known(node, doc)) {
    const list = isList(p) ? p.items : [p];
    for (const item of list) for (const q of known(item, doc)) if (isMap(q)) out.push(q);
  }
  return out;
}

export interface Located {
  value: string;
  pos: Pos;
}

/** True when `inner` lies within `outer` (both as parsers give them: 1-based, end exclusive). */
export function within(inner: Pos, outer: Pos): boolean {
  const before = (a: number, b: number, c: number, d: number) => a < c || (a === c && b <= d);
  return (
    before(outer.line, outer.column, inner.line, inner.column) &&
    before(inner.endLine, inner.endColumn, outer.endLine, outer.endColumn)
  );
}

/**
 * The strings a value may be, a single string or a list of them, each with the position of the
 * item as written (so a hit points at the offending list item). A list reached through a
 * reference (a Terraform variable's default, maybe in another file) is placed where the
 * reference is.
 */
export function stringsAt(node: Node | undefined, doc: Doc): Located[] {
  if (node === undefined) return [];
  const out: Located[] = [];
  for (const p of known(node, doc)) {
    if (isList(p)) {
      for (const item of p.items) {
        for (const q of known(item, doc)) {
          const s = toStr(q);
          if (s !== undefined) out.push({ value: s, pos: within(item.pos, node.pos) ? item.pos : node.pos });
        }
      }
    } else {
      const s = toStr(p);
      if (s !== undefined) out.push({ value: s, pos: node.pos });
    }
  }
  return out;
}

/** True when a string may be `value` (case-insensitive), among the node's possible strings. */
export function mayEqual(node: Node | undefined, doc: Doc, ...values: string[]): boolean {
  const wanted = new Set(values.map((v) => v.toLowerCase()));
  return stringsAt(node, doc).some((s) => wanted.has(s.value.trim().toLowerCase()));
}

// ---------------------------------------------------------------------------------------------
// IAM policy documents

/** A copy of a node with every part placed at `pos`. */
export function placedAt(node: Node, pos: Pos): Node {
  switch (node.kind) {
    case 'map':
      return {
        kind: 'map',
        pos,
        entries: node.entries.map((e) => ({ key: e.key, keyPos: pos, value: placedAt(e.value, pos) })),
      };
    case 'list':
      return { kind: 'list', pos, items: node.items.map((i) => placedAt(i, pos)) };
    case 'fn':
      return { ...node, pos, arg: placedAt(node.arg, pos) };
    default:
      return { ...node, pos };
  }
}

/** A plain JSON value as a node, every part placed at `pos` (the string it was parsed from). */
function plainToNode(value: unknown, pos: Pos): Node {
  if (Array.isArray(value)) return { kind: 'list', pos, items: value.map((v) => plainToNode(v, pos)) };
  if (value !== null && typeof value === 'object') {
    return {
      kind: 'map',
      pos,
      entries: Object.entries(value).map(([key, v]) => ({ key, keyPos: pos, value: plainToNode(v, pos) })),
    };
  }
  const scalar = typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
  return { kind: 'scalar', pos, value: scalar ? value : null };
}

function parseJsonPolicy(text: string, pos: Pos): MapNode | undefined {
  if (!/^\s*\{/.test(text)) return undefined;
  try {
    const node = plainToNode(JSON.parse(text) as unknown, pos);
    return isMap(node) ? node : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The policy documents a property may hold: objects as they are (both branches of `Fn::If`),
 * JSON strings parsed (their parts point at the string), and `Fn::Sub` of a JSON string parsed
 * with its `${…}` placeholders left in place, so a substituted value is never mistaken for `*`.
 */
export function policyDocuments(node: Node | undefined, doc: Doc): MapNode[] {
  const out: MapNode[] = [];
  for (const p of possible(node, doc)) {
    if (p === undefined) continue;
    if (p === UNKNOWN) {
      const sub = node?.kind === 'fn' && node.name === 'Fn::Sub' ? node.arg : undefined;
      const template = isList(sub) ? sub.items[0] : sub;
      if (isScalar(template) && typeof template.value === 'string') {
        const parsed = parseJsonPolicy(template.value, template.pos);
        if (parsed) out.push(parsed);
      }
      continue;
    }
    // An object reached through a reference (`local.policy`) is placed where the reference is.
    if (isMap(p))
      out.push(node === undefined || within(p.pos, node.pos) ? p : (placedAt(p, node.pos) as MapNode));
    else if (isScalar(p) && typeof p.value === 'string') {
      const parsed = parseJsonPolicy(p.value, node?.pos ?? p.pos);
      if (parsed) out.push(parsed);
    }
  }
  return out;
}

/** The statements of a policy document: a list or a single statement, items through `Fn::If`. */
export function statements(policy: MapNode, doc: Doc): MapNode[] {
  return mapItems(policy.entries.find((e) => e.key === 'Statement')?.value, doc);
}

function field(st: MapNode, key: string): Node | undefined {
  return st.entries.find((e) => e.key === key)?.value;
}

/** True when the statement may allow (its `Effect` may be `Allow`). */
export function mayAllow(st: MapNode, doc: Doc): boolean {
  return mayEqual(field(st, 'Effect'), doc, 'Allow');
}

export type StatementKey = 'Action' | 'NotAction' | 'Resource' | 'NotResource' | 'Principal' | 'Condition';

export function statementField(st: MapNode, key: StatementKey): Node | undefined {
  return field(st, key);
}

/** The action strings of a statement's `Action` (or `NotAction`), with their positions. */
export function actionsOf(st: MapNode, doc: Doc, key: 'Action' | 'NotAction' = 'Action'): Located[] {
  return stringsAt(field(st, key), doc);
}

export function resourcesOfStatement(st: MapNode, doc: Doc): Located[] {
  return stringsAt(field(st, 'Resource'), doc);
}

/** `*` or `service:*`: every action of everything, or of one service. */
export function isWildcardAction(action: string): boolean {
  const a = action.trim();
  return a === '*' || /^[a-z0-9-]+:\*$/i.test(a);
}

/** Verbs whose actions only read or list. */
const READ_VERBS = [
  'Get',
  'List',
  'Describe',
  'Head',
  'View',
  'BatchGet',
  'Lookup',
  'Search',
  'Query',
  'Scan',
];

/** Actions that only accept `Resource: "*"`, so a wildcard resource is not a choice there. */
const STAR_ONLY_ACTIONS = new Set([
  'cloudwatch:putmetricdata',
  'xray:puttracesegments',
  'xray:puttelemetryrecords',
  'ecr:getauthorizationtoken',
  'sts:getcalleridentity',
]);

/**
 * True when an action pattern can only match read-only or list actions: the literal part before
 * any wildcard starts with a read verb (`s3:Get*`, `ec2:Describe*`), or the action only accepts
 * `*` as its resource. `*` and `s3:*` are not read-only.
 */
export function isReadOnlyAction(action: string): boolean {
  const a = action.trim();
  if (STAR_ONLY_ACTIONS.has(a.toLowerCase())) return true;
  const colon = a.indexOf(':');
  if (colon < 0) return false;
  const name = a.slice(colon + 1);
  const literal = name.split(/[*?]/)[0] ?? '';
  return READ_VERBS.some((verb) => literal.startsWith(verb) && literal.length >= verb.length);
}

/** Where a statement's principal may be everyone: `"*"`, `{AWS: "*"}` or `{AWS: ["*", …]}`. */
export function wildcardPrincipals(st: MapNode, doc: Doc): Located[] {
  const principal = field(st, 'Principal');
  if (principal === undefined) return [];
  const out: Located[] = [];
  for (const p of known(principal, doc)) {
    if (isScalar(p)) {
      if (toStr(p)?.trim() === '*') out.push({ value: '*', pos: principal.pos });
    } else if (isMap(p)) {
      const aws = p.entries.find((e) => e.key === 'AWS')?.value;
      for (const s of stringsAt(aws, doc)) if (s.value.trim() === '*') out.push(s);
    }
  }
  return out;
}

/**
 * Condition keys that tie a statement to known callers or networks: with one of them set to a
 * fixed value, AWS itself no longer treats a `*` principal as public (the keys S3 Block Public
 * Access and IAM Access Analyzer recognise), plus KMS's caller account.
 */
const NARROWING_KEYS = new Set(
  [
    'aws:SourceIp',
    'aws:SourceVpc',
    'aws:SourceVpce',
    'aws:SourceArn',
    'aws:SourceAccount',
    'aws:SourceOwner',
    'aws:SourceOrgID',
    'aws:SourceOrgPaths',
    'aws:PrincipalArn',
    'aws:PrincipalAccount',
    'aws:PrincipalOrgID',
    'aws:PrincipalOrgPaths',
    'aws:userid',
    'aws:username',
    's3:DataAccessPointArn',
    's3:DataAccessPointAccount',
    'kms:CallerAccount',
  ].map((k) => k.toLowerCase()),
);

const OPEN_VALUES = new Set(['*', '0.0.0.0/0', '::/0']);

/**
 * A condition operator or key that cannot be known before deployment (a Terraform `test` or
 * `variable` from an unknown expression). CloudFormation keys are always literal; for Terraform a
 * condition we cannot read is taken to narrow, so an unknowable statement is not reported.
 */
export const UNKNOWN_KEY = '\u0000unknown';

/**
 * True when the statement's `Condition` certainly narrows who may use it: some operator (not an
 * `…IfExists` one, which passes when the key is missing) tests a narrowing key against values
 * none of which is known to be a wildcard or the whole internet. A `Condition` that may be
 * absent (one branch of `Fn::If`) does not narrow, so a statement that may be public is reported.
 */
export function conditionNarrows(st: MapNode, doc: Doc): boolean {
  const condition = field(st, 'Condition');
  const maps = known(condition, doc).filter(isMap);
  if (maps.length === 0 || maps.length !== possible(condition, doc).length) return false;
  return maps.every((cond) =>
    cond.entries.some((op) => {
      if (/ifexists$/i.test(op.key) || /^null$/i.test(op.key)) return false;
      return known(op.value, doc)
        .filter(isMap)
        .some((tests) =>
          tests.entries.some((t) => {
            if (t.key === UNKNOWN_KEY) return true;
            if (!NARROWING_KEYS.has(t.key.toLowerCase())) return false;
            // A value that cannot be known (`!Ref AWS::AccountId`) is taken as the fixed value it
            // almost always is: only a known wildcard or whole-internet range makes it open.
            return stringsAt(t.value, doc).every((v) => !OPEN_VALUES.has(v.value.trim()));
          }),
        );
    }),
  );
}

/**
 * One hit per `*` principal of every allowing statement that no condition narrows, across the
 * policy documents a resource holds (a bucket, key, repository or trust policy): `message` says
 * what the statement exposes.
 */
export function publicPrincipalHits(
  policies: readonly MapNode[],
  doc: Doc,
  message: (st: MapNode) => string,
): Hit[] {
  const hits: Hit[] = [];
  for (const policy of policies) {
    for (const st of statements(policy, doc)) {
      if (!mayAllow(st, doc) || conditionNarrows(st, doc)) continue;
      for (const p of wildcardPrincipals(st, doc)) hits.push({ pos: p.pos, message: message(st) });
    }
  }
  return uniqueHits(hits);
}

/** Hits without repeats: both branches of an `Fn::If` often hold the same offending value. */
export function uniqueHits(hits: Array<Hit | undefined>): Hit[] {
  const seen = new Set<string>();
  const out: Hit[] = [];
  for (const h of hits) {
    if (!h) continue;
    const key = `${h.pos.line}:${h.pos.column}:${h.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(h);
  }
  return out;
}

/** ` (statement Sid)` for messages when the statement has a `Sid`, else nothing. */
export function statementLabel(st: MapNode): string {
  const sid = field(st, 'Sid');
  const s = isScalar(sid) ? toStr(sid) : undefined;
  return s ? ` (statement ${s})` : '';
}

/** True when every value the node may take is known and equals `value` (case-insensitive). */
export function alwaysEquals(node: Node | undefined, doc: Doc, value: string): boolean {
  const values = possible(node, doc);
  return values.every(
    (p) => p !== UNKNOWN && p !== undefined && toStr(p)?.trim().toLowerCase() === value.toLowerCase(),
  );
}

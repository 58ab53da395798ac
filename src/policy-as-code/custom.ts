/**
 * Custom rules in our declarative YAML, over the same document model as the built-in ones:
 *
 * ```yaml
 * - id: acme-volume-gp3
 *   title: EBS volumes use gp3
 *   severity: medium
 *   resource: [AWS::EC2::Volume]          # or aws_ebs_volume, amazon-ebs, Deployment, …
 *   path: VolumeType                      # dotted, `[*]` for every item, `[0]` for one
 *   require: { equals: gp3 }              # the compliant state; anything else is a finding
 *   message: Use gp3 volumes.
 * ```
 *
 * A rule reports when some value the attribute may take (parameter defaults and both branches of
 * a condition included) breaks the requirement; a value that cannot be known is not reported. An
 * absent attribute breaks `exists`, `equals`, `one-of`, `matches`, `contains` and the comparisons,
 * and satisfies the negative operators (`not-equals`, `not-one-of`, `not-matches`, `absent`).
 */
import { headerPos, isList, isMap, possible, toNumber, toStr, UNKNOWN, type Possible } from './model.js';
import { resourceRule } from './rules/define.js';
import type { Format, Hit, Node, Resource, Rule, Severity } from './types.js';

export type Operator =
  | 'exists'
  | 'absent'
  | 'equals'
  | 'not-equals'
  | 'one-of'
  | 'not-one-of'
  | 'matches'
  | 'not-matches'
  | 'contains'
  | 'greater-or-equal'
  | 'less-or-equal';

export const OPERATORS: readonly Operator[] = [
  'exists',
  'absent',
  'equals',
  'not-equals',
  'one-of',
  'not-one-of',
  'matches',
  'not-matches',
  'contains',
  'greater-or-equal',
  'less-or-equal',
];

export interface Requirement {
  op: Operator;
  /** The operand: a scalar, a list for one-of, a compiled regex for matches. */
  value: unknown;
}

export interface CustomRuleSpec {
  id: string;
  title: string;
  severity: Severity;
  description?: string;
  fix?: string;
  format: Format;
  resources: string[];
  /** Path steps: keys, numeric indexes, or '*' for every item of a list. */
  path: Array<string | number>;
  pathText: string;
  require: Requirement[];
  message?: string;
}

/** `Ebs.Encrypted`, `BlockDeviceMappings[*].Ebs.Encrypted`, `tags["Name"]` into steps. */
export function parsePath(text: string): Array<string | number> | undefined {
  const steps: Array<string | number> = [];
  const re = /\s*(?:\.?([^.[\]"]+)|\[(\*|\d+)\]|\["([^"]*)"\])/y;
  let m: RegExpExecArray | null;
  let at = 0;
  while (at < text.length && (m = re.exec(text)) !== null) {
    if (m[1] !== undefined) steps.push(m[1].trim());
    else if (m[2] !== undefined) steps.push(m[2] === '*' ? '*' : Number(m[2]));
    else steps.push(m[3]!);
    at = re.lastIndex;
  }
  return at === text.length && steps.length > 0 ? steps : undefined;
}

interface Target {
  /** The node found, or undefined when the attribute is absent. */
  node: Node | undefined;
  /** The deepest node reached, to point at when the attribute is absent. */
  anchor: Node | undefined;
}

/** Every place the path reaches, expanding `*` and the possible values of functions. */
function select(body: Node, steps: Array<string | number>, doc: Parameters<typeof possible>[1]): Target[] {
  let current: Target[] = [{ node: body, anchor: body }];
  for (const step of steps) {
    const next: Target[] = [];
    for (const t of current) {
      if (t.node === undefined) {
        next.push(t);
        continue;
      }
      for (const p of possible(t.node, doc)) {
        if (p === UNKNOWN) continue;
        if (p === undefined) {
          next.push({ node: undefined, anchor: t.anchor });
          continue;
        }
        if (step === '*') {
          if (isList(p)) for (const item of p.items) next.push({ node: item, anchor: item });
          else if (isMap(p)) for (const e of p.entries) next.push({ node: e.value, anchor: e.value });
          continue;
        }
        const child =
          typeof step === 'number'
            ? isList(p)
              ? p.items[step]
              : undefined
            : isMap(p)
              ? p.entries.find((e) => e.key === step)?.value
              : undefined;
        next.push({ node: child, anchor: child ?? t.anchor });
      }
    }
    current = next;
  }
  return current;
}

function valueText(p: Possible): string {
  if (p === undefined) return 'absent';
  if (p === UNKNOWN) return 'unknown';
  if (p.kind === 'scalar') return JSON.stringify(p.value);
  return p.kind;
}

function equalsValue(p: Node, expected: unknown): boolean {
  if (p.kind !== 'scalar') return false;
  const actual = p.value;
  if (typeof expected === 'boolean') return String(actual).toLowerCase() === String(expected);
  if (typeof expected === 'number') return toNumber(p) === expected;
  return toStr(p) === (expected === null ? undefined : String(expected));
}

/** True when the possible value `p` satisfies the requirement. */
export function satisfies(p: Node | undefined, req: Requirement): boolean {
  const negative = req.op === 'absent' || req.op.startsWith('not-');
  if (p === undefined) return negative;
  switch (req.op) {
    case 'exists':
      return true;
    case 'absent':
      return false;
    case 'equals':
      return equalsValue(p, req.value);
    case 'not-equals':
      return !equalsValue(p, req.value);
    case 'one-of':
      return (req.value as unknown[]).some((v) => equalsValue(p, v));
    case 'not-one-of':
      return !(req.value as unknown[]).some((v) => equalsValue(p, v));
    case 'matches':
    case 'not-matches': {
      const s = toStr(p);
      const hit = s !== undefined && (req.value as RegExp).test(s);
      return req.op === 'matches' ? hit : s === undefined || !hit;
    }
    case 'contains':
      if (p.kind === 'list') return p.items.some((i) => equalsValue(i, req.value));
      return (toStr(p) ?? '').includes(String(req.value));
    case 'greater-or-equal':
    case 'less-or-equal': {
      const n = toNumber(p);
      if (n === undefined) return false;
      return req.op === 'greater-or-equal' ? n >= Number(req.value) : n <= Number(req.value);
    }
  }
}

function describeRequirement(req: Requirement): string {
  const v = req.value instanceof RegExp ? `/${req.value.source}/` : JSON.stringify(req.value);
  return req.op === 'exists' || req.op === 'absent' ? req.op : `${req.op} ${v}`;
}

export function customRule(spec: CustomRuleSpec): Rule {
  const check = (res: Resource, doc: Parameters<typeof possible>[1]): Hit[] => {
    const hits: Hit[] = [];
    for (const target of select(res.body, spec.path, doc)) {
      for (const p of possible(target.node, doc)) {
        if (p === UNKNOWN) continue;
        const broken = spec.require.find((req) => !satisfies(p, req));
        if (!broken) continue;
        // The attribute as written in the resource, not the parameter default it resolved to.
        const where = target.node?.pos ?? target.anchor?.pos ?? headerPos(res);
        const message =
          spec.message ??
          `${res.type} ${res.name}: ${spec.pathText} is ${valueText(p)}, but must be ${describeRequirement(broken)}.`;
        hits.push({ pos: p === undefined && target.anchor === res.body ? headerPos(res) : where, message });
        break;
      }
    }
    return hits;
  };
  const rule = resourceRule(
    {
      id: spec.id,
      title: spec.title,
      severity: spec.severity,
      description: spec.description ?? spec.title,
      fix:
        spec.fix ??
        spec.message ??
        `Make ${spec.pathText} ${spec.require.map(describeRequirement).join(' and ')}.`,
      refs: {},
    },
    { [spec.format]: { types: spec.resources, check } },
  );
  return { ...rule, origin: 'custom' };
}

/**
 * cfn-guard's structured report (`validate --structured --output-format json`), as its source
 * lays it out (guard/src/rules/eval_context.rs: FileReport, ClauseReport), read into failed
 * checks: the rule, the path of the value checked, what is wrong in words, and the nearest
 * custom message (`<< … >>`).
 */
interface PathValue {
  path: string;
  value: unknown;
}
interface UnResolved {
  traversed_to: PathValue;
  remaining_query: string;
  reason?: string | null;
}
export interface Messages {
  custom_message?: string | null;
  error_message?: string | null;
}
type Comparison = [string, boolean];
interface UnaryReport {
  context: string;
  messages: Messages;
  check:
    | { UnResolved: { value: UnResolved; comparison: Comparison } }
    | { Resolved: { value: PathValue; comparison: Comparison } }
    | { UnResolvedContext: string };
}
interface BinaryReport {
  context: string;
  messages: Messages;
  check:
    | { UnResolved: { value: UnResolved; comparison: Comparison } }
    | { Resolved: { from: PathValue; to: PathValue; comparison: Comparison } }
    | { InResolved: { from: PathValue; to: PathValue[]; comparison: Comparison } };
}
export type ClauseReport =
  | { Rule: { name: string; messages: Messages; checks: ClauseReport[] } }
  | { Block: { context: string; messages: Messages; unresolved?: UnResolved | null } }
  | { Disjunctions: { checks: ClauseReport[] } }
  | { Clause: { Unary: UnaryReport } | { Binary: BinaryReport } };

export interface FileReport {
  name: string;
  status: 'PASS' | 'FAIL' | 'SKIP';
  not_compliant: ClauseReport[];
  not_applicable: string[];
  compliant: string[];
}

/** One failed check: where (cfn-guard's path), what, and the nearest custom message. */
export interface GuardFailure {
  rule: string;
  path?: string;
  detail: string;
  custom?: string;
  /** cfn-guard's own 0-based `[L:n,C:m]`, used when the path cannot be found in the model. */
  line?: number;
}

/** Parses `validate --structured --output-format json`; throws when the text is not such a report. */
export function parseGuardReport(stdout: string): FileReport[] {
  const parsed: unknown = JSON.parse(stdout);
  if (!Array.isArray(parsed) || parsed.some((r) => typeof r?.name !== 'string')) {
    throw new Error('not a cfn-guard structured report');
  }
  return parsed as FileReport[];
}

const OPERATORS: Record<string, [string, string]> = {
  Eq: ['==', '!='],
  In: ['in', 'not in'],
  Lt: ['<', 'not <'],
  Le: ['<=', 'not <='],
  Gt: ['>', 'not >'],
  Ge: ['>=', 'not >='],
};
const KINDS: Record<string, string> = {
  IsString: 'a string',
  IsList: 'a list',
  IsMap: 'a struct',
  IsInt: 'an integer',
  IsFloat: 'a float',
  IsBool: 'a boolean',
  IsNull: 'null',
};

function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 59)}…` : text;
}

/** `/Resources/B/Properties/Rules/0/Status` → `Rules[0].Status` (what a reader calls it). */
export function propertyName(pointer: string, more?: string): string {
  const segs = pointer.split('/').slice(1);
  const inner = segs[0] === 'Resources' ? segs.slice(segs[2] === 'Properties' ? 3 : 2) : segs;
  let out = '';
  for (const s of inner) out += /^\d+$/.test(s) ? `[${s}]` : `${out ? '.' : ''}${s}`;
  if (more) out += `${out ? '.' : ''}${more}`;
  return out || (segs[0] === 'Resources' ? 'the resource' : 'the template');
}

function unary(op: string, not: boolean, name: string): string {
  if (op === 'Exists') return not ? `${name} is present but must not be` : `${name} is missing`;
  if (op === 'Empty') return not ? `${name} is empty` : `${name} must be empty`;
  const kind = KINDS[op] ?? op;
  return not ? `${name} must not be ${kind}` : `${name} is not ${kind}`;
}

function plainError(messages: Messages): string {
  return (messages.error_message ?? 'check failed')
    .replace(/^Check was not compliant as /, '')
    .replace(/\s+/g, ' ')
    .trim();
}

function zeroBasedLine(text: string | null | undefined): number | undefined {
  const m = /\[L:(\d+),C:\d+\]/.exec(text ?? '');
  return m && Number(m[1]) > 0 ? Number(m[1]) : undefined;
}

function leafOf(clause: ClauseReport): Omit<GuardFailure, 'rule' | 'custom'> & { messages: Messages } {
  if ('Block' in clause) {
    const b = clause.Block;
    const u = b.unresolved;
    return u
      ? {
          path: u.traversed_to.path,
          detail: `${propertyName(u.traversed_to.path, u.remaining_query)} is missing`,
          messages: b.messages,
        }
      : { detail: plainError(b.messages), messages: b.messages };
  }
  if (!('Clause' in clause)) throw new Error('not a clause');
  if ('Unary' in clause.Clause) {
    const u = clause.Clause.Unary;
    const c = u.check;
    if ('UnResolved' in c) {
      const v = c.UnResolved.value;
      const [op, not] = c.UnResolved.comparison;
      return {
        path: v.traversed_to.path,
        detail: unary(op, not, propertyName(v.traversed_to.path, v.remaining_query)),
        messages: u.messages,
      };
    }
    if ('Resolved' in c) {
      const [op, not] = c.Resolved.comparison;
      return {
        path: c.Resolved.value.path,
        detail: unary(op, not, propertyName(c.Resolved.value.path)),
        messages: u.messages,
      };
    }
    return { detail: plainError(u.messages), messages: u.messages };
  }
  const b = clause.Clause.Binary;
  const c = b.check;
  if ('UnResolved' in c) {
    const v = c.UnResolved.value;
    return {
      path: v.traversed_to.path,
      detail: `${propertyName(v.traversed_to.path, v.remaining_query)} is missing`,
      messages: b.messages,
    };
  }
  const { from, comparison } = 'Resolved' in c ? c.Resolved : c.InResolved;
  const [op, not] = comparison;
  const to =
    'Resolved' in c ? show(c.Resolved.to.value) : `[${c.InResolved.to.map((t) => show(t.value)).join(', ')}]`;
  const symbol = OPERATORS[op]?.[not ? 1 : 0] ?? `${not ? 'not ' : ''}${op}`;
  return {
    path: from.path,
    detail: `${propertyName(from.path)} is ${show(from.value)}, expected ${symbol} ${to}`,
    messages: b.messages,
  };
}

function customText(raw: string | null | undefined): string | undefined {
  const lines = (raw ?? '')
    .split(/\r?\n|;/)
    .map((l) => l.trim())
    .filter((l) => l && !/^\[FIX\]/i.test(l));
  return lines.length ? lines.join(' ') : undefined;
}

/** Every failed check of one file's report, with the rule it belongs to and its message. */
export function failuresOf(report: FileReport): GuardFailure[] {
  const out: GuardFailure[] = [];
  const walk = (clause: ClauseReport, rule: string, custom: string | undefined) => {
    if ('Rule' in clause) {
      const own = customText(clause.Rule.messages.custom_message) ?? custom;
      for (const c of clause.Rule.checks) walk(c, rule, own);
      return;
    }
    if ('Disjunctions' in clause) {
      for (const c of clause.Disjunctions.checks) walk(c, rule, custom);
      return;
    }
    const leaf = leafOf(clause);
    const message = customText(leaf.messages.custom_message) ?? custom;
    const line = zeroBasedLine(leaf.messages.error_message);
    out.push({
      rule,
      ...(leaf.path !== undefined ? { path: leaf.path } : {}),
      detail: leaf.detail,
      ...(message ? { custom: message } : {}),
      ...(line !== undefined ? { line } : {}),
    });
  };
  for (const top of report.not_compliant) {
    const rule = 'Rule' in top ? top.Rule.name : 'default';
    walk(top, rule, undefined);
  }
  return out;
}

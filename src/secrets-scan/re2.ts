/**
 * Go RE2 regexes (the syntax of gitleaks rules) translated to JavaScript regexes that match what
 * RE2 matches. The pattern is parsed as Go's regexp/syntax parses it (Perl flags: same escapes,
 * the same errors), then written out again in JavaScript syntax:
 *
 * - Flags: JavaScript in Node 20 has no inline modifiers, so `(?i)` and `(?i:…)` are expanded:
 *   every letter in a case-insensitive part becomes the class of its case-folding orbit
 *   (`k` → `[Kk\u212A]`, as RE2 folds Kelvin sign onto k), classes are folded the same way, and a
 *   folded Unicode class gains the case partners of its members (Go's fold tables). No `i` flag.
 *   `(?s)` writes `.` as `[\s\S]`, `(?m)` writes `^`/`$` as line lookarounds, `(?U)` swaps
 *   greediness. RE2's `.` excludes only `\n` and its `\s` is `[\t\n\f\r ]`, so both are written as
 *   explicit classes (JavaScript's exclude more, or include Unicode spaces).
 * - `\A` → `(?<![\s\S])`, `\z` → `(?![\s\S])`: exact whatever flags the caller adds.
 * - `^` and `$` outside `(?m)` are kept as `^` and `$`. gitleaks runs a rule over a whole file
 *   (or a chunk of one) without `(?m)`, so there they mean the start and end of the text; the
 *   secrets engine adds the `m` flag, so there they match at every line start and end. That is a
 *   superset of gitleaks' matches (the start and end of the text are line boundaries too): an
 *   anchored rule can report on more lines than gitleaks would, never fewer. Allowlist regexes run
 *   without `m` and keep RE2's meaning exactly.
 * - `\pL`, `\p{Greek}` and the other Unicode classes need JavaScript's `u` flag, which is set only
 *   for patterns that use them (or a class holding some, not all, characters beyond U+FFFF).
 *   Without it a character beyond U+FFFF is two UTF-16 units to `.` and to negated classes,
 *   where RE2 counts one code point; matches differ only in such counts.
 * - `(?P<name>…)` and `(?<name>…)` become named groups (plain groups when the name is not a
 *   JavaScript identifier or is repeated); group numbers are unchanged.
 *
 * What RE2 rejects is an `Re2SyntaxError` with Go's wording. What JavaScript cannot express is an
 * `Re2TranslationError` naming the reason (a Unicode script this Node.js does not know, a long
 * counted repetition of something that can match nothing).
 * Remaining differences, found by comparing with Go's regexp on random patterns, none in a shape a
 * secret rule uses: JavaScript resets the captures of a repeated group at each iteration where Go
 * keeps the last value set; and a repeated part that can match nothing (`(?:a*?)+`) may stop at a
 * different iteration, as JavaScript backtracks into an empty iteration where Go ends the loop.
 */

export class Re2SyntaxError extends Error {
  override readonly name = 'Re2SyntaxError';
  constructor(
    readonly pattern: string,
    readonly reason: string,
  ) {
    super(`invalid RE2 regex: ${reason}`);
  }
}

export class Re2TranslationError extends Error {
  override readonly name = 'Re2TranslationError';
  constructor(
    readonly pattern: string,
    readonly reason: string,
  ) {
    super(`cannot translate this RE2 regex to JavaScript: ${reason}`);
  }
}

export interface Re2Translation {
  source: string;
  /** `''` or `'u'`; never `g`, `m`, `y` or `d` (callers add what they need). */
  flags: string;
}

export interface Re2RuleTranslation extends Re2Translation {
  /** Capture groups of the RE2 pattern (gitleaks' `NumSubexp`). */
  groups: number;
  /** The capture group of the translation holding the secret, 0 for the whole match. */
  secretGroup: number;
}

/** Translates an RE2 pattern; throws `Re2SyntaxError` or `Re2TranslationError`. */
export function translateRe2(pattern: string): Re2Translation {
  const { source, flags } = compile(pattern, undefined);
  return { source, flags };
}

/**
 * Translates a gitleaks rule's regex and picks its secret as gitleaks does. With `secretGroup` set
 * (> 0) that group is the secret. Without it gitleaks takes the first capture group that matched
 * non-empty text, or the whole match when there is none: that is group 1 when group 1 always
 * matches some text (or is the only group); when the groups are alternatives of one another (at
 * most one takes part in a match) a lookbehind appended to the pattern copies whichever did into
 * one extra group. A match whose chosen group is empty is not reported (gitleaks would report the
 * whole match). Other shapes are an `Re2TranslationError` asking for an explicit `secretGroup`.
 */
export function translateRe2Rule(pattern: string, secretGroup = 0): Re2RuleTranslation {
  return compile(pattern, secretGroup);
}

// ---------------------------------------------------------------------------------------------
// Character sets: sorted, disjoint, inclusive code point ranges.

type Range = [number, number];

const MAX_CP = 0x10ffff;
/** RE2 matches code points; surrogates never occur in the text it sees. */
const UNIVERSE: Range[] = [
  [0, 0xd7ff],
  [0xe000, MAX_CP],
];

function normalize(ranges: readonly Range[]): Range[] {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  const out: Range[] = [];
  for (const [lo, hi] of sorted) {
    const last = out[out.length - 1];
    if (last && lo <= last[1] + 1) last[1] = Math.max(last[1], hi);
    else out.push([lo, hi]);
  }
  return out;
}

function complement(ranges: readonly Range[]): Range[] {
  const out: Range[] = [];
  let next = 0;
  for (const [lo, hi] of normalize(ranges)) {
    if (lo > next) out.push([next, lo - 1]);
    next = Math.max(next, hi + 1);
  }
  if (next <= MAX_CP) out.push([next, MAX_CP]);
  return out;
}

function intersect(a: readonly Range[], b: readonly Range[]): Range[] {
  const out: Range[] = [];
  for (const [alo, ahi] of a)
    for (const [blo, bhi] of b) {
      const lo = Math.max(alo, blo);
      const hi = Math.min(ahi, bhi);
      if (lo <= hi) out.push([lo, hi]);
    }
  return normalize(out);
}

const sameRanges = (a: readonly Range[], b: readonly Range[]) =>
  a.length === b.length && a.every((r, i) => r[0] === b[i]![0] && r[1] === b[i]![1]);

const ASTRAL: Range[] = [[0x10000, MAX_CP]];

/** How a set's characters beyond U+FFFF stand: none, all, or some (which needs the `u` flag). */
function astralPart(ranges: readonly Range[]): 'none' | 'all' | 'some' {
  const astral = intersect(ranges, ASTRAL);
  if (astral.length === 0) return 'none';
  return sameRanges(astral, ASTRAL) ? 'all' : 'some';
}

// ---------------------------------------------------------------------------------------------
// Case folding as RE2 does it: a letter matches every member of its simple case-folding orbit.

/** ASCII letters whose orbit reaches beyond ASCII: k, K and KELVIN SIGN; s, S and LONG S. */
const ASCII_EXTRA: Record<number, number> = { 0x4b: 0x212a, 0x6b: 0x212a, 0x53: 0x17f, 0x73: 0x17f };
/** Go's maxFold: no code point above it has a case-folding partner. */
const MAX_FOLD = 0x1e943;

let foldTable: { keys: number[]; orbits: Map<number, number[]> } | undefined;

/**
 * Orbits of every code point that has one, built once on first need: candidate pairs come from
 * the case mappings, and a pair is kept only when JavaScript's `iu` matching (Unicode simple case
 * folding, as RE2's) agrees, so `ı` does not join `I`.
 */
function orbitTable(): { keys: number[]; orbits: Map<number, number[]> } {
  if (foldTable) return foldTable;
  const parent = new Map<number, number>();
  const find = (x: number): number => {
    let root = x;
    for (let up = parent.get(root); up !== undefined && up !== root; up = parent.get(root)) root = up;
    return root;
  };
  for (let cp = 0x41; cp <= MAX_FOLD; cp++) {
    if (cp >= 0xd800 && cp <= 0xdfff) continue;
    const ch = String.fromCodePoint(cp);
    for (const mapped of [ch.toLowerCase(), ch.toUpperCase()]) {
      const other = mapped.codePointAt(0)!;
      if (mapped === ch || String.fromCodePoint(other) !== mapped) continue;
      if (!new RegExp(`^\\u{${cp.toString(16)}}$`, 'iu').test(mapped)) continue;
      const a = find(cp);
      const b = find(other);
      if (a !== b) parent.set(a, b);
      if (!parent.has(b)) parent.set(b, b);
    }
  }
  const members = new Map<number, number[]>();
  for (const cp of parent.keys()) {
    const root = find(cp);
    members.set(root, [...(members.get(root) ?? []), cp]);
  }
  const orbits = new Map<number, number[]>();
  for (const orbit of members.values()) {
    if (orbit.length < 2) continue;
    orbit.sort((a, b) => a - b);
    for (const cp of orbit) orbits.set(cp, orbit);
  }
  foldTable = { keys: [...orbits.keys()].sort((a, b) => a - b), orbits };
  return foldTable;
}

function orbitOf(cp: number): number[] {
  if (cp < 0x80) {
    const lower = cp | 0x20;
    if (lower < 0x61 || lower > 0x7a) return [cp];
    const extra = ASCII_EXTRA[cp];
    return extra === undefined ? [lower & ~0x20, lower] : [lower & ~0x20, lower, extra];
  }
  return orbitTable().orbits.get(cp) ?? [cp];
}

/** The set plus every case-folding partner of its members (Go's appendFoldedRange). */
function foldRanges(ranges: readonly Range[]): Range[] {
  const out: Range[] = [...ranges];
  for (const [lo, hi] of ranges) {
    if (lo <= 0x41 && hi >= MAX_FOLD) continue;
    for (let c = Math.max(lo, 0x41); c <= Math.min(hi, 0x7a); c++)
      for (const o of orbitOf(c)) out.push([o, o]);
    if (hi < 0x80) continue;
    const { keys, orbits } = orbitTable();
    let i = lowerBound(keys, Math.max(lo, 0x80));
    for (; i < keys.length && keys[i]! <= hi; i++) for (const o of orbits.get(keys[i]!)!) out.push([o, o]);
  }
  return normalize(out);
}

function lowerBound(sorted: readonly number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

// ---------------------------------------------------------------------------------------------
// Go's character groups.

/** Ranges from strings: `'a-z'` is a range, `'_'` one character. */
const spans = (...specs: string[]): Range[] =>
  specs.map((spec) => [spec.codePointAt(0)!, spec.codePointAt(spec.length - 1)!]);

const PERL: Record<string, Range[]> = {
  d: spans('0-9'),
  s: spans('\t-\n', '\f-\r', ' '),
  w: spans('0-9', 'A-Z', '_', 'a-z'),
};

const POSIX: Record<string, Range[]> = {
  alnum: spans('0-9', 'A-Z', 'a-z'),
  alpha: spans('A-Z', 'a-z'),
  ascii: spans('\x00-\x7f'),
  blank: spans('\t', ' '),
  cntrl: spans('\x00-\x1f', '\x7f'),
  digit: spans('0-9'),
  graph: spans('!-~'),
  lower: spans('a-z'),
  print: spans(' -~'),
  punct: spans('!-/', ':-@', '[-`', '{-~'),
  space: spans('\t-\r', ' '),
  upper: spans('A-Z'),
  word: spans('0-9', 'A-Z', '_', 'a-z'),
  xdigit: spans('0-9', 'A-F', 'a-f'),
};

/** Go's Unicode general categories (its `C` excludes unassigned code points, JavaScript's does not). */
const CATEGORIES = new Set(
  'C Cc Cf Co Cs L Ll Lm Lo Lt Lu M Mc Me Mn N Nd Nl No P Pc Pd Pe Pf Pi Po Ps S Sc Sk Sm So Z Zl Zp Zs'.split(
    ' ',
  ),
);
/** The tables Go folds under (?i) (unicode.FoldCategory, unicode.FoldScript); it leaves the others be. */
const FOLD_SENSITIVE = new Set(['L', 'Ll', 'Lt', 'Lu', 'M', 'Mn', 'Common', 'Greek', 'Inherited']);

interface Prop {
  /** JavaScript's name: `L`, `Script=Greek`, `Any`. */
  name: string;
  negated: boolean;
  /** Under (?i), for a table Go folds: its members' case partners belong to it too. */
  fold: boolean;
}

// ---------------------------------------------------------------------------------------------
// The syntax tree.

type Assertion = 'bol' | 'eol' | 'mbol' | 'meol' | 'bot' | 'eot' | 'word' | 'nonword';

interface GroupNode {
  kind: 'group';
  capture: boolean;
  name?: string;
  body: Node;
  index: number;
}

interface SecretNode {
  kind: 'secret';
  groups: GroupNode[];
  tails: GroupNode[];
  index: number;
}

type Node =
  | { kind: 'lit'; cp: number; fold: boolean }
  /** Ranges already folded under (?i); `negated` applies to ranges and props together. */
  | SetNode
  | { kind: 'dot'; nl: boolean }
  | { kind: 'assert'; what: Assertion }
  | GroupNode
  | { kind: 'cat'; items: Node[] }
  | { kind: 'alt'; branches: Node[] }
  /** `max` -1 is unbounded. */
  | { kind: 'repeat'; body: Node; min: number; max: number; greedy: boolean }
  | SecretNode;

type RepeatNode = Extract<Node, { kind: 'repeat' }>;

interface SetNode {
  kind: 'set';
  ranges: Range[];
  props: Prop[];
  negated: boolean;
}

function children(node: Node): Node[] {
  switch (node.kind) {
    case 'group':
    case 'repeat':
      return [node.body];
    case 'cat':
      return node.items;
    case 'alt':
      return node.branches;
    default:
      return [];
  }
}

function walk(node: Node, visit: (n: Node) => void): void {
  visit(node);
  for (const child of children(node)) walk(child, visit);
}

/** The characters a node matches when it is exactly one character without Unicode classes. */
function singleChar(node: Node): Range[] | undefined {
  if (node.kind === 'lit') return (node.fold ? orbitOf(node.cp) : [node.cp]).map((c): Range => [c, c]);
  if (node.kind === 'dot') return node.nl ? [[0, MAX_CP]] : complement([[0x0a, 0x0a]]);
  if (node.kind === 'set' && node.props.length === 0)
    return node.negated ? complement(node.ranges) : node.ranges;
  return undefined;
}

/** Go's repeatIsValid: nested counted repetitions may not exceed 1000 copies of the innermost. */
function repeatIsValid(node: Node, n: number): boolean {
  if (node.kind === 'repeat') {
    let m = node.max;
    if (m === 0) return true;
    if (m < 0) m = node.min;
    if (m > n) return false;
    if (m > 0) n = Math.floor(n / m);
  }
  return children(node).every((child) => repeatIsValid(child, n));
}

// ---------------------------------------------------------------------------------------------
// The parser: Go's regexp/syntax with Perl flags, error for error.

const ch = (s: string) => s.codePointAt(0)!;
const [BACKSLASH, LPAREN, RPAREN, LBRACKET, RBRACKET, LBRACE, RBRACE, PIPE, CARET, DOLLAR, DOT] = [
  0x5c, 0x28, 0x29, 0x5b, 0x5d, 0x7b, 0x7d, 0x7c, 0x5e, 0x24, 0x2e,
] as const;
const [STAR, PLUS, QUESTION, MINUS, COLON, LT, GT, COMMA] = [
  0x2a, 0x2b, 0x3f, 0x2d, 0x3a, 0x3c, 0x3e, 0x2c,
] as const;

const isDigit = (c: number | undefined) => c !== undefined && c >= 0x30 && c <= 0x39;
const isOctal = (c: number | undefined) => c !== undefined && c >= 0x30 && c <= 0x37;
const isAlnum = (c: number) => isDigit(c) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
const unhex = (c: number | undefined): number => {
  if (c === undefined) return -1;
  if (isDigit(c)) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x61 + 10;
  if (c >= 0x41 && c <= 0x46) return c - 0x41 + 10;
  return -1;
};

interface Flags {
  i: boolean;
  m: boolean;
  s: boolean;
  U: boolean;
}

const MAX_NESTING = 1000;

class Parser {
  private readonly cps: number[];
  private pos = 0;
  private flags: Flags = { i: false, m: false, s: false, U: false };
  private depth = 0;
  readonly groups: GroupNode[] = [];
  private readonly names = new Set<string>();

  constructor(private readonly pattern: string) {
    this.cps = Array.from(pattern, (c) => c.codePointAt(0)!);
  }

  parse(): Node {
    const node = this.parseAlt();
    if (this.pos < this.cps.length) this.fail('unexpected )', 0);
    return node;
  }

  private peek(offset = 0): number | undefined {
    return this.cps[this.pos + offset];
  }

  private text(from: number, to = this.cps.length): string {
    return String.fromCodePoint(...this.cps.slice(from, to));
  }

  private fail(problem: string, from: number, to?: number): never {
    const expr = this.text(from, to);
    throw new Re2SyntaxError(this.pattern, expr ? `${problem}: \`${expr}\`` : problem);
  }

  private parseAlt(): Node {
    const parsed = [this.parseConcat()];
    while (this.peek() === PIPE) {
      this.pos++;
      parsed.push(this.parseConcat());
    }
    // As Go does, neighbouring one-character alternatives become one class: `(?:.|\s)` is
    // `[\s\S]`. Same matches, and JavaScript's backtracking no longer tries every way to split a
    // run of spaces between `.` and `\s` (exponential time where RE2 takes linear).
    const branches: Node[] = [];
    for (const branch of parsed) {
      const ranges = singleChar(branch);
      const last = branches[branches.length - 1];
      const lastRanges = last && singleChar(last);
      if (ranges && lastRanges)
        branches[branches.length - 1] = {
          kind: 'set',
          ranges: normalize([...lastRanges, ...ranges]),
          props: [],
          negated: false,
        };
      else branches.push(branch);
    }
    return branches.length === 1 ? branches[0]! : { kind: 'alt', branches };
  }

  private parseConcat(): Node {
    const items: Node[] = [];
    // Where the previous token started, when it was a repetition operator: RE2 rejects `a**`.
    let lastRepeat = -1;
    for (let c = this.peek(); c !== undefined && c !== PIPE && c !== RPAREN; c = this.peek()) {
      const start = this.pos;
      let repeated = false;
      if (c === LPAREN) {
        const group = this.parseGroup();
        if (group) items.push(group);
      } else if (c === CARET || c === DOLLAR) {
        this.pos++;
        const what = c === CARET ? (this.flags.m ? 'mbol' : 'bol') : this.flags.m ? 'meol' : 'eol';
        items.push({ kind: 'assert', what });
      } else if (c === DOT) {
        this.pos++;
        items.push({ kind: 'dot', nl: this.flags.s });
      } else if (c === LBRACKET) {
        items.push(this.parseClass());
      } else if (c === STAR || c === PLUS || c === QUESTION) {
        this.pos++;
        this.repeat(items, c === PLUS ? 1 : 0, c === QUESTION ? 1 : -1, start, lastRepeat);
        repeated = true;
      } else if (c === LBRACE) {
        const braces = this.parseBraces();
        if (!braces) {
          this.pos++;
          items.push(this.literal(c));
        } else {
          const { min, max } = braces;
          if (min < 0 || min > 1000 || max > 1000 || (max >= 0 && min > max))
            this.fail('invalid repeat count', start, this.pos);
          this.repeat(items, min, max, start, lastRepeat);
          repeated = true;
        }
      } else if (c === BACKSLASH) {
        this.parseEscapeInto(items);
      } else {
        this.pos++;
        items.push(this.literal(c));
      }
      lastRepeat = repeated ? start : -1;
    }
    return items.length === 1 ? items[0]! : { kind: 'cat', items };
  }

  private literal(cp: number): Node {
    return { kind: 'lit', cp, fold: this.flags.i };
  }

  private repeat(items: Node[], min: number, max: number, start: number, lastRepeat: number): void {
    let greedy = !this.flags.U;
    if (this.peek() === QUESTION) {
      this.pos++;
      greedy = !greedy;
    }
    if (lastRepeat >= 0) this.fail('invalid nested repetition operator', lastRepeat, this.pos);
    const body = items.pop();
    if (!body) this.fail('missing argument to repetition operator', start, this.pos);
    const node: Node = { kind: 'repeat', body, min, max, greedy };
    if ((min >= 2 || max >= 2) && !repeatIsValid(node, 1000))
      this.fail('invalid repeat count', start, this.pos);
    items.push(node);
  }

  /** `{n}`, `{n,}`, `{n,m}` without leading zeros (Go's parseRepeat); else `{` is a literal. */
  private parseBraces(): { min: number; max: number } | undefined {
    let at = this.pos + 1;
    // A decimal number; -1 when too big (Go stops counting at 1e8 and reports a bad count).
    const int = (): number | undefined => {
      if (!isDigit(this.cps[at]) || (this.cps[at] === 0x30 && isDigit(this.cps[at + 1]))) return undefined;
      let n = 0;
      for (; isDigit(this.cps[at]); at++) if (n >= 0) n = n >= 1e8 ? -1 : n * 10 + this.cps[at]! - 0x30;
      return n;
    };
    let min = int();
    if (min === undefined) return undefined;
    let max = min;
    if (this.cps[at] === COMMA) {
      at++;
      if (this.cps[at] === RBRACE) max = -1;
      else {
        const m = int();
        if (m === undefined) return undefined;
        if (m < 0) min = -1;
        max = m;
      }
    }
    if (this.cps[at] !== RBRACE) return undefined;
    this.pos = at + 1;
    return { min, max };
  }

  /** A group, or undefined for a flags-only `(?i)`, which changes the flags of the rest of the group. */
  private parseGroup(): GroupNode | undefined {
    const start = this.pos;
    if (this.peek(1) !== QUESTION) {
      this.pos++;
      return this.groupBody(start, true, undefined, this.flags);
    }
    const third = this.peek(2);
    if (
      (third === ch('P') && this.peek(3) === LT && this.peek(4) !== undefined) ||
      (third === LT && this.peek(3) !== undefined)
    ) {
      const nameStart = this.pos + (third === LT ? 3 : 4);
      let end = nameStart;
      while (end < this.cps.length && this.cps[end] !== GT) end++;
      if (end >= this.cps.length) this.fail('invalid named capture', start);
      const name = this.text(nameStart, end);
      if (!/^[A-Za-z0-9_]+$/.test(name)) this.fail('invalid named capture', start, end + 1);
      this.pos = end + 1;
      return this.groupBody(start, true, name, this.flags);
    }
    const saved = this.flags;
    const flags = { ...this.flags };
    let negate = false;
    let sawFlag = false;
    let at = this.pos + 2;
    for (;;) {
      const c = this.cps[at++];
      if (c === undefined) break;
      const letter = String.fromCodePoint(c);
      if (letter === 'i' || letter === 'm' || letter === 's' || letter === 'U') {
        flags[letter] = !negate;
        sawFlag = true;
        continue;
      }
      if (c === MINUS && !negate) {
        negate = true;
        sawFlag = false;
        continue;
      }
      if ((c === COLON || c === RPAREN) && (!negate || sawFlag)) {
        this.pos = at;
        if (c === RPAREN) {
          this.flags = flags;
          return undefined;
        }
        this.flags = flags;
        return this.groupBody(start, false, undefined, saved);
      }
      break;
    }
    return this.fail('invalid or unsupported Perl syntax', start, Math.min(at, this.cps.length));
  }

  private groupBody(start: number, capture: boolean, name: string | undefined, restore: Flags): GroupNode {
    if (++this.depth > MAX_NESTING) this.fail('expression nests too deeply', start, this.pos);
    const node: GroupNode = { kind: 'group', capture, body: { kind: 'cat', items: [] }, index: 0 };
    if (name !== undefined && /^[A-Za-z_$][\w$]*$/.test(name) && !this.names.has(name)) {
      node.name = name;
      this.names.add(name);
    }
    if (capture) this.groups.push(node);
    node.body = this.parseAlt();
    if (this.peek() !== RPAREN) this.fail('missing closing )', 0);
    this.pos++;
    this.depth--;
    this.flags = restore;
    return node;
  }

  private parseEscapeInto(items: Node[]): void {
    const start = this.pos;
    const c = this.peek(1);
    const assertion = { A: 'bot', b: 'word', B: 'nonword', z: 'eot' }[String.fromCodePoint(c ?? 0)] as
      Assertion | undefined;
    if (assertion) {
      this.pos += 2;
      items.push({ kind: 'assert', what: assertion });
      return;
    }
    if (c === ch('C')) this.fail('invalid escape sequence', start, start + 2);
    if (c === ch('Q')) {
      // \Q…\E: everything up to \E (or the end) is literal; a quantifier then binds to its last character.
      let end = this.pos + 2;
      while (end < this.cps.length && !(this.cps[end] === BACKSLASH && this.cps[end + 1] === ch('E'))) end++;
      for (let k = this.pos + 2; k < end; k++) items.push(this.literal(this.cps[k]!));
      this.pos = Math.min(end + 2, this.cps.length);
      return;
    }
    if (c === ch('p') || c === ch('P')) {
      const props = this.unicodeClass();
      items.push({ kind: 'set', ranges: [], props, negated: false });
      return;
    }
    const perl = this.perlClass();
    if (perl) {
      items.push({ kind: 'set', ranges: perl, props: [], negated: false });
      return;
    }
    items.push(this.literal(this.escapeChar()));
  }

  /** `\d \D \s \S \w \W` at the current position, folded under (?i) before negation, as Go does. */
  private perlClass(): Range[] | undefined {
    if (this.peek() !== BACKSLASH) return undefined;
    const letter = String.fromCodePoint(this.peek(1) ?? 0);
    const table = PERL[letter.toLowerCase()];
    if (!table || !/[dswDSW]/.test(letter)) return undefined;
    this.pos += 2;
    return this.group(table, letter === letter.toUpperCase());
  }

  private group(table: Range[], negated: boolean): Range[] {
    const ranges = this.flags.i ? foldRanges(table) : table;
    return negated ? complement(ranges) : ranges;
  }

  /** `\pL`, `\p{Greek}`, `\P{^Lu}` at the current position. */
  private unicodeClass(): Prop[] {
    const start = this.pos;
    let negated = this.peek(1) === ch('P');
    this.pos += 2;
    let name: string;
    if (this.peek() === LBRACE) {
      let end = this.pos;
      while (end < this.cps.length && this.cps[end] !== RBRACE) end++;
      if (end >= this.cps.length) this.fail('invalid character class range', start);
      name = this.text(this.pos + 1, end);
      this.pos = end + 1;
    } else {
      const c = this.peek();
      name = c === undefined ? '' : String.fromCodePoint(c);
      if (c !== undefined) this.pos++;
    }
    const seq = this.text(start, this.pos);
    if (name.startsWith('^')) {
      negated = !negated;
      name = name.slice(1);
    }
    const fold = this.flags.i && FOLD_SENSITIVE.has(name);
    if (name === 'C') {
      // Go's C is Cc|Cf|Co|Cs; its complement is JavaScript's \P{C} plus the unassigned \p{Cn}.
      if (!negated) return ['Cc', 'Cf', 'Co', 'Cs'].map((n) => ({ name: n, negated: false, fold: false }));
      return [
        { name: 'C', negated: true, fold: false },
        { name: 'Cn', negated: false, fold: false },
      ];
    }
    let jsName: string;
    if (name === 'Any' || CATEGORIES.has(name)) jsName = name;
    else if (/^[A-Z][a-z]+(?:_[A-Z][a-z]+)*$/.test(name)) {
      jsName = `Script=${name}`;
      try {
        new RegExp(`\\p{${jsName}}`, 'u');
      } catch {
        throw new Re2TranslationError(
          this.pattern,
          `this Node.js does not know the Unicode script in ${seq}`,
        );
      }
    } else return this.fail('invalid character class range', start, this.pos);
    return [{ name: jsName, negated, fold }];
  }

  private parseClass(): Node {
    const start = this.pos;
    this.pos++;
    let negated = false;
    if (this.peek() === CARET) {
      negated = true;
      this.pos++;
    }
    const ranges: Range[] = [];
    const props: Prop[] = [];
    for (let first = true; ; first = false) {
      const c = this.peek();
      if (c === undefined) this.fail('missing closing ]', start);
      if (c === RBRACKET && !first) break;
      if (c === LBRACKET && this.peek(1) === COLON) {
        const posix = this.posixClass();
        if (posix) {
          ranges.push(...posix);
          continue;
        }
      }
      if (c === BACKSLASH && (this.peek(1) === ch('p') || this.peek(1) === ch('P'))) {
        props.push(...this.unicodeClass());
        continue;
      }
      const perl = this.perlClass();
      if (perl) {
        ranges.push(...perl);
        continue;
      }
      const rangeStart = this.pos;
      const lo = this.classChar(start);
      let hi = lo;
      if (this.peek() === MINUS && this.peek(1) !== undefined && this.peek(1) !== RBRACKET) {
        this.pos++;
        hi = this.classChar(start);
        if (hi < lo) this.fail('invalid character class range', rangeStart, this.pos);
      }
      ranges.push(...(this.flags.i ? foldRanges([[lo, hi]]) : [[lo, hi] as Range]));
    }
    this.pos++;
    return { kind: 'set', ranges: normalize(ranges), props, negated };
  }

  private classChar(classStart: number): number {
    const c = this.peek();
    if (c === undefined) this.fail('missing closing ]', classStart);
    if (c === BACKSLASH) return this.escapeChar();
    this.pos++;
    return c;
  }

  /** `[:alpha:]`, `[:^space:]`; undefined when no `:]` follows (then `[` is a character). */
  private posixClass(): Range[] | undefined {
    let end = this.pos + 2;
    while (end + 1 < this.cps.length && !(this.cps[end] === COLON && this.cps[end + 1] === RBRACKET)) end++;
    if (end + 1 >= this.cps.length) return undefined;
    let name = this.text(this.pos + 2, end);
    const negated = name.startsWith('^');
    if (negated) name = name.slice(1);
    const table = Object.hasOwn(POSIX, name) ? POSIX[name] : undefined;
    if (!table) this.fail('invalid character class range', this.pos, end + 2);
    this.pos = end + 2;
    return this.group(table, negated);
  }

  /** A one-character escape, as Go's parseEscape: punctuation, octal, hex, and C escapes. */
  private escapeChar(): number {
    const start = this.pos;
    this.pos++;
    const c = this.peek();
    if (c === undefined) return this.fail('trailing backslash at end of expression', start, start);
    this.pos++;
    if (c < 0x80 && !isAlnum(c)) return c;
    if ((c >= 0x31 && c <= 0x37 && isOctal(this.peek())) || c === 0x30) {
      let r = c - 0x30;
      for (let k = 1; k < 3 && isOctal(this.peek()); k++) r = r * 8 + this.cps[this.pos++]! - 0x30;
      return r;
    }
    if (c === ch('x')) {
      if (this.peek() === LBRACE) {
        this.pos++;
        let r = 0;
        let digits = 0;
        for (let d = this.peek(); d !== RBRACE; d = this.peek()) {
          this.pos++;
          const v = unhex(d);
          if (v < 0 || (r = r * 16 + v) > MAX_CP) this.fail('invalid escape sequence', start, this.pos);
          digits++;
        }
        this.pos++;
        if (digits === 0) this.fail('invalid escape sequence', start, this.pos);
        return r;
      }
      const x = unhex(this.peek());
      const y = unhex(this.peek(1));
      this.pos = Math.min(this.pos + 2, this.cps.length);
      if (x < 0 || y < 0) this.fail('invalid escape sequence', start, this.pos);
      return x * 16 + y;
    }
    const simple = { a: 7, f: 12, n: 10, r: 13, t: 9, v: 11 }[String.fromCodePoint(c)];
    if (simple !== undefined) return simple;
    return this.fail('invalid escape sequence', start, this.pos);
  }
}

// ---------------------------------------------------------------------------------------------
// Choosing the secret's capture group as gitleaks does.

interface Step {
  node: Node;
  /** Index of the next node on the path among this node's children. */
  child: number;
}

/** Paths from the root to each capture group, as steps. */
function groupPaths(root: Node): Map<GroupNode, Step[]> {
  const paths = new Map<GroupNode, Step[]>();
  const visit = (node: Node, path: Step[]) => {
    if (node.kind === 'group' && node.capture) paths.set(node, path);
    children(node).forEach((child, i) => visit(child, [...path, { node, child: i }]));
  };
  visit(root, []);
  return paths;
}

function minLength(node: Node): number {
  switch (node.kind) {
    case 'lit':
    case 'set':
    case 'dot':
      return 1;
    case 'group':
      return minLength(node.body);
    case 'cat':
      return node.items.reduce((sum, item) => sum + minLength(item), 0);
    case 'alt':
      return Math.min(...node.branches.map(minLength));
    case 'repeat':
      return node.min * minLength(node.body);
    default:
      return 0;
  }
}

/** Whether a group takes part in every match: no alternation or optional repetition above it. */
function alwaysTakesPart(path: readonly Step[]): boolean {
  return path.every(({ node }) => node.kind !== 'alt' && !(node.kind === 'repeat' && node.min === 0));
}

function chooseSecret(pattern: string, root: Node, groups: GroupNode[]): { root: Node; secret?: SecretNode } {
  const paths = groupPaths(root);
  if (groups.length <= 1 || (alwaysTakesPart(paths.get(groups[0]!)!) && minLength(groups[0]!.body) > 0))
    return { root };
  const reject = (why: string): never => {
    throw new Re2TranslationError(
      pattern,
      `gitleaks reports the first of its ${groups.length} capture groups that matched text, and ${why}; ` +
        'set secretGroup to the group that holds the secret',
    );
  };
  const all = groups.map((g) => paths.get(g)!);
  for (const path of all) {
    if (path.some(({ node }) => node.kind === 'group' && node.capture))
      reject('one group is nested in another');
    if (path.some(({ node }) => node.kind === 'repeat' && node.max !== 0 && node.max !== 1))
      reject('a group is inside a repetition');
  }
  // Every two groups must be alternatives: their deepest common node is an alternation.
  for (let a = 0; a < all.length; a++)
    for (let b = a + 1; b < all.length; b++) {
      const pa = all[a]!;
      const pb = all[b]!;
      let k = 0;
      while (k < pa.length && k < pb.length && pa[k]!.node === pb[k]!.node && pa[k]!.child === pb[k]!.child)
        k++;
      if (pa[k]?.node !== pb[k]?.node || pa[k]?.node.kind !== 'alt') reject('two of them can match together');
    }
  // The deepest node all paths share is the alternation holding every group.
  let depth = 0;
  const first = all[0]!;
  while (
    all.every(
      (p) => p[depth] && p[depth]!.node === first[depth]!.node && p[depth]!.child === first[depth]!.child,
    )
  )
    depth++;
  const top = first[depth]!.node;
  // The text between a group's end and the end of `top` is the rest of each sequence on the way up:
  // capture each such rest once, so the lookbehind can step back over it.
  const tails = new Map<Node, { group: GroupNode; depth: number }>();
  for (const path of all)
    for (let k = path.length - 1; k >= depth; k--) {
      const { node, child } = path[k]!;
      if (node.kind !== 'cat' || child === node.items.length - 1 || tails.has(node)) continue;
      const group: GroupNode = {
        kind: 'group',
        capture: true,
        body: { kind: 'cat', items: node.items.slice(child + 1) },
        index: 0,
      };
      node.items = [...node.items.slice(0, child + 1), group];
      tails.set(node, { group, depth: k });
    }
  const secret: SecretNode = {
    kind: 'secret',
    groups,
    tails: [...tails.values()].sort((a, b) => b.depth - a.depth).map((t) => t.group),
    index: 0,
  };
  // Append the lookbehind right after `top` (an alternation: the root, or the body of a group).
  const withSecret = (node: Node): Node => ({ kind: 'cat', items: [wrap(node), secret] });
  if (depth === 0) return { root: withSecret(top), secret };
  const holder = first[depth - 1]!;
  const parent = holder.node;
  if (parent.kind === 'group' || parent.kind === 'repeat') parent.body = withSecret(top);
  else if (parent.kind === 'cat') parent.items[holder.child] = withSecret(top);
  else if (parent.kind === 'alt') parent.branches[holder.child] = withSecret(top);
  return { root, secret };
}

function wrap(node: Node): Node {
  return node.kind === 'alt' ? { kind: 'group', capture: false, body: node, index: 0 } : node;
}

// ---------------------------------------------------------------------------------------------
// Writing JavaScript.

interface Ctx {
  pattern: string;
  /** The `u` flag: Unicode classes, or classes with some characters beyond U+FFFF. */
  u: boolean;
}

const hex = (n: number, width: number) => n.toString(16).toUpperCase().padStart(width, '0');
const SYNTAX = new Set([...'^$\\.*+?()[]{}|'].map(ch));
const IN_CLASS = new Set([...'\\]^-['].map(ch));
const CONTROL: Record<number, string> = { 9: '\\t', 10: '\\n', 11: '\\v', 12: '\\f', 13: '\\r' };

function plainChar(cp: number, ctx: Ctx): string {
  if (cp >= 0x20 && cp < 0x7f) return String.fromCharCode(cp);
  if (CONTROL[cp]) return CONTROL[cp];
  if (cp < 0x100) return `\\x${hex(cp, 2)}`;
  if (cp < 0x10000) return `\\u${hex(cp, 4)}`;
  if (ctx.u) return `\\u{${hex(cp, 1)}}`;
  const s = String.fromCodePoint(cp);
  return `\\u${hex(s.charCodeAt(0), 4)}\\u${hex(s.charCodeAt(1), 4)}`;
}

function atomChar(cp: number, ctx: Ctx): string {
  if (SYNTAX.has(cp)) return `\\${String.fromCharCode(cp)}`;
  // Without `u` a character beyond U+FFFF is two units: group them so a quantifier takes both.
  return cp > 0xffff && !ctx.u ? `(?:${plainChar(cp, ctx)})` : plainChar(cp, ctx);
}

function classRanges(ranges: readonly Range[], ctx: Ctx): string {
  let out = '';
  let rs = intersect(ranges, UNIVERSE);
  if (!ctx.u && astralPart(rs) === 'all') rs = normalize([...intersect(rs, [[0, 0xffff]]), [0xd800, 0xdfff]]);
  for (const [lo, hi] of rs) {
    const one = (cp: number) => (IN_CLASS.has(cp) ? `\\${String.fromCharCode(cp)}` : plainChar(cp, ctx));
    out += lo === hi ? one(lo) : hi === lo + 1 ? one(lo) + one(hi) : `${one(lo)}-${one(hi)}`;
  }
  return out;
}

function emitProp(p: Prop): string {
  return `\\${p.negated ? 'P' : 'p'}{${p.name}}`;
}

const extrasCache = new Map<string, Range[]>();

/** The case partners of a Unicode class's members that are not members themselves. */
function foldExtras(name: string): Range[] {
  let extras = extrasCache.get(name);
  if (!extras) {
    const member = new RegExp(`^\\p{${name}}$`, 'u');
    const out: Range[] = [];
    for (const orbit of new Set(orbitTable().orbits.values())) {
      const inside = orbit.filter((c) => member.test(String.fromCodePoint(c)));
      if (inside.length > 0) for (const c of orbit) if (!inside.includes(c)) out.push([c, c]);
    }
    extras = normalize(out);
    extrasCache.set(name, extras);
  }
  return extras;
}

function emitSet(node: SetNode, ctx: Ctx): string {
  const { ranges, props, negated } = node;
  if (props.length === 0) {
    const set = intersect(negated ? complement(ranges) : ranges, UNIVERSE);
    if (set.length === 1 && set[0]![0] === set[0]![1]) return atomChar(set[0]![0], ctx);
    const rest = intersect(complement(set), UNIVERSE);
    return rest.length < set.length ? `[^${classRanges(rest, ctx)}]` : `[${classRanges(set, ctx)}]`;
  }
  // One class holds the ranges, \p{…} with its case partners, and \P{…} of an unfolded table. A
  // folded \P{…} is everything outside the table and its partners: a [^…] of its own.
  let inClass = classRanges(ranges, ctx);
  const apart: string[] = [];
  for (const p of props) {
    const extras = p.fold ? classRanges(foldExtras(p.name), ctx) : '';
    if (!p.negated) inClass += `\\p{${p.name}}${extras}`;
    else if (!extras) inClass += `\\P{${p.name}}`;
    else apart.push(`\\p{${p.name}}${extras}`);
  }
  if (apart.length === 0) {
    const [only] = props as [Prop];
    const bare = !negated && ranges.length === 0 && props.length === 1 && inClass === emitProp(only);
    return bare ? inClass : `[${negated ? '^' : ''}${inClass}]`;
  }
  if (!negated)
    return `(?:${[...(inClass ? [`[${inClass}]`] : []), ...apart.map((a) => `[^${a}]`)].join('|')})`;
  // In none of them: inside each folded table (or its partners), and outside the class.
  return `(?:${apart.map((a) => `(?=[${a}])`).join('')}${inClass ? `[^${inClass}]` : '[\\s\\S]'})`;
}

const ASSERTIONS: Record<Assertion, string> = {
  bol: '^',
  eol: '$',
  mbol: '(?<![^\\n])',
  meol: '(?![^\\n])',
  bot: '(?<![\\s\\S])',
  eot: '(?![\\s\\S])',
  word: '\\b',
  nonword: '\\B',
};

function emit(node: Node, ctx: Ctx): string {
  switch (node.kind) {
    case 'lit': {
      const orbit = node.fold ? orbitOf(node.cp) : [node.cp];
      if (orbit.length === 1) return atomChar(node.cp, ctx);
      return emitSet(
        { kind: 'set', ranges: orbit.map((c): Range => [c, c]), props: [], negated: false },
        ctx,
      );
    }
    case 'set':
      return emitSet(node, ctx);
    case 'dot':
      return node.nl ? '[\\s\\S]' : '[^\\n]';
    case 'assert':
      return ASSERTIONS[node.what];
    case 'group': {
      const open = !node.capture ? '(?:' : node.name ? `(?<${node.name}>` : '(';
      return `${open}${emit(node.body, ctx)})`;
    }
    case 'cat':
      return node.items.map((item) => emit(item, ctx)).join('');
    case 'alt':
      return node.branches.map((branch) => emit(branch, ctx)).join('|');
    case 'repeat':
      return emitRepeat(node, ctx);
    case 'secret': {
      const refs = (groups: GroupNode[]) => groups.map((g) => `\\${g.index}`).join('');
      return `(?<=(${refs(node.groups)})${refs(node.tails)})`;
    }
  }
}

/**
 * JavaScript rejects an optional iteration that matches nothing, where Go accepts it: Go compiles
 * `x?` as a choice, `x*` of an x that can match nothing as `(x+)?`, and `x{n,m}` as n copies and
 * nested `(x(x)?)?`. For such an x the same shapes are written out, with choices as alternations.
 */
function emitRepeat(node: RepeatNode, ctx: Ctx): string {
  const { min, max, greedy } = node;
  const lazy = greedy ? '' : '?';
  const optional = (inner: string) => (greedy ? `(?:${inner}|)` : `(?:|${inner})`);
  if (minLength(node.body) === 0 && max !== min && !(min > 0 && max === -1)) {
    const one = emitAtom(node.body, ctx);
    if (max === -1) return optional(`${one}+${lazy}`);
    if (max === 1 && min === 0) return optional(one);
    // Copies of a body with capture groups would renumber them: keep JavaScript's quantifier.
    if (hasCapture(node.body)) return `${one}${quantifier(min, max)}${lazy}`;
    if (max - min > 100)
      throw new Re2TranslationError(
        ctx.pattern,
        `a repetition {${min},${max}} of something that can match nothing is too long to write out`,
      );
    let rest = '';
    for (let k = max - min; k > 0; k--) rest = optional(one + rest);
    return (min === 0 ? '' : min === 1 ? one : `${one}{${min}}`) + rest;
  }
  return `${emitAtom(node.body, ctx)}${quantifier(min, max)}${lazy}`;
}

function hasCapture(node: Node): boolean {
  return (node.kind === 'group' && node.capture) || children(node).some(hasCapture);
}

function emitAtom(node: Node, ctx: Ctx): string {
  const body = emit(node, ctx);
  return ['lit', 'set', 'dot', 'group'].includes(node.kind) ? body : `(?:${body})`;
}

function quantifier(min: number, max: number): string {
  return min === 0 && max === -1
    ? '*'
    : min === 1 && max === -1
      ? '+'
      : min === 0 && max === 1
        ? '?'
        : max === -1
          ? `{${min},}`
          : min === max
            ? `{${min}}`
            : `{${min},${max}}`;
}

// ---------------------------------------------------------------------------------------------

function setNeedsU(node: SetNode): boolean {
  if (node.props.length > 0) return true;
  return astralPart(intersect(node.negated ? complement(node.ranges) : node.ranges, UNIVERSE)) === 'some';
}

function compile(pattern: string, secretGroup: number | undefined): Re2RuleTranslation {
  const parser = new Parser(pattern);
  let root = parser.parse();
  const groups = parser.groups.length;
  let secret: SecretNode | undefined;
  if (secretGroup === 0) ({ root, secret } = chooseSecret(pattern, root, parser.groups));

  let u = false;
  walk(root, (node) => {
    if (node.kind === 'set') u ||= setNeedsU(node);
    if (node.kind === 'lit' && node.fold) u ||= orbitOf(node.cp).some((c) => c > 0xffff);
  });
  let index = 0;
  walk(root, (node) => {
    if ((node.kind === 'group' && node.capture) || node.kind === 'secret') node.index = ++index;
  });
  const ctx: Ctx = { pattern, u };
  const source = emit(root, ctx);
  const flags = u ? 'u' : '';
  try {
    new RegExp(source, flags);
  } catch (error) {
    throw new Re2TranslationError(
      pattern,
      `its JavaScript form does not compile (${(error as Error).message})`,
    );
  }
  const chosen =
    secretGroup === undefined || secretGroup > 0
      ? (secretGroup ?? 0)
      : secret
        ? secret.index
        : groups > 0
          ? 1
          : 0;
  return { source, flags, groups, secretGroup: chosen };
}

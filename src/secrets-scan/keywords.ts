/**
 * The prefilter's keyword search: which of many lowercase keywords occur in a text, ignoring case,
 * in one pass over the text and without a lowercased copy of it.
 *
 * An Aho-Corasick automaton over UTF-16 code units. ASCII, nearly all of what is scanned, goes
 * through a dense transition table whose columns are the ASCII characters the keywords use
 * (case-folded: `A` and `a` share a column, every other character shares column 0); anything else
 * takes a slower path that lowercases the character. The answer is exactly the one
 * `text.toLowerCase().includes(keyword)` gives for every keyword, including where lowercasing is
 * not one character for one:
 * - `İ` (U+0130) lowercases to two code units, `i` and U+0307: both are fed to the automaton.
 * - `K` (the Kelvin sign, U+212A) lowercases to ASCII `k`.
 * - `Σ` lowercases to `ς` at the end of a word and `σ` elsewhere. It is fed as `σ`; when the text
 *   holds a `Σ`, the keywords containing `σ` or `ς` (none of the built-in ones) are checked again
 *   on the lowercased text, so the answer stays exact at the cost of that copy.
 * - A surrogate pair is lowercased as one code point (Deseret, Osage, Adlam… stay astral); a lone
 *   surrogate is left as it is, as `toLowerCase` does.
 * These are all the cases where lowercasing a whole string differs from lowercasing each code
 * unit alone (`toLowerCase` with no locale, checked over every code point by the tests).
 *
 * Built once per rule set (a few hundred keywords take about a millisecond) and reused for
 * every text; `matchAll` keeps no state between calls that could change an answer.
 */

/** The start state, where a code unit that no keyword contains leads from any state. */
const ROOT = 0;
const LATIN_CAPITAL_I_WITH_DOT = 0x130;
const COMBINING_DOT_ABOVE = 0x307;
const GREEK_CAPITAL_SIGMA = 0x3a3;
const GREEK_SMALL_SIGMA = 0x3c3;

/** Lowercase of each BMP code unit alone, filled as characters are met (0: not yet known). */
const lowerCache = new Uint16Array(0x10000);
/** Lowercase of astral code points, as two code units packed in one number. */
const astralCache = new Map<number, number>();

function lowerUnit(c: number): number {
  let l = lowerCache[c]!;
  if (l === 0) {
    l = String.fromCharCode(c).toLowerCase().charCodeAt(0);
    lowerCache[c] = l;
  }
  return l;
}

function lowerAstral(high: number, low: number): number {
  const key = (high << 16) | low;
  let packed = astralCache.get(key);
  if (packed === undefined) {
    const l = String.fromCharCode(high, low).toLowerCase();
    packed = (l.charCodeAt(0) << 16) | l.charCodeAt(1);
    astralCache.set(key, packed);
  }
  return packed;
}

interface TrieNode {
  next: Map<number, number>;
  fail: number;
  /** Distinct keyword ids ending here, its own and those of its suffixes. */
  out: number[];
}

export class KeywordMatcher {
  /** The keywords as given, in order. */
  readonly keywords: readonly string[];
  /** Distinct lowercased keywords; `ids[i]` is the distinct id of `keywords[i]`. */
  private readonly distinct: string[] = [];
  private readonly ids: Int32Array;
  /** Column of each ASCII code unit in `delta` (case-folded; 0 for units in no keyword). */
  private readonly column = new Uint8Array(128);
  private readonly width: number;
  /**
   * The transitions, failure links already followed, addressed by row offset (`state * width`) so
   * the hot loop needs no multiplication: `delta[offset + column]` is the next state's offset, or
   * its bitwise complement (negative) when some keyword ends in that state.
   */
  private readonly delta: Int32Array;
  /** Per state: whether a keyword ends here. */
  private readonly hasOutput: Uint8Array;
  /**
   * Per text, numbered by `epoch`: a state whose keywords were reported and a keyword seen carry
   * the text's number, so nothing is cleared or allocated between texts (most are small files).
   */
  private epoch = 0;
  private readonly reportedAt: Uint32Array;
  private readonly seenAt: Uint32Array;
  private readonly outStart: Int32Array;
  private readonly outIds: Int32Array;
  private readonly nodes: TrieNode[];
  /** Whether some keyword has a code unit outside ASCII: only then do such units need transitions. */
  private readonly wide: boolean;
  /** Distinct ids of the keywords with `σ` or `ς`, whose answer depends on a word's end. */
  private readonly sigma: number[] = [];
  private readonly empty: number[] = [];

  constructor(keywords: readonly string[]) {
    this.keywords = [...keywords];
    this.ids = new Int32Array(keywords.length);
    const byText = new Map<string, number>();
    keywords.forEach((keyword, i) => {
      if (typeof keyword !== 'string') throw new TypeError(`Keyword ${i} is not a string`);
      const k = keyword.toLowerCase();
      let id = byText.get(k);
      if (id === undefined) {
        id = this.distinct.length;
        byText.set(k, id);
        this.distinct.push(k);
      }
      this.ids[i] = id;
    });

    const nodes: TrieNode[] = [{ next: new Map(), fail: ROOT, out: [] }];
    let wide = false;
    this.distinct.forEach((k, id) => {
      if (k === '') return this.empty.push(id);
      if (/[σς]/.test(k)) this.sigma.push(id);
      let s = ROOT;
      for (let i = 0; i < k.length; i++) {
        const c = k.charCodeAt(i);
        if (c >= 128) wide = true;
        let t = nodes[s]!.next.get(c);
        if (t === undefined) {
          t = nodes.length;
          nodes.push({ next: new Map(), fail: ROOT, out: [] });
          nodes[s]!.next.set(c, t);
        }
        s = t;
      }
      nodes[s]!.out.push(id);
    });
    this.wide = wide;

    // Breadth first, so a node's failure target (a shorter suffix) is finished before it.
    const order: number[] = [];
    const queue = [ROOT];
    for (let q = 0; q < queue.length; q++) {
      const s = queue[q]!;
      order.push(s);
      for (const [c, t] of nodes[s]!.next) {
        if (s !== ROOT) {
          let f = nodes[s]!.fail;
          while (f !== ROOT && !nodes[f]!.next.has(c)) f = nodes[f]!.fail;
          const target = nodes[f]!.next.get(c);
          nodes[t]!.fail = target !== undefined && target !== t ? target : ROOT;
          nodes[t]!.out.push(...nodes[nodes[t]!.fail]!.out);
        }
        queue.push(t);
      }
    }
    this.nodes = nodes;

    // Columns: one per ASCII code unit a keyword uses; an uppercase letter shares its lowercase's.
    const unitOf = [0];
    for (const k of this.distinct)
      for (let i = 0; i < k.length; i++) {
        const c = k.charCodeAt(i);
        if (c < 128 && this.column[c] === 0) this.column[c] = unitOf.push(c) - 1;
      }
    for (let c = 65; c <= 90; c++) this.column[c] = this.column[c + 32]!;
    const width = unitOf.length;
    this.width = width;
    const next = new Int32Array(nodes.length * width);
    for (const s of order) {
      const node = nodes[s]!;
      for (let col = 1; col < width; col++) {
        const t = node.next.get(unitOf[col]!);
        next[s * width + col] = t !== undefined ? t : s === ROOT ? ROOT : next[node.fail * width + col]!;
      }
    }
    this.delta = next.map((t) => (nodes[t]!.out.length > 0 ? ~(t * width) : t * width));

    this.hasOutput = new Uint8Array(nodes.length);
    this.outStart = new Int32Array(nodes.length + 1);
    const outIds: number[] = [];
    nodes.forEach((node, s) => {
      this.outStart[s] = outIds.length;
      outIds.push(...node.out);
      this.hasOutput[s] = node.out.length > 0 ? 1 : 0;
    });
    this.outStart[nodes.length] = outIds.length;
    this.outIds = Int32Array.from(outIds);
    this.reportedAt = new Uint32Array(nodes.length);
    this.seenAt = new Uint32Array(this.distinct.length);
  }

  /**
   * Which keywords occur in `text`, ignoring case: `result[i]` is 1 when `keywords[i]` does, as
   * `text.toLowerCase().includes(keywords[i].toLowerCase())` would say. Stops reading as soon as
   * every keyword has been seen. An empty keyword occurs in every text.
   */
  matchAll(text: string): Uint8Array {
    if (this.epoch === 0xffffffff) {
      this.epoch = 0;
      this.reportedAt.fill(0);
      this.seenAt.fill(0);
    }
    const epoch = ++this.epoch;
    let remaining = this.distinct.length;
    for (const id of this.empty) {
      this.seenAt[id] = epoch;
      remaining--;
    }
    if (remaining > 0) this.scan(text, remaining);
    if (this.sigma.length > 0 && text.includes('\u03a3')) {
      const lower = text.toLowerCase();
      for (const id of this.sigma) this.seenAt[id] = lower.includes(this.distinct[id]!) ? epoch : 0;
    }
    const result = new Uint8Array(this.keywords.length);
    for (let i = 0; i < result.length; i++) result[i] = this.seenAt[this.ids[i]!] === epoch ? 1 : 0;
    return result;
  }

  /** The one pass, until the end of the text or until no keyword is left unseen. */
  private scan(text: string, remaining: number): void {
    const { column, delta, width, hasOutput, reportedAt, epoch } = this;
    const n = text.length;
    // The current state's row offset; `t` is the state itself, computed only when needed.
    let s = 0;
    let t: number;
    for (let i = 0; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c < 128) {
        s = delta[s + column[c]!]!;
        if (s >= 0) continue;
        s = ~s;
        t = s / width;
      } else {
        // Lowercase the character: one or two code units in, one or two out.
        let first: number;
        let second = -1;
        const d = i + 1 < n ? text.charCodeAt(i + 1) : 0;
        if (c === LATIN_CAPITAL_I_WITH_DOT) {
          first = 0x69;
          second = COMBINING_DOT_ABOVE;
        } else if (c >= 0xd800 && c < 0xdc00 && d >= 0xdc00 && d < 0xe000) {
          const packed = lowerAstral(c, d);
          first = packed >>> 16;
          second = packed & 0xffff;
          i++;
        } else {
          first = c === GREEK_CAPITAL_SIGMA ? GREEK_SMALL_SIGMA : lowerUnit(c);
        }
        t = this.step(s / width, first);
        if (second >= 0) {
          if (hasOutput[t] !== 0 && reportedAt[t] !== epoch && (remaining = this.report(t, remaining)) === 0)
            return;
          t = this.step(t, second);
        }
        s = t * width;
        if (hasOutput[t] === 0) continue;
      }
      if (reportedAt[t] !== epoch && (remaining = this.report(t, remaining)) === 0) return;
    }
  }

  /** Marks the keywords ending in state `t` as seen; returns how many are still unseen. */
  private report(t: number, remaining: number): number {
    const epoch = this.epoch;
    this.reportedAt[t] = epoch;
    for (let o = this.outStart[t]!; o < this.outStart[t + 1]!; o++) {
      const id = this.outIds[o]!;
      if (this.seenAt[id] !== epoch) {
        this.seenAt[id] = epoch;
        remaining--;
      }
    }
    return remaining;
  }

  /**
   * One transition on an already lowercased code unit. A unit outside ASCII follows the trie's
   * failure links; with ASCII-only keywords it ends every partial match.
   */
  private step(s: number, unit: number): number {
    if (unit < 128) {
      const offset = this.delta[s * this.width + this.column[unit]!]!;
      return (offset < 0 ? ~offset : offset) / this.width;
    }
    if (!this.wide) return ROOT;
    for (;;) {
      const t = this.nodes[s]!.next.get(unit);
      if (t !== undefined) return t;
      if (s === ROOT) return ROOT;
      s = this.nodes[s]!.fail;
    }
  }
}

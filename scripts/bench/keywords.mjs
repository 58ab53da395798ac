// node scripts/bench/keywords.mjs: the prefilter's keyword search on 10 MB inputs (BENCH_KEYWORDS_MB),
// three ways: one toLowerCase copy then includes() per keyword (the engine's first prefilter),
// one combined case-insensitive regex, and KeywordMatcher (src/secrets-scan/keywords.ts). Each input
// is searched whole and as 4 KB files, with the built-in keywords and with 200 (the built-in ones
// plus made-up vendor names and token prefixes, the size of gitleaks' default set). Last, the
// share of the engine's scanContent() time that its prefilter takes on the bench tree's files.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ALNUM, generate, rng } from './corpus.mjs';
import { ensureTree } from './fixtures.mjs';
import { importSource } from './load-src.mjs';

const MB = Number(process.env.BENCH_KEYWORDS_MB ?? 10);
const ROUNDS = Number(process.env.BENCH_KEYWORDS_ROUNDS ?? 5);

const { KeywordMatcher } = await importSource('src/secrets-scan/keywords.ts');
const { BUILTIN_RULES } = await importSource('src/secrets-scan/rules.ts');
const builtin = [...new Set(BUILTIN_RULES.flatMap((rule) => rule.keywords.map((k) => k.toLowerCase())))];
const r = rng(42);
const made = new Set(builtin);
while (made.size < 200) {
  const word = r.chars('abcdefghijklmnopqrstuvwxyz', r.between(4, 10));
  made.add(r.chance(0.4) ? `${word.slice(0, r.between(2, 4))}${r.pick(['_', '-', '.'])}` : word);
}
const KEYWORD_SETS = { [`${builtin.length} built-in`]: builtin, '200 (built-in + made-up)': [...made] };

function text(kinds, size, seed, extra) {
  const g = rng(seed);
  let out = '';
  while (out.length < size) {
    out += generate(g.pick(kinds), g, g.logSize(2000, 200000));
    if (extra) out += extra(g);
  }
  return out.slice(0, size);
}
const size = MB * 1024 * 1024;
const INPUTS = {
  source: text(['ts', 'py', 'go', 'java', 'sh', 'tf'], size, 1),
  minified: text(['minified'], size, 2),
  json: text(['json', 'yaml'], size, 3),
  lock: text(['package-lock', 'yarn-lock', 'go-sum', 'cargo-lock'], size, 4),
  // Text whose every line holds keywords: many hits, and an early exit once all are seen.
  'many hits': text(['ts'], size, 5, (g) => `${g.pick(builtin)}=${g.chars(ALNUM, 20)}\n`),
  // Comments and strings in other scripts: the matcher's path for non-ASCII code units.
  'non-ASCII': text(['ts', 'markdown'], size, 6, () => '// Größe, 日本語のコメント, Ελληνικά, emoji 🚀\n'),
};

const naive = (keywords) => (t) => {
  const lower = t.toLowerCase();
  return keywords.map((k) => lower.includes(k));
};

const escape = (k) => k.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
/**
 * One regex of every keyword, longest first. A match hides keywords that overlap it (`sk` inside
 * `sk_live_`), so each match is followed by checking which keywords start at its position, and the
 * search resumes one character later. Case folding is the regex's (`i`), not toLowerCase's.
 */
const combined = (keywords) => {
  const sorted = [...new Set(keywords)].sort((a, b) => b.length - a.length);
  const regex = new RegExp(sorted.map(escape).join('|'), 'gi');
  return (t) => {
    const seen = new Set();
    regex.lastIndex = 0;
    for (let m; (m = regex.exec(t));) {
      const at = t.slice(m.index, m.index + m[0].length).toLowerCase();
      for (const k of sorted) if (at.startsWith(k)) seen.add(k);
      if (seen.size === sorted.length) break;
      regex.lastIndex = m.index + 1;
    }
    return keywords.map((k) => seen.has(k));
  };
};
const automaton = (keywords) => {
  const matcher = new KeywordMatcher(keywords);
  return (t) => matcher.matchAll(t);
};
const CANDIDATES = { 'toLowerCase + includes': naive, 'combined regex': combined, KeywordMatcher: automaton };

function measure(fn, pieces) {
  const times = [];
  let hits = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const t0 = process.hrtime.bigint();
    hits = 0;
    for (const p of pieces) for (const hit of fn(p)) hits += hit ? 1 : 0;
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  times.sort((a, b) => a - b);
  return { ms: times[Math.floor(times.length / 2)], hits };
}

console.log(`keyword search: ${MB} MB per input, median of ${ROUNDS} rounds, node ${process.version}\n`);
const names = Object.keys(CANDIDATES);
console.log(`| keywords | input | split | ${names.map((n) => `${n} MB/s`).join(' | ')} | hits |`);
console.log(`| --- | --- | --- | ${names.map(() => '---').join(' | ')} | --- |`);
for (const [setName, keywords] of Object.entries(KEYWORD_SETS)) {
  for (const [inputName, input] of Object.entries(INPUTS)) {
    for (const split of ['whole', '4 KB files']) {
      const pieces = split === 'whole' ? [input] : input.match(/[^]{1,4096}/g);
      const results = names.map((n) => measure(CANDIDATES[n](keywords), pieces));
      const hits = new Set(results.map((x) => x.hits));
      const mbps = results.map((x) => (MB / (x.ms / 1000)).toFixed(0));
      console.log(
        `| ${setName} | ${inputName} | ${split} | ${mbps.join(' | ')} | ${[...hits].join(' ≠ ')}${hits.size > 1 ? ' (differ)' : ''} |`,
      );
    }
  }
}

// The engine on real-sized files: how much of scanContent() the prefilter is, and what it becomes.
const { compileRules, prefilter, scanContent } = await importSource('src/secrets-scan/engine.ts');
const set = compileRules(BUILTIN_RULES);
const keywordList = [...set.keywords.keys()];
const matcher = new KeywordMatcher(keywordList);
const oneMatcherPass = (t) => {
  const hit = matcher.matchAll(t);
  const active = new Set(set.unfiltered);
  keywordList.forEach((k, i) => {
    if (hit[i]) for (const r of set.keywords.get(k)) active.add(r);
  });
  return [...active].sort((a, b) => a - b).map((i) => set.rules[i]);
};
const tree = ensureTree({ mb: MB });
const files = fs
  .readdirSync(tree.root, { recursive: true, withFileTypes: true })
  .filter((e) => e.isFile())
  .map((e) => ({
    path: path.join(e.parentPath, e.name),
    text: fs.readFileSync(path.join(e.parentPath, e.name), 'utf8'),
  }));
const timeAll = (fn) => {
  const times = [];
  for (let round = 0; round < ROUNDS; round++) {
    const t0 = process.hrtime.bigint();
    for (const f of files) fn(f);
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)];
};
for (const f of files.slice(0, 50)) {
  const a = prefilter(f.text, set)
    .map((c) => c.rule.id)
    .join();
  const b = oneMatcherPass(f.text)
    .map((c) => c.rule.id)
    .join();
  if (a !== b) throw new Error(`The two prefilters disagree on ${f.path}`);
}
const scan = timeAll((f) => scanContent(f.text, f.path, set));
const naivePrefilter = timeAll((f) => prefilter(f.text, set));
const matcherPrefilter = timeAll((f) => oneMatcherPass(f.text));
console.log(
  `\nbench tree (${files.length} files, ${(tree.bytes / 1048576).toFixed(1)} MB, ${keywordList.length} keywords): ` +
    `scanContent ${scan.toFixed(0)} ms, of which prefilter() ${naivePrefilter.toFixed(0)} ms; ` +
    `the same prefilter with KeywordMatcher ${matcherPrefilter.toFixed(0)} ms`,
);

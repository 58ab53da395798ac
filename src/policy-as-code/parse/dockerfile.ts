/**
 * Dockerfiles (and Containerfiles) into the document model, read with `dockerfile-ast`, the
 * parser behind the VS Code Docker language server. Each stage is a resource (type `stage`,
 * named by its `AS` alias or its index) so a finding and a suppression can name it; the
 * instructions keep their source range, and `argPos` maps an offset in an instruction's
 * arguments back to the exact line and column, even inside a long `RUN … \` continuation.
 *
 * The library is lenient, so the errors a build would stop on are checked here: an unknown
 * instruction, an instruction other than ARG before the first FROM, a FROM without an image, and a
 * file without any FROM. A file with errors yields no documents, as other formats do.
 */
import * as path from 'node:path';
import { DockerfileParser, type Instruction as AstInstruction } from 'dockerfile-ast';
import type {
  DockerfileModel,
  Doc,
  Entry,
  Instruction,
  MapNode,
  Node,
  Pos,
  Resource,
  Stage,
} from '../types.js';
import type { ParseError, ParseResult } from './index.js';
import { Lines, scanComments } from './positions.js';

/** Every instruction Docker's builder accepts (MAINTAINER is deprecated, not removed). */
export const KEYWORDS: ReadonlySet<string> = new Set([
  'ADD',
  'ARG',
  'CMD',
  'COPY',
  'ENTRYPOINT',
  'ENV',
  'EXPOSE',
  'FROM',
  'HEALTHCHECK',
  'LABEL',
  'MAINTAINER',
  'ONBUILD',
  'RUN',
  'SHELL',
  'STOPSIGNAL',
  'USER',
  'VOLUME',
  'WORKDIR',
]);

/**
 * `Dockerfile.<suffix>` names a variant (`Dockerfile.dev`, `Dockerfile.alpine`,
 * `Dockerfile.22.04`) unless the suffix says the file is something else: documentation, data,
 * a script, a template still to be rendered, an editor or merge leftover, or BuildKit's
 * per-Dockerfile ignore file (`Dockerfile.dockerignore`).
 */
const OTHER_SUFFIX =
  /\.(md|markdown|txt|rst|adoc|html?|pdf|json|ya?ml|toml|ini|cfg|conf|xml|csv|sh|bash|ps1|bat|cmd|py|js|mjs|cjs|ts|go|rb|java|bak|backup|orig|old|rej|swp|tmp|log|lock|patch|diff|dockerignore|j2|jinja2?|tpl|tmpl|template|erb|mustache|hbs|gotmpl|in|properties)$/i;

/** True for `Dockerfile`, `Containerfile`, `*.Dockerfile`, `*.dockerfile` and `Dockerfile.<variant>`. */
export function isDockerfileName(file: string): boolean {
  const base = path.posix.basename(file.replace(/\\/g, '/'));
  if (/^(docker|container)file$/i.test(base)) return true;
  if (/.\.(docker|container)file$/i.test(base)) return true;
  if (/^(docker|container)file\.[^.]/i.test(base)) return !OTHER_SUFFIX.test(base);
  return false;
}

/** Where a piece of an instruction's `args` comes from in the file. */
interface Span {
  /** Offset in `args`. */
  at: number;
  line: number;
  column: number;
}

/** An instruction as the parser builds it: the model's fields plus the source map of `args`. */
export interface DockerInstruction extends Instruction {
  spans?: Span[];
}

/** The position in the file of `args.slice(start, end)`; the instruction when unknown. */
export function argPos(ins: Instruction, start: number, end = start): Pos {
  const spans = (ins as DockerInstruction).spans;
  if (!spans || spans.length === 0) return ins.pos;
  const locate = (offset: number): { line: number; column: number } => {
    let span = spans[0]!;
    for (const s of spans) if (s.at <= offset) span = s;
    return { line: span.line, column: span.column + Math.max(0, offset - span.at) };
  };
  const a = locate(start);
  const b = locate(Math.max(start, end));
  return { line: a.line, column: a.column, endLine: b.line, endColumn: b.column };
}

export interface Word {
  value: string;
  /** Offsets of the word as written (quotes included) in `args`. */
  start: number;
  end: number;
}

/**
 * The words of an instruction's arguments: shell-like splitting on blanks with '…' and "…"
 * quotes removed, or the strings of the JSON (exec) form `["a", "b"]`.
 */
export function words(args: string): Word[] {
  const trimmed = args.trim();
  if (trimmed.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(trimmed);
      if (Array.isArray(parsed) && parsed.every((x) => typeof x === 'string')) {
        const base = args.indexOf('[');
        let from = base;
        return (parsed as string[]).map((value) => {
          const at = args.indexOf(JSON.stringify(value), from);
          const start = at === -1 ? base : at;
          from = at === -1 ? from : at + 1;
          return { value, start, end: start + JSON.stringify(value).length };
        });
      }
    } catch {
      // Not JSON after all: Docker reads it as the shell form too.
    }
  }
  const out: Word[] = [];
  let i = 0;
  while (i < args.length) {
    while (i < args.length && /\s/.test(args[i]!)) i++;
    if (i >= args.length) break;
    const start = i;
    let value = '';
    let quote: string | undefined;
    for (; i < args.length; i++) {
      const c = args[i]!;
      if (quote) {
        if (c === quote) quote = undefined;
        else if (c === '\\' && quote === '"' && i + 1 < args.length) value += args[++i];
        else value += c;
      } else if (c === '"' || c === "'") quote = c;
      else if (/\s/.test(c)) break;
      else if (c === '\\' && i + 1 < args.length) value += args[++i];
      else value += c;
    }
    out.push({ value, start, end: i });
  }
  return out;
}

export interface Property {
  name: string;
  /** The value with quotes removed; undefined for `ARG NAME` without a default. */
  value?: string;
  /** Offsets of `name[=value]` in `args`. */
  start: number;
  end: number;
}

/** `ENV a=1 b="two words"`, the legacy `ENV name value with spaces`, `ARG NAME[=default]`, `LABEL`. */
export function properties(ins: Instruction): Property[] {
  const ws = words(ins.args);
  if (ws.length === 0) return [];
  if (ins.keyword === 'ENV' && !ws[0]!.value.includes('=')) {
    const rest = ws.slice(1);
    return [
      {
        name: ws[0]!.value,
        value: rest.map((w) => w.value).join(' '),
        start: ws[0]!.start,
        end: rest.length > 0 ? rest[rest.length - 1]!.end : ws[0]!.end,
      },
    ];
  }
  return ws.map((w) => {
    const eq = w.value.indexOf('=');
    return eq === -1
      ? { name: w.value, start: w.start, end: w.end }
      : { name: w.value.slice(0, eq), value: w.value.slice(eq + 1), start: w.start, end: w.end };
  });
}

/** Options such as `--mount=…` or `--from=build` that lead some instructions' arguments. */
export function flags(ws: Word[]): { flags: Map<string, string>; rest: Word[] } {
  const found = new Map<string, string>();
  let i = 0;
  for (; i < ws.length; i++) {
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(ws[i]!.value);
    if (!m) break;
    found.set(m[1]!, m[2] ?? '');
  }
  return { flags: found, rest: ws.slice(i) };
}

/**
 * The shell command an instruction runs at build time: RUN after its `--mount`/`--network`
 * options, and `ONBUILD RUN` (a trigger that runs in every image built from this one). The
 * offset says where the command starts in `args`, for `argPos`.
 */
export function shellCommand(ins: Instruction): { text: string; offset: number } | undefined {
  let args = ins.args;
  let offset = 0;
  if (ins.keyword === 'ONBUILD') {
    const m = /^(\s*RUN\s+)/i.exec(args);
    if (!m) return undefined;
    offset = m[1]!.length;
    args = args.slice(offset);
  } else if (ins.keyword !== 'RUN') return undefined;
  const { rest } = flags(words(args));
  if (rest.length === 0) return undefined;
  const start = rest[0]!.start;
  const text = args.slice(start);
  if (text.trim().startsWith('[')) {
    const exec = words(text).map((w) => w.value);
    return { text: exec.join(' '), offset: offset + start };
  }
  return { text, offset: offset + start };
}

/** The stage and the stages it is built from (`FROM build`), nearest first. */
export function lineage(model: DockerfileModel, stage: Stage): Stage[] {
  const chain: Stage[] = [];
  let current: Stage | undefined = stage;
  while (current && !chain.includes(current)) {
    chain.push(current);
    current = current.fromStage === undefined ? undefined : model.stages[current.fromStage];
  }
  return chain;
}

/** `${VAR}`, `$VAR`, `${VAR:-default}`, `${VAR:+alt}` from ARG defaults; unknown ones stay as written. */
export function substitute(text: string, vars: ReadonlyMap<string, string | undefined>): string {
  return text.replace(
    /\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?)([-+])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
    (whole, braced: string | undefined, colon: string, op: string | undefined, word: string, bare) => {
      const name = (braced ?? bare) as string;
      const value = vars.get(name);
      const set = value !== undefined && (colon !== ':' || value !== '');
      if (op === '-') return set ? value : word;
      if (op === '+') return set ? word : '';
      return value ?? whole;
    },
  );
}

function rangePos(range: {
  start: { line: number; character: number };
  end: { line: number; character: number };
}): Pos {
  return {
    line: range.start.line + 1,
    column: range.start.character + 1,
    endLine: range.end.line + 1,
    endColumn: range.end.character + 1,
  };
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The arguments as Docker reads them: continuation lines joined with a space, comment and blank
 * lines inside a continuation dropped, heredoc bodies kept line by line; with the source map.
 */
function readArgs(ins: AstInstruction, escape: string, lines: Lines): { args: string; spans: Span[] } {
  // The library's own argument range leaves out options such as `--mount=` and `--chmod=`; the
  // model keeps the arguments as written, so they are cut from the source text here.
  const keyword = ins.getInstructionRange().end;
  const end = ins.getRange().end;
  const from = (lines.starts[keyword.line] ?? lines.text.length) + keyword.character;
  const to = (lines.starts[end.line] ?? lines.text.length) + end.character;
  const written = lines.text.slice(from, Math.max(from, to));
  const lead = written.length - written.replace(/^[ \t]+/, '').length;
  const raw = written.slice(lead);
  if (raw.trim() === '') return { args: '', spans: [] };
  const range = { start: { line: keyword.line, character: keyword.character + lead } };
  const trailingEscape = new RegExp(`${escapeRegExp(escape)}\\s*$`);
  const spans: Span[] = [];
  let args = '';
  let continued = false;
  raw.split('\n').forEach((rawLine, i) => {
    let line = rawLine.replace(/\r$/, '');
    let sep = '';
    if (i > 0) {
      if (continued) {
        if (line.trim() === '' || /^\s*#/.test(line)) return;
        sep = ' ';
      } else sep = '\n';
    }
    const m = trailingEscape.exec(line);
    continued = m !== null;
    if (m) line = line.slice(0, m.index).trimEnd();
    const lead = i > 0 && sep === ' ' ? line.length - line.trimStart().length : 0;
    spans.push({
      at: args.length + sep.length,
      line: range.start.line + i + 1,
      column: (i === 0 ? range.start.character : 0) + lead + 1,
    });
    args += sep + line.slice(lead);
  });
  return { args, spans };
}

function scalar(pos: Pos, value: string): Node {
  return { kind: 'scalar', pos, value };
}

/** Instructions grouped by keyword, in order: the shape custom rules navigate (`RUN`, `USER`, …). */
function instructionMap(instructions: Instruction[], fallback: Pos): MapNode {
  const byKeyword = new Map<string, Entry>();
  for (const ins of instructions) {
    let e = byKeyword.get(ins.keyword);
    if (!e) {
      e = { key: ins.keyword, keyPos: ins.pos, value: { kind: 'list', pos: ins.pos, items: [] } };
      byKeyword.set(ins.keyword, e);
    }
    if (e.value.kind === 'list') e.value.items.push(scalar(ins.pos, ins.args));
  }
  return { kind: 'map', pos: fallback, entries: [...byKeyword.values()] };
}

export function parseDockerfile(file: string, text: string): ParseResult {
  const ast = DockerfileParser.parse(text);
  const lines = new Lines(text);
  const escape = ast.getEscapeCharacter();
  const errors: ParseError[] = [];
  const error = (pos: Pos, message: string): void => {
    errors.push({ file, line: pos.line, column: pos.column, message, format: 'dockerfile' });
  };
  const globalArgs: DockerInstruction[] = [];
  const stages: Stage[] = [];
  const vars = new Map<string, string | undefined>();
  const stageNames = new Map<string, number>();
  const all: Instruction[] = [];

  for (const node of ast.getInstructions()) {
    const keyword = node.getKeyword().toUpperCase();
    const pos = rangePos(node.getRange());
    if (!KEYWORDS.has(keyword)) {
      error(rangePos(node.getInstructionRange()), `unknown instruction: ${node.getInstruction()}`);
      continue;
    }
    const { args, spans } = readArgs(node, escape, lines);
    const ins: DockerInstruction = { keyword, args, pos, stage: stages.length - 1, spans };
    all.push(ins);
    if (keyword === 'FROM') {
      const { rest } = flags(words(args));
      const imageWord = rest[0];
      if (!imageWord) {
        error(pos, 'FROM needs an image');
        continue;
      }
      const image = substitute(imageWord.value, vars);
      const alias = rest[1] && rest[1].value.toLowerCase() === 'as' && rest[2] ? rest[2].value : undefined;
      const parent = stageNames.get(image.toLowerCase());
      const stage: Stage = {
        index: stages.length,
        ...(alias !== undefined ? { name: alias } : {}),
        image,
        ...(parent !== undefined ? { fromStage: parent } : {}),
        pos,
        instructions: [],
      };
      ins.stage = stage.index;
      stage.instructions.push(ins);
      stages.push(stage);
      if (alias !== undefined) stageNames.set(alias.toLowerCase(), stage.index);
      continue;
    }
    if (stages.length === 0) {
      if (keyword !== 'ARG') {
        error(
          rangePos(node.getInstructionRange()),
          `${keyword} before the first FROM: only ARG may come first`,
        );
        continue;
      }
      globalArgs.push(ins);
      for (const p of properties(ins)) vars.set(p.name, p.value);
      continue;
    }
    stages[stages.length - 1]!.instructions.push(ins);
  }
  if (stages.length === 0 && errors.length === 0) {
    error(
      { line: 1, column: 1, endLine: 1, endColumn: 1 },
      'no FROM instruction: a Dockerfile starts each stage with FROM',
    );
  }
  if (errors.length > 0) return { docs: [], errors };

  for (const stage of stages) {
    const last = stage.instructions[stage.instructions.length - 1]!;
    stage.pos = { ...stage.pos, endLine: last.pos.endLine, endColumn: last.pos.endColumn };
  }
  const model: DockerfileModel = { stages, globalArgs };
  const resources: Resource[] = stages.map((stage) => {
    const body = instructionMap(stage.instructions, stage.pos);
    return { type: 'stage', name: stage.name ?? String(stage.index), pos: stage.pos, body, node: body };
  });
  const params = new Map<string, Node | undefined>();
  for (const ins of globalArgs) {
    for (const p of properties(ins))
      params.set(p.name, p.value === undefined ? undefined : scalar(ins.pos, p.value));
  }
  const doc: Doc = {
    file,
    format: 'dockerfile',
    root: instructionMap(all, all[0]?.pos ?? { line: 1, column: 1, endLine: 1, endColumn: 1 }),
    resources,
    params,
    comments: scanComments(text, 'hash'),
    dockerfile: model,
  };
  return { docs: [doc], errors: [] };
}

export interface ImageRef {
  /** Registry and repository: `ghcr.io/org/app`, `ubuntu`. */
  name: string;
  tag?: string;
  digest?: string;
}

/** `registry:5000/org/app:1.2@sha256:…` into its parts (a port is not a tag). */
export function imageRef(image: string): ImageRef {
  const at = image.indexOf('@');
  const digest = at === -1 ? undefined : image.slice(at + 1);
  const rest = at === -1 ? image : image.slice(0, at);
  const slash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  const tagged = colon > slash;
  return {
    name: tagged ? rest.slice(0, colon) : rest,
    ...(tagged ? { tag: rest.slice(colon + 1) } : {}),
    ...(digest !== undefined ? { digest } : {}),
  };
}

export interface Segment {
  /** The simple command as written, without its operator. */
  text: string;
  /** Offset of `text` in the command. */
  start: number;
  /** The operator before it: `|` when it reads the previous command's output. */
  after: '' | '|' | '&&' | '||' | ';' | '&' | '\n';
  /** The words, offsets relative to `text`. */
  words: Word[];
  /** The program run: the first word after `VAR=value` assignments and `sudo`/`env`/`exec`. */
  program?: string;
}

const WRAPPERS = new Set(['sudo', 'env', 'exec', 'command', 'nohup', 'time', 'xargs']);

/**
 * A shell command split into simple commands at `|`, `&&`, `||`, `;`, `&` and newlines, outside
 * quotes: enough to tell which program each part runs and which parts are piped together.
 */
export function segments(command: string): Segment[] {
  const out: Segment[] = [];
  let start = 0;
  let after: Segment['after'] = '';
  let quote: string | undefined;
  const push = (end: number, next: Segment['after'], skip: number): void => {
    const raw = command.slice(start, end);
    const lead = raw.length - raw.trimStart().length;
    const text = raw.trim();
    if (text) {
      const ws = words(text);
      let i = 0;
      while (i < ws.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(ws[i]!.value)) i++;
      const all = ws.slice(i);
      const wrapped = all.findIndex((w) => !WRAPPERS.has(w.value) && !w.value.startsWith('-'));
      const program = wrapped === -1 ? undefined : all[wrapped]!.value.split('/').pop();
      out.push({ text, start: start + lead, after, words: ws, ...(program ? { program } : {}) });
    }
    after = next;
    start = end + skip;
  };
  for (let i = 0; i < command.length; i++) {
    const c = command[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === '\\' && quote === '"') i++;
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (c === '\\') i++;
    else if (c === '|' || c === '&') {
      const two = command[i + 1] === c;
      if (c === '&' && !two && (command[i - 1] === '>' || command[i + 1] === '>')) continue;
      push(i, (two ? c + c : c) as Segment['after'], two ? 2 : 1);
      if (two) i++;
    } else if (c === ';' || c === '\n') push(i, c, 1);
  }
  push(command.length, '', 0);
  return out;
}

/**
 * Typed readers for action inputs, keyed by the exact `action.yml` names. The runner passes an
 * input `foo-bar` as the environment variable `INPUT_FOO-BAR` (an empty string when unset).
 * Every reader validates: a bad value is an InputError naming the input, the value and what is
 * allowed. The pure `parse*` functions are shared with the CLI, so both reject the same values.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { InputError } from './errors.js';

export type Env = Record<string, string | undefined>;

export interface InputOptions<T> {
  /** Used when the input is empty or unset. Without one, an empty input is an error. */
  default?: T;
  env?: Env;
}

/** The raw value, trimmed: '' when unset. */
export function rawInput(name: string, env: Env = process.env): string {
  return (env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim();
}

function read<T>(name: string, options: InputOptions<T>, parse: (raw: string) => T, what: string): T {
  const raw = rawInput(name, options.env);
  if (raw === '') {
    if (options.default !== undefined) return options.default;
    throw new InputError(name, raw, `the input is required (${what})`);
  }
  return parse(raw);
}

export function getStringInput(name: string, options: InputOptions<string> = {}): string {
  return read(name, options, (raw) => raw, 'a non-empty string');
}

/**
 * Splits on newlines or commas, except commas inside `{…}` (a glob's alternatives, as in
 * `**\/*.{yml,yaml}`); trims; drops empty items.
 */
export function parseList(raw: string): string[] {
  const items: string[] = [];
  let current = '';
  let depth = 0;
  for (const ch of raw) {
    if (ch === '{') depth++;
    else if (ch === '}' && depth > 0) depth--;
    if (ch === '\n' || ch === '\r' || (ch === ',' && depth === 0)) {
      items.push(current);
      current = '';
      depth = 0;
    } else {
      current += ch;
    }
  }
  items.push(current);
  return items.map((item) => item.trim()).filter((item) => item !== '');
}

export function getListInput(name: string, options: InputOptions<string[]> = {}): string[] {
  return read(name, { default: [], ...options }, parseList, 'a list');
}

/** Booleans are `true` or `false`, nothing else: `yes`, `1` and `True` are rejected, not guessed. */
export function parseBoolean(name: string, raw: string): boolean {
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  throw new InputError(name, raw, 'use true or false');
}

export function getBooleanInput(name: string, options: InputOptions<boolean> = {}): boolean {
  return read(name, options, (raw) => parseBoolean(name, raw), 'true or false');
}

export function parseEnum<T extends string>(name: string, raw: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(raw)) return raw as T;
  throw new InputError(name, raw, `allowed values are ${allowed.join(', ')}`);
}

export function getEnumInput<T extends string>(
  name: string,
  allowed: readonly T[],
  options: InputOptions<T> = {},
): T {
  return read(name, options, (raw) => parseEnum(name, raw, allowed), `one of ${allowed.join(', ')}`);
}

export interface IntegerBounds {
  min?: number;
  max?: number;
}

export function parseInteger(name: string, raw: string, bounds: IntegerBounds = {}): number {
  const { min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER } = bounds;
  const range = `an integer from ${min} to ${max}`;
  if (!/^[+-]?\d+$/.test(raw)) throw new InputError(name, raw, `expected ${range}`);
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new InputError(name, raw, `expected ${range}`);
  }
  return value;
}

export function getIntegerInput(name: string, options: InputOptions<number> & IntegerBounds = {}): number {
  return read(name, options, (raw) => parseInteger(name, raw, options), 'an integer');
}

export interface WorkspacePath {
  /** Absolute, normalised. */
  absolute: string;
  /** Relative to the workspace, `/`-separated; `.` for the workspace itself. */
  relative: string;
}

/** The workspace the runner checked out into, or the current directory outside a runner. */
export function workspaceDir(env: Env = process.env): string {
  return path.resolve(env.GITHUB_WORKSPACE || process.cwd());
}

/** The real path of `p`, or of its deepest existing ancestor with the rest appended. */
function realOrResolved(p: string): string {
  const absolute = path.resolve(p);
  const rest: string[] = [];
  for (let dir = absolute; ; dir = path.dirname(dir)) {
    try {
      return path.join(fs.realpathSync.native(dir), ...rest);
    } catch {
      if (path.dirname(dir) === dir) return absolute;
      rest.unshift(path.basename(dir));
    }
  }
}

/**
 * Resolves `raw` against the workspace and refuses a path that leaves it (`../x`, an absolute
 * path elsewhere, or a symlink pointing out), so an input cannot make an action read or write
 * outside the checkout.
 */
export function resolveInWorkspace(name: string, raw: string, workspace: string): WorkspacePath {
  const root = realOrResolved(workspace);
  const absolute = path.resolve(root, raw);
  const real = realOrResolved(absolute);
  for (const candidate of [absolute, real]) {
    const rel = path.relative(root, candidate);
    if (rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel)) {
      throw new InputError(name, raw, `the path must stay inside the workspace ${root}`);
    }
  }
  const relative = path.relative(root, absolute).split(path.sep).join('/');
  return { absolute, relative: relative === '' ? '.' : relative };
}

export interface PathInputOptions extends InputOptions<string> {
  workspace?: string;
  /** 'file' or 'directory' requires the path to exist as that; 'any' requires it to exist. */
  mustExist?: 'file' | 'directory' | 'any';
}

export function getPathInput(name: string, options: PathInputOptions = {}): WorkspacePath {
  const raw = getStringInput(name, options);
  const resolved = resolveInWorkspace(name, raw, options.workspace ?? workspaceDir(options.env));
  if (options.mustExist) checkExists(name, raw, resolved.absolute, options.mustExist);
  return resolved;
}

/**
 * For an output file: refuses a path that is a folder or lies under a file, before any work is
 * done, so a typo does not cost a whole scan.
 */
export function checkWritableFile(name: string, raw: string, absolute: string): void {
  if (fs.existsSync(absolute) && fs.statSync(absolute).isDirectory()) {
    throw new InputError(name, raw, 'it is a folder; give a file path such as reports/out.sarif');
  }
  for (let dir = path.dirname(absolute); ; dir = path.dirname(dir)) {
    if (fs.existsSync(dir)) {
      if (!fs.statSync(dir).isDirectory()) {
        throw new InputError(name, raw, `${dir} is a file, so nothing can be written below it`);
      }
      return;
    }
    if (path.dirname(dir) === dir) return;
  }
}

export function checkExists(name: string, raw: string, absolute: string, kind: 'file' | 'directory' | 'any') {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(absolute);
  } catch {
    throw new InputError(name, raw, `no such ${kind === 'any' ? 'file or directory' : kind} (${absolute})`);
  }
  if (kind === 'file' && !stat.isFile())
    throw new InputError(name, raw, 'expected a file, found a directory');
  if (kind === 'directory' && !stat.isDirectory()) {
    throw new InputError(name, raw, 'expected a directory, found a file');
  }
}

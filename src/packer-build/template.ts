/**
 * What the build needs to know about a Packer template before Packer runs: its form (HCL2 or a
 * legacy JSON template), its files, the variables it marks sensitive, whether it declares
 * `required_plugins` (so `packer init` has work to do), its builds in order with their builder
 * types, and where its manifest post-processors write (with variables resolved as Packer resolves
 * them: defaults, `PKR_VAR_*`, `*.auto.pkrvars.hcl`, var-files, then `-var`). Read with the
 * policy-as-code parsers, so a template that does not parse is not an error here: Packer reports
 * it, at its line, when it runs; `unreadable` says what could not be read.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { UserError } from '../core/errors.js';
import { get, isList, isMap, items, toBool, toStr } from '../policy-as-code/model.js';
import { parseHcl } from '../policy-as-code/parse/hcl.js';
import { parseFile, prepareParsers } from '../policy-as-code/parse/index.js';
import type { Doc, Node, Resource } from '../policy-as-code/types.js';

export type TemplateKind = 'hcl2' | 'json';

export interface ManifestOutput {
  /** The file, relative to Packer's working directory, when the template's value is known. */
  output?: string;
  /** The template's value as written, for messages when it is not known. */
  raw: string;
}

export interface TemplateInfo {
  kind: TemplateKind;
  /** Absolute paths of the files Packer reads. */
  files: string[];
  /** Variables the template marks sensitive (`sensitive = true`, `sensitive-variables`). */
  sensitive: Set<string>;
  /** Variable defaults the template gives as plain strings, numbers or booleans. */
  defaults: Map<string, string>;
  /** The plugins `packer { required_plugins { … } }` names. */
  requiredPlugins: string[];
  /**
   * Build name → builder type, in the template's order. HCL2 names a build `type.name`, or
   * `build.type.name` in a build block with a `name`; a JSON template names it by the builder's
   * `name`, else its type.
   */
  builderTypes: Map<string, string>;
  /** False when some build's name cannot be known before Packer runs (a file that did not parse, a source given by an expression). */
  buildsKnown: boolean;
  /** Build name → the `region` its builder builds in, where the template gives one that can be resolved. */
  regions: Map<string, string>;
  manifests: ManifestOutput[];
  /** Files our parser could not read (Packer will say why when it runs). */
  unreadable: string[];
}

const HCL_FILE = /\.pkr\.(hcl|json)$/i;

/** The template's files, or a UserError naming the input and the fix. */
export function templateFiles(template: string, shown: string): { kind: TemplateKind; files: string[] } {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(template);
  } catch {
    throw new UserError(
      `The template ${shown} does not exist (input 'template'). Give a .pkr.hcl file, a folder of them, or a JSON template, relative to the working directory.`,
    );
  }
  if (stat.isDirectory()) {
    const files = fs
      .readdirSync(template)
      .filter((f) => HCL_FILE.test(f))
      .sort()
      .map((f) => path.join(template, f));
    if (files.length === 0) {
      throw new UserError(
        `The folder ${shown} holds no Packer HCL2 files (*.pkr.hcl, *.pkr.json) (input 'template'). Point template at the folder that does, or at a JSON template file.`,
      );
    }
    return { kind: 'hcl2', files };
  }
  if (HCL_FILE.test(template)) return { kind: 'hcl2', files: [template] };
  if (/\.json$/i.test(template)) return { kind: 'json', files: [template] };
  throw new UserError(
    `The template ${shown} is not a Packer template (input 'template'): give a .pkr.hcl or .pkr.json file, a folder of them, or a legacy .json template.`,
  );
}

/** `${var.x}`, `var.x`, `{{user \`x\`}}` inside a string, replaced from `values`; undefined when any is unknown. */
export function substitute(text: string, values: ReadonlyMap<string, string>): string | undefined {
  let unknown = false;
  const out = text.replace(
    /\$\{\s*var\.([A-Za-z_][\w-]*)\s*\}|\{\{\s*user\s+`([^`]+)`\s*\}\}/g,
    (_all, hcl?: string, json?: string) => {
      const value = values.get((hcl ?? json)!);
      if (value === undefined) unknown = true;
      return value ?? '';
    },
  );
  if (unknown || /\$\{|\{\{/.test(out)) return undefined;
  return out;
}

/** A value the template gives for a manifest's `output`, as written. */
function rawValue(node: Node | undefined): string | undefined {
  if (!node) return undefined;
  if (node.kind === 'scalar') return node.value === null ? undefined : String(node.value);
  if (node.kind === 'fn' && node.name === 'Ref' && node.arg.kind === 'scalar')
    return `\${${String(node.arg.value)}}`;
  if (node.kind === 'expr') return node.text.replace(/^"|"$/g, '');
  return undefined;
}

function manifestOutput(body: Node | undefined, values: ReadonlyMap<string, string>): ManifestOutput {
  const raw = rawValue(get(body, 'output')) ?? 'packer-manifest.json';
  const output = substitute(raw, values);
  return { raw, ...(output !== undefined ? { output } : {}) };
}

/** Every top-level block of a kind: HCL lists each under its own root entry; JSON may give a list. */
function topLevel(doc: Doc, key: string): Node[] {
  if (!isMap(doc.root)) return [];
  return doc.root.entries.filter((e) => e.key === key).flatMap((e) => items(e.value));
}

/** HCL2: `build { post-processor "manifest" {…} }` and `post-processors { post-processor "manifest" {…} }`. */
function hclManifests(doc: Doc, values: ReadonlyMap<string, string>): ManifestOutput[] {
  const found: ManifestOutput[] = [];
  const visit = (pp: Node) => {
    if (isMap(pp) && pp.labels?.[0] === 'manifest') found.push(manifestOutput(pp, values));
    // HCL2 in JSON syntax: "post-processor": {"manifest": {…}}
    else if (isMap(pp) && !pp.labels) {
      for (const e of pp.entries) if (e.key === 'manifest') found.push(manifestOutput(e.value, values));
    }
  };
  for (const build of topLevel(doc, 'build')) {
    for (const pp of items(get(build, 'post-processor'))) visit(pp);
    for (const chain of items(get(build, 'post-processors'))) {
      for (const pp of items(get(chain, 'post-processor'))) visit(pp);
    }
  }
  return found;
}

/**
 * HCL2 builds in order: each build block's `sources = ["source.T.N"]` and nested `source "T.N"`
 * blocks (a nested `name` renames it), named `T.N`, or `B.T.N` when the block has `name = "B"`.
 * Undefined when one cannot be known from the text.
 */
function hclBuilds(doc: Doc): Array<[name: string, type: string, source: string]> | undefined {
  const builds: Array<[string, string, string]> = [];
  let known = true;
  const add = (prefix: string | undefined, ref: string, rename?: string) => {
    const m = /^(?:source\.)?([^.]+)\.([^.]+)$/.exec(ref);
    if (!m) {
      known = false;
      return;
    }
    const name = `${m[1]}.${rename ?? m[2]}`;
    builds.push([prefix ? `${prefix}.${name}` : name, m[1]!, `${m[1]}.${m[2]}`]);
  };
  for (const build of topLevel(doc, 'build')) {
    const nameNode = get(build, 'name');
    const prefix = nameNode === undefined ? undefined : toStr(nameNode);
    if (nameNode !== undefined && prefix === undefined) known = false;
    const sources = get(build, 'sources');
    if (sources !== undefined && !isList(sources)) known = false;
    for (const s of isList(sources) ? sources.items : []) {
      const ref = toStr(s);
      if (ref === undefined) known = false;
      else add(prefix, ref);
    }
    for (const nested of items(get(build, 'source'))) {
      const label = isMap(nested) ? nested.labels?.[0] : undefined;
      const rename = get(nested, 'name');
      if (label === undefined || (rename !== undefined && toStr(rename) === undefined)) known = false;
      else add(prefix, label, rename === undefined ? undefined : toStr(rename));
    }
  }
  return known ? builds : undefined;
}

/** A JSON template's `post-processors`: each a name, an object, or a chain (list) of those. */
function jsonManifests(doc: Doc, values: ReadonlyMap<string, string>): ManifestOutput[] {
  const found: ManifestOutput[] = [];
  const visit = (pp: Node) => {
    if (pp.kind === 'scalar' && pp.value === 'manifest') found.push(manifestOutput(undefined, values));
    else if (isMap(pp) && toStr(get(pp, 'type')) === 'manifest') found.push(manifestOutput(pp, values));
    else if (isList(pp)) pp.items.forEach(visit);
  };
  items(get(doc.root, 'post-processors')).forEach(visit);
  return found;
}

export interface InspectOptions {
  /** Absolute path of the template (file or folder). */
  template: string;
  /** How to name it in messages. */
  shown: string;
  /** `-var` values given to this run. */
  variables?: ReadonlyMap<string, string>;
  /** `-var-file`s given to this run (absolute), in order. */
  varFiles?: readonly string[];
  /** For `PKR_VAR_<name>` values. */
  env?: NodeJS.ProcessEnv;
}

/** The plain values (strings, numbers, booleans) a `.pkrvars.hcl` or JSON var file sets. */
export function readVarFile(file: string): Map<string, string> {
  const values = new Map<string, string>();
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return values;
  }
  if (/\.json$/i.test(file)) {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return values;
    }
    if (typeof json === 'object' && json !== null && !Array.isArray(json)) {
      for (const [k, v] of Object.entries(json)) {
        if (['string', 'number', 'boolean'].includes(typeof v)) values.set(k, String(v));
      }
    }
    return values;
  }
  const hcl = parseHcl(text);
  if (hcl.error) return values;
  for (const a of hcl.attributes) {
    const value = toStr(a.value);
    if (value !== undefined) values.set(a.key, value);
  }
  return values;
}

/** `*.auto.pkrvars.hcl` and `*.auto.pkrvars.json` of a template folder, in the order Packer loads them. */
function autoVarFiles(template: string): string[] {
  try {
    if (!fs.statSync(template).isDirectory()) return [];
    return fs
      .readdirSync(template)
      .filter((f) => /\.auto\.pkrvars\.(hcl|json)$/i.test(f))
      .sort()
      .map((f) => path.join(template, f));
  } catch {
    return [];
  }
}

export async function inspectTemplate(options: InspectOptions): Promise<TemplateInfo> {
  const { kind, files } = templateFiles(options.template, options.shown);
  await prepareParsers();
  const info: TemplateInfo = {
    kind,
    files,
    sensitive: new Set(),
    defaults: new Map(),
    requiredPlugins: [],
    builderTypes: new Map(),
    buildsKnown: true,
    regions: new Map(),
    manifests: [],
    unreadable: [],
  };
  const docs: Doc[] = [];
  /** Build name → the source (`type.name`) or builder body it is built from. */
  const builtFrom = new Map<string, string | Node>();
  const sourceBodies = new Map<string, Node>();
  const jsonBuilders: Resource[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      info.unreadable.push(file);
      continue;
    }
    const parsed = parseFile(file, text);
    const packer = parsed.docs.filter((d) => d.format === 'packer');
    if (parsed.errors.length > 0 || packer.length === 0) info.unreadable.push(file);
    docs.push(...packer);
  }
  for (const doc of docs) {
    for (const r of doc.resources) {
      if (r.block === 'variable') {
        if (toBool(get(r.body, 'sensitive')) === true) info.sensitive.add(r.name);
        const value = toStr(get(r.body, 'default'));
        if (value !== undefined) info.defaults.set(r.name, value);
      } else if (r.block === 'builder') {
        jsonBuilders.push(r);
      } else if (r.block === 'source') {
        sourceBodies.set(`${r.type}.${r.name}`, r.body);
      }
    }
    for (const block of topLevel(doc, 'packer')) {
      for (const req of items(get(block, 'required_plugins'))) {
        if (isMap(req)) info.requiredPlugins.push(...req.entries.map((e) => e.key));
      }
    }
    if (kind === 'hcl2') {
      const builds = hclBuilds(doc);
      if (builds === undefined) info.buildsKnown = false;
      for (const [name, type, source] of builds ?? []) {
        if (info.builderTypes.has(name)) continue;
        info.builderTypes.set(name, type);
        builtFrom.set(name, source);
      }
    }
  }
  if (info.unreadable.length > 0) info.buildsKnown = false;

  // Variables as Packer resolves them, later ones winning.
  const values = new Map(info.defaults);
  for (const [key, value] of Object.entries(kind === 'hcl2' ? (options.env ?? {}) : {})) {
    if (key.startsWith('PKR_VAR_') && value !== undefined) values.set(key.slice('PKR_VAR_'.length), value);
  }
  for (const file of [
    ...(kind === 'hcl2' ? autoVarFiles(options.template) : []),
    ...(options.varFiles ?? []),
  ]) {
    for (const [k, v] of readVarFile(file)) values.set(k, v);
  }
  for (const [k, v] of options.variables ?? []) values.set(k, v);
  for (const doc of docs) {
    info.manifests.push(...(kind === 'json' ? jsonManifests(doc, values) : hclManifests(doc, values)));
  }
  // A JSON builder is named by its `name` (which may use {{user}} variables), else its type.
  for (const r of jsonBuilders) {
    const named = get(r.body, 'name');
    const raw = named === undefined ? r.type : rawValue(named);
    const name = raw === undefined ? undefined : substitute(raw, values);
    if (name === undefined) {
      info.buildsKnown = false;
      continue;
    }
    info.builderTypes.set(name, r.type);
    builtFrom.set(name, r.body);
  }
  for (const [build, from] of builtFrom) {
    const body = typeof from === 'string' ? sourceBodies.get(from) : from;
    const raw = rawValue(get(body, 'region'));
    const region = raw === undefined ? undefined : substitute(raw, values);
    if (region) info.regions.set(build, region);
  }
  return info;
}

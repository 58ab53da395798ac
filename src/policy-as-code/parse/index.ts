/**
 * Which parser reads a file, and the dispatch. A file that does not parse yields a `parse-error`
 * instead of documents; nothing here throws for bad input.
 */
import * as path from 'node:path';
import type { Doc, Format, Node } from '../types.js';
import { cloudFormationDoc, isTemplate } from './cloudformation.js';
import { isDockerfileName, parseDockerfile } from './dockerfile.js';
import { prepareHcl } from './hcl.js';
import { isKubernetesObject, kubernetesDoc } from './kubernetes.js';
import {
  isLegacyPackerTemplate,
  isPackerHclJson,
  legacyPackerDoc,
  packerHclJsonDoc,
  parsePackerHcl,
} from './packer.js';
import { parseTerraform } from './terraform.js';
import { isAction, workflowDoc, workflowFormatOf } from './workflow.js';
import { parseYaml } from './yaml.js';

export interface ParseError {
  file: string;
  line: number;
  column: number;
  message: string;
  /** The format the file was read as, when known. */
  format?: Format;
}

export interface ParseResult {
  docs: Doc[];
  errors: ParseError[];
}

export interface FileParser {
  /** A short name for messages. */
  name: string;
  /** True when this parser owns the path (by name alone). */
  claims(file: string): boolean;
  parse(file: string, text: string): ParseResult;
  /** Loads what parsing needs (a WebAssembly grammar) once, before the first `parse`. */
  prepare?(): Promise<void>;
}

const YAML_OR_JSON = /\.(ya?ml|json|template)$/i;

/** Looks like a Kubernetes manifest (YAML or JSON). */
const KUBERNETES_TEXT =
  /^apiVersion:.*$[\s\S]*^kind:|^kind:.*$[\s\S]*^apiVersion:|"apiVersion"\s*:[\s\S]*"kind"\s*:/m;

/**
 * Files whose format the content tells (CloudFormation, Kubernetes) or the path (workflows under
 * `.github/workflows/`, `action.yml`).
 */
function parseStructured(file: string, text: string): ParseResult {
  const json = /\.json$/i.test(file) || /^\s*[{[]/.test(text);
  let parsed = parseYaml(text, json);
  // A flow-style YAML file that is not JSON (unquoted keys, say) is still YAML.
  if (json && parsed.errors.length > 0 && !/\.json$/i.test(file)) {
    const asYaml = parseYaml(text);
    if (asYaml.errors.length === 0) parsed = asYaml;
  }
  const docs: Doc[] = [];
  const github = workflowFormatOf(file);
  for (const { root, index } of parsed.docs) {
    if (github === 'workflow') {
      if (index === 0 && root?.kind === 'map')
        docs.push(workflowDoc(file, root, text, 'workflow', parsed.lines));
      continue;
    }
    if (github === 'action' && isAction(root)) {
      docs.push(workflowDoc(file, root, text, 'action', parsed.lines));
      continue;
    }
    if (root && isTemplate(root)) docs.push({ ...cloudFormationDoc(file, root, text, json), index });
    else if (json && root?.kind === 'map' && isLegacyPackerTemplate(root))
      docs.push(legacyPackerDoc(file, root, text));
    else if (json && root?.kind === 'map' && isPackerHclJson(file, root))
      docs.push(packerHclJsonDoc(file, root, text));
    else if (isKubernetesObject(root)) docs.push(kubernetesDoc(file, root, text, json, index));
  }
  // A syntax error only matters for a file that is (or looks like) one of ours; a Helm or other Go
  // template is not YAML until rendered, so its errors are not the author's.
  let format: Format | undefined;
  if (github === 'workflow' || (github === 'action' && /^runs:/m.test(text))) {
    format = github;
  } else if (
    docs.some((d) => d.format === 'cloudformation') ||
    /AWSTemplateFormatVersion|\bType:\s*["']?AWS::|"Type"\s*:\s*"AWS::/.test(text)
  ) {
    format = 'cloudformation';
  } else if (
    docs.some((d) => d.format === 'packer') ||
    /\.pkr\.json$/i.test(file) ||
    (json && /"builders"\s*:/.test(text))
  ) {
    format = 'packer';
  } else if ((docs.length > 0 || KUBERNETES_TEXT.test(text)) && !text.includes('{{')) {
    format = 'kubernetes';
  }
  const errors = format
    ? parsed.errors.map((e) => ({ file, line: e.line, column: e.column, message: e.message, format }))
    : [];
  return { docs: parsed.errors.length > 0 ? [] : docs, errors };
}

const structured: FileParser = {
  name: 'YAML/JSON',
  claims: (file) => YAML_OR_JSON.test(file),
  parse: parseStructured,
};

const dockerfile: FileParser = {
  name: 'Dockerfile',
  claims: isDockerfileName,
  parse: parseDockerfile,
};

const terraform: FileParser = {
  name: 'Terraform',
  claims: (file) => /\.tf$/i.test(file),
  parse: parseTerraform,
  prepare: prepareHcl,
};

const packerHcl: FileParser = {
  name: 'Packer HCL2',
  claims: (file) => /\.pkr\.hcl$/i.test(file),
  parse: parsePackerHcl,
  prepare: prepareHcl,
};

/** Parsers in order: the first that claims a file reads it. */
export const PARSERS: FileParser[] = [dockerfile, terraform, packerHcl, structured];

/** Readies every parser; call once before parsing (parsing itself is synchronous). */
export async function prepareParsers(): Promise<void> {
  await Promise.all(PARSERS.map((p) => p.prepare?.()));
}

/** A Terraform or Packer HCL2 document: one file of a module. */
export function isModuleDoc(doc: Doc): boolean {
  return doc.format === 'terraform' || (doc.format === 'packer' && /\.pkr\.(hcl|json)$/i.test(doc.file));
}

/**
 * Terraform and Packer HCL2 files of one folder form one module: each sees the variables and
 * locals declared in the others (its own win a clash, which Terraform would reject anyway) and
 * the module's resources. Call once every file of the scan is parsed.
 */
export function linkModules(docs: readonly Doc[]): void {
  const modules = new Map<string, Doc[]>();
  for (const doc of docs) {
    if (!isModuleDoc(doc)) continue;
    const key = `${doc.format}\0${path.posix.dirname(doc.file)}`;
    const group = modules.get(key);
    if (group) group.push(doc);
    else modules.set(key, [doc]);
  }
  for (const group of modules.values()) {
    const resources = group.flatMap((d) => d.resources);
    if (group.length === 1) {
      group[0]!.moduleResources = resources;
      continue;
    }
    const shared = new Map<string, Node | undefined>();
    for (const d of group) for (const [k, v] of d.params) if (!shared.has(k)) shared.set(k, v);
    for (const d of group) {
      d.params = new Map([...shared, ...d.params]);
      d.moduleResources = resources;
    }
  }
}

export function parserFor(file: string): FileParser | undefined {
  const base = path.posix.basename(file);
  return PARSERS.find((p) => p.claims(file) || p.claims(base));
}

export function parseFile(file: string, text: string): ParseResult {
  const parser = parserFor(file);
  if (!parser) return { docs: [], errors: [] };
  try {
    return parser.parse(file, text);
  } catch (error) {
    // A parser bug must not end the scan: report it where the user can see it.
    return {
      docs: [],
      errors: [
        {
          file,
          line: 1,
          column: 1,
          message: `could not be read: ${error instanceof Error ? error.message : String(error)}`,
        },
      ],
    };
  }
}

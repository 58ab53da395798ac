/**
 * Which parser reads a file, and the dispatch. A file that does not parse yields a `parse-error`
 * instead of documents; nothing here throws for bad input.
 */
import * as path from 'node:path';
import type { Doc, Format } from '../types.js';
import { cloudFormationDoc, isTemplate } from './cloudformation.js';
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

/** Files whose format only the content tells: CloudFormation (YAML/JSON) and, later, others. */
function parseStructured(file: string, text: string): ParseResult {
  const json = /\.json$/i.test(file) || /^\s*[{[]/.test(text);
  const parsed = parseYaml(text);
  const docs: Doc[] = [];
  for (const { root, index } of parsed.docs) {
    if (root && isTemplate(root)) docs.push({ ...cloudFormationDoc(file, root, text, json), index });
  }
  // A syntax error only matters for a file that is (or looks like) one of ours.
  const ours =
    docs.length > 0 || /AWSTemplateFormatVersion|\bType:\s*["']?AWS::|"Type"\s*:\s*"AWS::/.test(text);
  const errors = ours
    ? parsed.errors.map((e) => ({
        file,
        line: e.line,
        column: e.column,
        message: e.message,
        format: 'cloudformation' as Format,
      }))
    : [];
  return { docs: errors.length > 0 ? [] : docs, errors };
}

const structured: FileParser = {
  name: 'YAML/JSON',
  claims: (file) => YAML_OR_JSON.test(file),
  parse: parseStructured,
};

/** Parsers in order: the first that claims a file reads it. */
export const PARSERS: FileParser[] = [structured];

/** Readies every parser; call once before parsing (parsing itself is synchronous). */
export async function prepareParsers(): Promise<void> {
  await Promise.all(PARSERS.map((p) => p.prepare?.()));
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

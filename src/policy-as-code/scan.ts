/**
 * A policy scan: list the files (git's view of the tree, as secrets-scan does), parse each with
 * the parser that claims it, run the active rules, then apply suppressions: in-source markers
 * (ours, checkov's, cfn_nag's, KICS'), and the configuration's per-rule path exclusions. A file
 * that does not parse becomes a `parse-error` finding and the scan goes on.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import picomatch from 'picomatch';
import { baseForFile, listFiles, relativePosix } from '../core/files.js';
import type { Reporter } from '../core/reporter.js';
import { plural } from '../core/text.js';
import type { PolicyConfig } from './config.js';
import { checkDoc, policyFingerprint } from './engine.js';
import {
  isModuleDoc,
  linkModules,
  parseFile,
  parserFor,
  prepareParsers,
  type ParseResult,
} from './parse/index.js';
import { Lines } from './parse/positions.js';
import {
  commentMarkers,
  metadataMarkers,
  ruleIndex,
  suppressionFor,
  type SuppressionMarker,
} from './suppress.js';
import { FORMATS, type Doc, type Format, type PolicyFinding, type Rule } from './types.js';
import { defineRule } from './rules/define.js';

export const DEFAULT_MAX_FILE_BYTES = 5 * 1024 * 1024;

/** Rules the engine itself reports under, so SARIF can describe them. */
export const ENGINE_RULES: readonly Rule[] = [
  defineRule({
    id: 'parse-error',
    title: 'File could not be parsed',
    severity: 'high',
    description:
      'The file looks like infrastructure code the scan reads, but it does not parse, so none of its resources were checked. The deployment tool would most likely reject it too.',
    fix: 'Fix the syntax error at the line shown (the message is the parser’s), or exclude the file if it is not meant to be valid.',
    formats: [],
    check: () => [],
  }),
  defineRule({
    id: 'suppression-invalid',
    title: 'Suppression comment is not honoured',
    severity: 'low',
    description:
      'An imagepipe:skip comment names an unknown rule or gives no reason. Suppressions need a reason so reviewers can judge them later.',
    fix: 'Write `# imagepipe:skip=<rule-id> <why this is acceptable>` with a rule id from the report.',
    formats: [],
    check: () => [],
  }),
  defineRule({
    id: 'rule-error',
    title: 'A rule could not read this document',
    severity: 'low',
    description: 'A built-in or custom rule failed on this document; its other rules ran.',
    fix: 'Report the file shape to the imagepipe maintainers, or check the custom rule.',
    formats: [],
    check: () => [],
  }),
];

export interface PolicyScanOptions {
  /** Absolute path of the folder or file to scan. */
  path: string;
  rules: readonly Rule[];
  config: PolicyConfig;
  /** Exclude globs on top of the configuration's. */
  exclude?: readonly string[];
  allowInlineSuppressions: boolean;
  reporter: Reporter;
  maxFileBytes?: number;
  /** Called with every document parsed, once all are linked (cfn-guard reads the templates). */
  onDoc?: (doc: Doc) => void;
}

export interface PolicyScanResult {
  /** The folder finding paths are relative to. */
  base: string;
  /** Every finding, suppressed ones included, sorted by file and line. */
  findings: PolicyFinding[];
  /** The active rules plus the engine's own. */
  rules: Rule[];
  /** Files read per format (a multi-document file counts once, in its first document's format). */
  filesByFormat: Record<Format, number>;
  /** Files that a parser claimed (read), whether or not they held documents. */
  filesRead: number;
  /** Files listed in the tree. */
  filesListed: number;
  excluded: number;
  /** In-source suppressions that were not applied because inline suppressions are forbidden. */
  ignoredSuppressions: number;
  durationMs: number;
}

function emptyFormatCounts(): Record<Format, number> {
  return Object.fromEntries(FORMATS.map((f) => [f, 0])) as Record<Format, number>;
}

function byLocation(a: PolicyFinding, b: PolicyFinding): number {
  return (
    a.file.localeCompare(b.file) ||
    a.pos.line - b.pos.line ||
    a.pos.column - b.pos.column ||
    a.ruleId.localeCompare(b.ruleId)
  );
}

interface CheckOptions {
  allowInlineSuppressions: boolean;
  ruleExcludes?: Map<string, picomatch.Matcher>;
}

/** Findings for one file's text: parse, check, suppress. Exposed for tests and the CLI. */
export function scanText(
  file: string,
  text: string,
  rules: readonly Rule[],
  options: CheckOptions,
): { findings: PolicyFinding[]; docs: Doc[]; ignoredSuppressions: number } {
  const parsed = parseFile(file, text);
  linkModules(parsed.docs);
  return checkParsed(file, text, parsed, rules, options);
}

/** Findings for a parsed file: parse errors, rule hits, suppressions. */
function checkParsed(
  file: string,
  text: string,
  parsed: ParseResult,
  rules: readonly Rule[],
  options: CheckOptions,
): { findings: PolicyFinding[]; docs: Doc[]; ignoredSuppressions: number } {
  const { docs, errors } = parsed;
  const findings: PolicyFinding[] = errors.map((e) => {
    const message = `${e.format ? `${e.format} ` : ''}parse error: ${e.message}`;
    return {
      ruleId: 'parse-error',
      severity: 'high',
      title: ENGINE_RULES[0]!.title,
      message,
      file,
      format: e.format ?? 'cloudformation',
      pos: { line: e.line, column: e.column, endLine: e.line, endColumn: e.column },
      fingerprint: policyFingerprint('parse-error', file, undefined, message),
    };
  });
  if (docs.length === 0) return { findings, docs, ignoredSuppressions: 0 };
  const index = ruleIndex(rules);
  const lines = new Lines(text);
  let ignoredSuppressions = 0;
  const seenInvalid = new Set<string>();
  for (const doc of docs) {
    const raw = checkDoc(doc, rules);
    const { markers, invalid } = commentMarkers(doc, index, (n) => lines.line(n), lines.count);
    const all: SuppressionMarker[] = [...markers, ...doc.resources.flatMap((r) => metadataMarkers(r, index))];
    for (const problem of invalid) {
      const key = `${problem.pos.line}:${problem.message}`;
      if (seenInvalid.has(key) || !options.allowInlineSuppressions) continue;
      seenInvalid.add(key);
      raw.push({
        ruleId: 'suppression-invalid',
        severity: 'low',
        title: ENGINE_RULES[1]!.title,
        message: problem.message,
        file,
        format: doc.format,
        pos: problem.pos,
        fingerprint: policyFingerprint('suppression-invalid', file, undefined, problem.message),
      });
    }
    for (const finding of raw) {
      const excluded = options.ruleExcludes?.get(finding.ruleId);
      if (excluded?.(file)) {
        finding.suppression = {
          kind: 'external',
          via: 'config',
          justification: `excluded for ${file} by the configuration`,
        };
        continue;
      }
      const inSource = suppressionFor(finding, all);
      if (inSource) {
        if (options.allowInlineSuppressions) finding.suppression = inSource;
        else ignoredSuppressions++;
      }
    }
    findings.push(...raw);
  }
  return { findings, docs, ignoredSuppressions };
}

export async function scanPolicies(options: PolicyScanOptions): Promise<PolicyScanResult> {
  const started = Date.now();
  await prepareParsers();
  const target = fs.realpathSync(options.path);
  const isFile = fs.statSync(target).isFile();
  const exclude = [...options.config.exclude, ...(options.exclude ?? [])];
  let files: string[];
  let base: string;
  let excluded = 0;
  if (isFile) {
    files = [target];
    base = (await baseForFile(target, options.reporter)) ?? path.dirname(target);
  } else {
    const listing = await listFiles({ root: target, exclude, reporter: options.reporter });
    files = listing.files;
    base = listing.base;
    excluded = listing.excluded;
    for (const glob of listing.unusedExcludes)
      options.reporter.warning(`The exclude glob ${JSON.stringify(glob)} matched no file.`);
  }
  const ruleExcludes = new Map<string, picomatch.Matcher>();
  for (const [id, setting] of options.config.rules) {
    if (setting.exclude?.length) ruleExcludes.set(id, picomatch(setting.exclude, { dot: true }));
  }
  const maxBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const result: PolicyScanResult = {
    base,
    findings: [],
    rules: [...options.rules, ...ENGINE_RULES],
    filesByFormat: emptyFormatCounts(),
    filesRead: 0,
    filesListed: files.length,
    excluded,
    ignoredSuppressions: 0,
    durationMs: 0,
  };
  const deferred: Array<{ rel: string; text: string; parsed: ParseResult }> = [];
  const check = (rel: string, text: string, parsed: ParseResult): void => {
    if (options.onDoc) for (const doc of parsed.docs) options.onDoc(doc);
    const scanned = checkParsed(rel, text, parsed, options.rules, {
      allowInlineSuppressions: options.allowInlineSuppressions,
      ruleExcludes,
    });
    if (scanned.docs[0]) result.filesByFormat[scanned.docs[0].format]++;
    result.findings.push(...scanned.findings);
    result.ignoredSuppressions += scanned.ignoredSuppressions;
  };
  for (const file of files) {
    const rel = relativePosix(base, file);
    if (!parserFor(rel)) continue;
    let text: string;
    try {
      const stat = fs.statSync(file);
      if (!stat.isFile()) continue;
      if (stat.size > maxBytes) {
        options.reporter.warning(
          `${rel}: skipped, ${(stat.size / 1048576).toFixed(1)} MB is over the ${(maxBytes / 1048576).toFixed(0)} MB limit for infrastructure files.`,
        );
        continue;
      }
      text = fs.readFileSync(file, 'utf8');
    } catch (error) {
      options.reporter.warning(
        `${rel}: could not be read (${(error as NodeJS.ErrnoException).code ?? String(error)}); the scan goes on.`,
      );
      continue;
    }
    result.filesRead++;
    const parsed = parseFile(rel, text);
    // Terraform and Packer HCL2 read every file of a folder as one module (variables declared in
    // one file are used in another): those wait until all are parsed. The rest is checked now,
    // so the scan holds one such file at a time.
    if (parsed.docs.some(isModuleDoc)) deferred.push({ rel, text, parsed });
    else check(rel, text, parsed);
  }
  const docs = deferred.flatMap((f) => f.parsed.docs);
  linkModules(docs);
  for (const { rel, text, parsed } of deferred) check(rel, text, parsed);
  result.findings.sort(byLocation);
  result.durationMs = Date.now() - started;
  options.reporter.debug(
    `policy-as-code: ${plural(result.filesRead, 'file')} read, ${plural(result.findings.length, 'finding')}`,
  );
  return result;
}

/** `--format` and `--output`, the same on every scanning subcommand. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Command, Option } from 'commander';
import { UserError } from '../core/errors.js';
import type { CliIo } from './io.js';

export const FORMATS = ['text', 'json', 'sarif', 'junit'] as const;
export type Format = (typeof FORMATS)[number];

export interface ReportOptions {
  format: Format;
  output?: string;
}

export function addReportOptions(
  command: Command,
  formats: readonly Format[] = ['text', 'json', 'sarif'],
): Command {
  return command
    .addOption(new Option('-f, --format <format>', 'report format').choices(formats).default('text'))
    .option('-o, --output <file>', 'write the report to FILE instead of standard output');
}

/** Writes the report where the user asked; the short summary goes to stderr when it is a file. */
export function emitReport(io: CliIo, options: ReportOptions, report: string, summaryLine: string): void {
  if (!options.output) {
    io.stdout(report);
    return;
  }
  const file = path.resolve(io.cwd, options.output);
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, report);
  } catch (error) {
    throw new UserError(`Could not write the report to ${options.output}: ${(error as Error).message}`);
  }
  io.stderr(`${summaryLine}\nReport written to ${options.output}.\n`);
}

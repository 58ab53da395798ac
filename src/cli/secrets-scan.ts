/** `imagepipe secrets-scan [path]`: the action's engine, on a laptop. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { UserError } from '../core/errors.js';
import { parseInteger, parseList } from '../core/inputs.js';
import { consoleReporter } from '../core/reporter.js';
import { plural } from '../core/text.js';
import { toJson, toSarif, toText } from '../secrets-scan/report.js';
import { scanTree } from '../secrets-scan/scan.js';
import { EXIT, type CliIo } from './io.js';
import { addReportOptions, emitReport, type ReportOptions } from './report-options.js';

interface Options extends ReportOptions {
  exclude: string[];
  maxFileSizeMb: number;
  fail: boolean;
  verbose?: boolean;
}

const collect = (value: string, previous: string[]) => [...previous, ...parseList(value)];
const megabytes = (value: string) => {
  try {
    return parseInteger('--max-file-size-mb', value, { min: 1, max: 1024 });
  } catch {
    throw new InvalidArgumentError('expected a whole number of MiB from 1 to 1024.');
  }
};

export function secretsScanCommand(io: CliIo, setExit: (code: number) => void): Command {
  const command = new Command('secrets-scan')
    .summary('find secrets in a folder or file')
    .description(
      'Find secrets (cloud keys, tokens, private keys, passwords in URLs) in a folder or file.\n' +
        'Inside a git work tree, .gitignore is honoured and tracked files are always scanned.\n' +
        'Paths in reports are relative to the repository root (or to the folder, outside git).\n' +
        'Exit codes: 0 no secrets, 1 secrets found, 2 usage, input or internal error.',
    )
    .argument('[path]', 'folder or file to scan', '.')
    .option(
      '-e, --exclude <globs>',
      'skip paths matching these globs (repeatable, comma-separated)',
      collect,
      [],
    )
    .option('--max-file-size-mb <n>', 'skip files larger than this many MiB', megabytes, 10)
    .option('--no-fail', 'report secrets but exit 0')
    .option('-v, --verbose', 'print debug logs');
  addReportOptions(command);
  return command.action(async (target: string, options: Options) => {
    const root = path.resolve(io.cwd, target);
    if (!fs.existsSync(root))
      throw new UserError(`No such file or folder: ${target}. Pass a folder or file to scan.`);
    const reporter = consoleReporter({ verbose: options.verbose, write: io.stderr });
    const result = await scanTree({
      root,
      exclude: options.exclude,
      maxFileBytes: options.maxFileSizeMb * 1024 * 1024,
      reporter,
    });
    const report =
      options.format === 'sarif'
        ? `${JSON.stringify(toSarif(result), null, 2)}\n`
        : options.format === 'json'
          ? `${JSON.stringify(toJson(result), null, 2)}\n`
          : toText(result);
    const n = result.findings.length;
    emitReport(io, options, report, n === 0 ? 'No secrets found.' : `${plural(n, 'secret')} found.`);
    setExit(n > 0 && options.fail ? EXIT.gateFailed : EXIT.passed);
  });
}

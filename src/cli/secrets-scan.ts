/** `imagepipe secrets-scan [path]`: the action's engine, on a laptop and in the pre-commit hook. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { UserError } from '../core/errors.js';
import { parseInteger, parseList } from '../core/inputs.js';
import { consoleReporter } from '../core/reporter.js';
import { plural } from '../core/text.js';
import { writeBaseline } from '../secrets-scan/baseline.js';
import { cleanseFindings, cleanseText } from '../secrets-scan/cleanse-findings.js';
import { parseLogOpts } from '../secrets-scan/history.js';
import { countLine, toJson, toSarif, toText, unsuppressed } from '../secrets-scan/report.js';
import { MODES, runScan, type ScanMode } from '../secrets-scan/run-scan.js';
import { EXIT, type CliIo } from './io.js';
import { addReportOptions, emitReport, type ReportOptions } from './report-options.js';

interface Options extends ReportOptions {
  mode: ScanMode;
  range?: string;
  logOpts?: string;
  config?: string;
  baseline?: string;
  writeBaseline?: string;
  cleanse?: boolean;
  cleansePush?: boolean;
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

function existing(io: CliIo, flag: string, file: string): string {
  const absolute = path.resolve(io.cwd, file);
  if (!fs.existsSync(absolute)) throw new UserError(`${flag}: no such file: ${file}.`);
  return absolute;
}

export function secretsScanCommand(io: CliIo, setExit: (code: number) => void): Command {
  const command = new Command('secrets-scan')
    .summary('find secrets in a folder, its git history or the staged changes')
    .description(
      'Find secrets (cloud keys, tokens, private keys, passwords in URLs) in a folder or file,\n' +
        'in git history (only what each commit added), or in the staged changes (pre-commit).\n' +
        'Inside a git work tree, .gitignore is honoured and tracked files are always scanned.\n' +
        'Paths in reports are relative to the repository root (or to the folder, outside git).\n' +
        'Allow a false positive with an `imagepipe:allow` comment on its line, or a baseline.\n' +
        'Exit codes: 0 no secrets, 1 secrets found, 2 usage, input or internal error.',
    )
    .argument('[path]', 'folder or file to scan (a folder in the repository for history and staged)', '.')
    .addOption(
      new Option(
        '-m, --mode <mode>',
        'tree: the files; history: every commit; staged: the index; auto: from the CI event',
      )
        .choices(MODES)
        .default('tree'),
    )
    .option('--range <range>', 'history: the commits to scan, e.g. main..HEAD (default: every ref)')
    .option(
      '--log-opts <options>',
      'history: git log revisions and commit-limiting options, e.g. "--since=2024-01-01 --all"',
    )
    .option(
      '-c, --config <file>',
      'rules and allowlists: .imagepipe/secrets.yaml (the default, when present) or a .gitleaks.toml',
    )
    .option('--baseline <file>', 'accept the findings this baseline lists (reported as suppressed)')
    .option('--write-baseline <file>', 'write the current findings to a baseline file and exit 0')
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
    if ((options.range || options.logOpts) && options.mode !== 'history') {
      throw new UserError(`--range and --log-opts choose commits: use them with --mode history.`);
    }
    if (options.cleansePush && !options.cleanse) throw new UserError('--cleanse-push needs --cleanse.');
    const logArgs = [
      ...(options.range ? parseLogOpts(options.range, '--range') : []),
      ...(options.logOpts ? parseLogOpts(options.logOpts, '--log-opts') : []),
    ];
    const reporter = consoleReporter({ verbose: options.verbose, write: io.stderr });
    const result = await runScan({
      mode: options.mode,
      target: root,
      logArgs,
      exclude: options.exclude,
      maxFileBytes: options.maxFileSizeMb * 1024 * 1024,
      configFile: options.config
        ? { file: existing(io, '--config', options.config), shown: options.config }
        : undefined,
      baseline: options.baseline
        ? { file: existing(io, '--baseline', options.baseline), shown: options.baseline }
        : undefined,
      env: io.env,
      reporter,
    });
    if (options.writeBaseline) {
      const accepted = result.findings.filter((f) => f.suppression?.kind !== 'inSource');
      const baseline = writeBaseline(path.resolve(io.cwd, options.writeBaseline), accepted);
      io.stderr(
        `Wrote ${plural(baseline.findings.length, 'fingerprint')} to ${options.writeBaseline} (no secret is in it). ` +
          `Commit it and pass it with --baseline (the action's 'baseline' input); revoke those secrets all the same.\n`,
      );
      setExit(EXIT.passed);
      return;
    }
    const report =
      options.format === 'sarif'
        ? `${JSON.stringify(toSarif(result), null, 2)}\n`
        : options.format === 'json'
          ? `${JSON.stringify(toJson(result), null, 2)}\n`
          : toText(result);
    emitReport(io, options, report, countLine(result));
    const failing = unsuppressed(result.findings).length;
    if (options.cleanse && failing > 0) {
      const cleansed = await cleanseFindings({
        repo: root,
        findings: result.findings,
        setup: result.setup,
        push: Boolean(options.cleansePush),
        reporter,
      });
      if (cleansed) io.stderr(`${cleanseText(cleansed)}\n`);
    }
    setExit(failing > 0 && (options.fail || options.cleanse) ? EXIT.gateFailed : EXIT.passed);
  });
}

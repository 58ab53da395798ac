/** `imagepipe packer-build [template]`: the action's engine on a laptop or any CI, with packer from PATH. */
import * as path from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { UserError } from '../core/errors.js';
import { parseInteger, parseList } from '../core/inputs.js';
import { consoleReporter } from '../core/reporter.js';
import { INIT_MODES, ON_ERROR, runPackerBuild, type InitMode, type OnError } from '../packer-build/build.js';
import { parseVersionRequest, setupPacker } from '../packer-build/packer.js';
import { statusLine, toJson, toText } from '../packer-build/report.js';
import { templateFiles } from '../packer-build/template.js';
import { parseVariables } from '../packer-build/variables.js';
import { EXIT, type CliIo } from './io.js';
import { addReportOptions, emitReport, type ReportOptions } from './report-options.js';

interface Options extends ReportOptions {
  packerVersion: string;
  workingDirectory: string;
  var: string[];
  varFile: string[];
  only: string[];
  except: string[];
  onError: OnError;
  parallelBuilds: number;
  timeoutMinutes: number;
  force?: boolean;
  init: InitMode;
  fmtCheck: boolean;
  validate: boolean;
  build: boolean;
  manifestFile?: string;
  verbose?: boolean;
}

const collect = (value: string, previous: string[]) => [...previous, ...parseList(value)];
const repeat = (value: string, previous: string[]) => [...previous, value];
const integer = (flag: string, max: number) => (value: string) => {
  try {
    return parseInteger(flag, value, { min: 0, max });
  } catch {
    throw new InvalidArgumentError(`expected a whole number from 0 to ${max}.`);
  }
};

export function packerBuildCommand(io: CliIo, setExit: (code: number) => void): Command {
  const command = new Command('packer-build')
    .summary('build an image with packer: init, fmt check, validate, build; artifacts and AMIs captured')
    .description(
      'Run packer init (when it has work), fmt -check, validate and build on a template,\n' +
        'with packer from PATH, and print the artifacts, the AMIs by region and the\n' +
        'container images. Ctrl-C interrupts packer, which cleans up before this exits;\n' +
        'a second Ctrl-C kills it at once.\n' +
        'Exit codes: 0 built, 1 a step failed or the build was cancelled, 2 usage or input error.',
    )
    .argument('[template]', 'a .pkr.hcl/.pkr.json file, a folder of them, or a JSON template', '.')
    .option(
      '--packer-version <version>',
      'an exact version, a semver range or latest, checked against the packer on PATH',
      '',
    )
    .option(
      '-C, --working-directory <dir>',
      'run packer in this folder (the template is relative to it)',
      '.',
    )
    .option('--var <name=value>', 'a template variable (repeatable)', repeat, [])
    .option('--var-file <files>', 'variable files (repeatable, comma-separated)', collect, [])
    .option('--only <builds>', 'only these builds (comma-separated)', collect, [])
    .option('--except <builds>', 'all but these builds and post-processors (comma-separated)', collect, [])
    .addOption(new Option('--on-error <what>', 'when a build fails').choices(ON_ERROR).default('cleanup'))
    .option(
      '--parallel-builds <n>',
      'builds at once; 0 means no limit',
      integer('--parallel-builds', 1000),
      0,
    )
    .option(
      '--timeout-minutes <n>',
      'stop the build after this long; 0 means no limit',
      integer('--timeout-minutes', 4320),
      0,
    )
    .option('--force', 'pass -force: delete artifacts of an earlier build')
    .addOption(new Option('--init <mode>', 'run packer init').choices(INIT_MODES).default('auto'))
    .option('--no-fmt-check', 'do not check formatting')
    .option('--no-validate', 'do not run packer validate')
    .option('--no-build', 'stop after the checks')
    .option('--manifest-file <file>', "write a manifest of this run's builds here")
    .option('-v, --verbose', 'print debug logs');
  addReportOptions(command, ['text', 'json']);
  return command.action(async (templateArg: string, options: Options) => {
    const reporter = consoleReporter({ verbose: options.verbose, write: io.stderr });
    const cwd = path.resolve(io.cwd, options.workingDirectory);
    const template = path.resolve(cwd, templateArg);
    const shown = path.relative(io.cwd, template) || '.';
    // Bad input is reported before packer is looked for or run.
    const request = parseVersionRequest('--packer-version', options.packerVersion);
    if (request.kind === 'latest') {
      throw new UserError(
        "--packer-version latest needs HashiCorp's releases index, which the CLI does not fetch: give the version (1.11.2) or a range (>=1.10) the packer on PATH must satisfy.",
      );
    }
    templateFiles(template, shown);
    const variables = parseVariables('--var', options.var.join('\n'));
    const packer = await setupPacker({ request, reporter, env: io.env });
    const manifestFile = options.manifestFile ? path.resolve(cwd, options.manifestFile) : undefined;
    const result = await runPackerBuild({
      packer: packer.binary,
      version: packer.version,
      template,
      templateShown: shown,
      cwd,
      workspace: io.cwd,
      variables,
      varFiles: options.varFile.map((f) => path.resolve(cwd, f)),
      only: options.only,
      except: options.except,
      onError: options.onError,
      parallelBuilds: options.parallelBuilds,
      ...(options.timeoutMinutes > 0 ? { timeoutMs: options.timeoutMinutes * 60_000 } : {}),
      force: options.force === true,
      init: options.init,
      fmtCheck: options.fmtCheck,
      validate: options.validate,
      build: options.build,
      env: io.env,
      reporter,
      forwardSignals: true,
      killOnSecondSignal: true,
      ...(manifestFile ? { manifestFile } : {}),
    });
    const manifestShown = result.manifest?.file ? path.relative(io.cwd, result.manifest.file) : undefined;
    const report =
      options.format === 'json'
        ? `${JSON.stringify(toJson(result, manifestShown), null, 2)}\n`
        : toText(result);
    emitReport(io, options, report, statusLine(result));
    setExit(result.failure ? EXIT.gateFailed : EXIT.passed);
  });
}

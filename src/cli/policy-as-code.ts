/** `imagepipe policy-as-code [path]`: the action's engine on a laptop, in a pre-commit hook or any CI. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Command, Option } from 'commander';
import { setupCfnGuard } from '../core/cfn-guard.js';
import { UserError } from '../core/errors.js';
import { parseList } from '../core/inputs.js';
import { consoleReporter } from '../core/reporter.js';
import { failing, ruleHelp, toJson, toJUnit, toSarif, toText, countLine } from '../policy-as-code/report.js';
import { BUILTIN_RULES } from '../policy-as-code/rules/index.js';
import { runPolicy } from '../policy-as-code/run-policy.js';
import { SEVERITIES, type Severity } from '../policy-as-code/types.js';
import { EXIT, type CliIo } from './io.js';
import { addReportOptions, emitReport, type ReportOptions } from './report-options.js';

interface Options extends ReportOptions {
  severityThreshold?: Severity;
  config?: string;
  customRules: string[];
  guardRules: string[];
  inlineSuppressions?: boolean;
  exclude: string[];
  fail: boolean;
  listRules?: boolean;
  verbose?: boolean;
}

const collect = (value: string, previous: string[]) => [...previous, ...parseList(value)];

function existing(io: CliIo, flag: string, file: string): { file: string; shown: string } {
  const absolute = path.resolve(io.cwd, file);
  if (!fs.existsSync(absolute)) throw new UserError(`${flag}: no such file: ${file}.`);
  return { file: absolute, shown: file };
}

function listRules(): string {
  const lines = [...BUILTIN_RULES]
    .sort((a, b) => a.id.localeCompare(b.id))
    .map((r) => `${r.id.padEnd(40)} ${r.severity.padEnd(8)} ${r.formats.join(',').padEnd(28)} ${r.title}`);
  return `${lines.join('\n')}\n${BUILTIN_RULES.length} rules. Details: --list-rules --format json.\n`;
}

export function policyAsCodeCommand(io: CliIo, setExit: (code: number) => void): Command {
  const command = new Command('policy-as-code')
    .summary(
      'check infrastructure code (CloudFormation, Terraform, Packer, Dockerfiles, Kubernetes, workflows)',
    )
    .description(
      'Check CloudFormation, Terraform, Packer templates, Dockerfiles, Kubernetes\n' +
        'manifests and GitHub workflows against built-in and custom policies; each\n' +
        'finding points at the exact line. Suppress one with\n' +
        '`# imagepipe:skip=<rule-id> <reason>` on or above its line, or in\n' +
        '.imagepipe/policy.yaml. Exit codes: 0 nothing at or above the threshold,\n' +
        '1 findings at or above it, 2 usage, configuration or input error.',
    )
    .argument('[path]', 'folder or file to check', '.')
    .addOption(
      new Option(
        '-s, --severity-threshold <severity>',
        'fail on findings at or above this (default: config, else high)',
      ).choices(SEVERITIES),
    )
    .option('-c, --config <file>', 'policy configuration (default: .imagepipe/policy.yaml when present)')
    .option(
      '--custom-rules <files>',
      'files of custom rules in our YAML (repeatable, comma-separated)',
      collect,
      [],
    )
    .option(
      '--guard-rules <files>',
      'CloudFormation Guard rule files or folders, run with cfn-guard from PATH (repeatable, comma-separated)',
      collect,
      [],
    )
    .option(
      '--no-inline-suppressions',
      'ignore in-source suppressions (imagepipe:skip, checkov, cfn_nag, KICS)',
    )
    .option(
      '-e, --exclude <globs>',
      'skip paths matching these globs (repeatable, comma-separated)',
      collect,
      [],
    )
    .option('--list-rules', 'print the built-in rules and exit')
    .option('--no-fail', 'report findings but exit 0')
    .option('-v, --verbose', 'print debug logs');
  addReportOptions(command, ['text', 'json', 'sarif', 'junit']);
  return command.action(async (target: string, options: Options) => {
    if (options.listRules) {
      const report =
        options.format === 'json'
          ? `${JSON.stringify(
              BUILTIN_RULES.map((r) => ({
                id: r.id,
                title: r.title,
                severity: r.severity,
                formats: r.formats,
                description: r.description,
                fix: r.fix,
                refs: r.refs,
                help: ruleHelp(r),
              })),
              null,
              2,
            )}\n`
          : listRules();
      emitReport(io, options, report, `${BUILTIN_RULES.length} rules.`);
      setExit(EXIT.passed);
      return;
    }
    const root = path.resolve(io.cwd, target);
    if (!fs.existsSync(root))
      throw new UserError(`No such file or folder: ${target}. Pass a folder or file to check.`);
    const reporter = consoleReporter({ verbose: options.verbose, write: io.stderr });
    const { result, threshold } = await runPolicy({
      target: root,
      workspace: io.cwd,
      ...(options.config ? { configFile: existing(io, '--config', options.config) } : {}),
      customRules: options.customRules.map((f) => existing(io, '--custom-rules', f)),
      guardRules: options.guardRules.map((f) => existing(io, '--guard-rules', f)),
      cfnGuard: () => setupCfnGuard({ reporter, env: io.env }),
      ...(options.inlineSuppressions === false ? { allowInlineSuppressions: false } : {}),
      ...(options.severityThreshold ? { severityThreshold: options.severityThreshold } : {}),
      exclude: options.exclude,
      reporter,
    });
    const report =
      options.format === 'sarif'
        ? `${JSON.stringify(toSarif(result), null, 2)}\n`
        : options.format === 'json'
          ? `${JSON.stringify(toJson(result, threshold), null, 2)}\n`
          : options.format === 'junit'
            ? toJUnit(result, threshold)
            : toText(result, threshold);
    emitReport(io, options, report, countLine(result, threshold));
    setExit(failing(result.findings, threshold).length > 0 && options.fail ? EXIT.gateFailed : EXIT.passed);
  });
}

/**
 * `imagepipe publish-image [source] -d REF…`: the action's engine on a laptop or any CI. Flags carry
 * the action's input names, so both check values the same way; credentials come from the Docker
 * config (as `docker login` leaves them), `--registry-password-stdin`, and the AWS credential chain.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Command } from 'commander';
import { InputError, UserError } from '../core/errors.js';
import { lazyAwsClients } from '../publish-image/clients.js';
import { optionsFrom, provenanceFrom } from '../publish-image/options.js';
import { failuresOf, publish } from '../publish-image/publish.js';
import { statusLine, toJson, toText } from '../publish-image/report.js';
import { EXIT, type CliIo } from './io.js';
import { addReportOptions, emitReport, type ReportOptions } from './report-options.js';

const repeat = (value: string, previous: string[]) => [...previous, value];

/** Flags that take a value, by input name; lists are repeatable. */
const VALUE_FLAGS: Array<[input: string, flag: string, help: string, list?: boolean]> = [
  ['destinations', '-d, --destination <ref>', 'push to this image reference (repeatable)', true],
  ['registry-username', '--registry-username <name>', 'user name for registries other than ECR'],
  ['docker-config', '--docker-config <file>', 'the Docker config.json to read credentials from'],
  [
    'insecure-registries',
    '--insecure-registry <host>',
    'speak plain HTTP to this host[:port] (repeatable)',
    true,
  ],
  ['ca-file', '--ca-file <file>', 'a PEM CA certificate to trust for registry TLS'],
  ['ecr-tag-mutability', '--ecr-tag-mutability <mode>', 'IMMUTABLE or MUTABLE for created repositories'],
  ['ecr-scan-on-push', '--ecr-scan-on-push <bool>', 'true or false for created repositories'],
  ['ecr-kms-key', '--ecr-kms-key <key>', 'KMS key for created repositories'],
  ['ecr-lifecycle-policy', '--ecr-lifecycle-policy <file>', 'lifecycle policy JSON for created repositories'],
  ['ami-id', '--ami-id <ami>', 'publish this AMI'],
  ['source-region', '--source-region <region>', 'the region the AMI is in (default AWS_REGION)'],
  ['regions', '--region <region>', 'publish the AMI to this region (repeatable)', true],
  ['ami-name', '--ami-name <name>', "the copies' name"],
  ['kms-key-ids', '--kms-key-id <region=key>', 'KMS key for the copy in a region (repeatable)', true],
  ['tags', '--tag <key=value>', 'tag the AMIs and snapshots (repeatable)', true],
  ['share-accounts', '--share-account <id>', 'give an account launch permission (repeatable)', true],
  [
    'share-organizations',
    '--share-organization <arn>',
    'give an organization launch permission (repeatable)',
    true,
  ],
  ['share-ous', '--share-ou <arn>', 'give an OU launch permission (repeatable)', true],
  ['deprecate-after-days', '--deprecate-after-days <n>', 'deprecate the AMIs this long after creation'],
  ['ssm-parameter', '--ssm-parameter <name>', "write each region's AMI id to this SSM parameter"],
  [
    's3-bucket',
    '--s3-bucket <bucket>',
    'keep the image (an OCI archive) and the source AMI in bucket[/prefix]',
  ],
  ['timeout-minutes', '--timeout-minutes <n>', 'bound on the AMI waits (default 60)'],
];

/** The CLI's name for an input, for messages: `--destination` for `destinations`. */
function flagOf(input: string): string {
  if (input === 'source') return 'the source argument';
  if (input === 'registry-password') return '--registry-password-stdin';
  const entry = VALUE_FLAGS.find(([name]) => name === input);
  return entry ? (/--[a-z0-9-]+/.exec(entry[1])?.[0] ?? input) : `--${input}`;
}

/** An input error in the CLI's words: flags, not the action's input names. */
function inCliWords(error: InputError): UserError {
  const names = [
    ...VALUE_FLAGS.map(([name]) => name),
    'registry-password',
    'ecr-create-repository',
    'encrypted',
    'share-snapshots',
  ];
  let allowed = error.allowed;
  for (const name of names.sort((a, b) => b.length - a.length)) {
    allowed = allowed.replace(new RegExp(`(?<![\\w-])${name}(?![\\w-])`, 'g'), flagOf(name));
  }
  return new UserError(
    `Invalid value ${JSON.stringify(error.value)} for ${flagOf(error.input)}: ${allowed}.`,
  );
}

function camel(flag: string): string {
  const long = /--([a-z0-9-]+)/.exec(flag)?.[1] ?? '';
  return long.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** The options from the flags, refusing bad ones in the CLI's words. */
function cliOptions(values: Map<string, string>, io: CliIo, tempDir: string) {
  try {
    return optionsFrom((name) => (values.get(name) ?? '').trim(), {
      workspace: io.cwd,
      tempDir,
      env: io.env,
      provenance: provenanceFrom(io.env),
    });
  } catch (error) {
    throw error instanceof InputError ? inCliWords(error) : error;
  }
}

export function publishImageCommand(io: CliIo, setExit: (code: number) => void): Command {
  const command = new Command('publish-image')
    .summary('push a container image to registries without Docker; copy, tag and share an AMI')
    .description(
      'Push an image (oci:DIR[:TAG], oci-archive:FILE, docker-archive:FILE, docker-daemon:REF)\n' +
        'to each --destination, and publish --ami-id to each --region: the publish-image\n' +
        "action's engine. Re-running pushes nothing and copies nothing twice.\n" +
        'Exit codes: 0 published, 1 a destination or region failed, 2 usage or input error.',
    )
    .argument(
      '[source]',
      'the container image to push: oci:DIR[:TAG], oci-archive:FILE[:TAG], docker-archive:FILE[:NAME:TAG] or docker-daemon:REF',
    );
  for (const [, flag, help, list] of VALUE_FLAGS) {
    if (list) command.option(flag, help, repeat, []);
    else command.option(flag, help);
  }
  command
    .option('--registry-password-stdin', 'read the registry password from standard input')
    .option('--ecr-create-repository', 'create missing ECR repositories with the --ecr-* settings')
    .option('--encrypted', "encrypt the AMI copies' snapshots")
    .option('--share-snapshots', 'also let --share-account accounts copy the AMI (snapshot permission)');
  addReportOptions(command, ['text', 'json']);
  return command.action(
    async (source: string | undefined, options: ReportOptions & Record<string, unknown>) => {
      let password = '';
      if (options.registryPasswordStdin) {
        password = fs.readFileSync(0, 'utf8').replace(/\r?\n$/, '');
        if (!password) throw new UserError('--registry-password-stdin: standard input was empty.');
      }
      const values = new Map<string, string>([
        ['source', source ?? ''],
        ['registry-password', password],
        ['ecr-create-repository', options.ecrCreateRepository ? 'true' : ''],
        ['encrypted', options.encrypted ? 'true' : ''],
        ['share-snapshots', options.shareSnapshots ? 'true' : ''],
      ]);
      for (const [input, flag, , list] of VALUE_FLAGS) {
        const value = options[camel(flag)];
        values.set(input, list ? (value as string[]).join('\n') : ((value as string | undefined) ?? ''));
      }
      const tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'imagepipe-publish-'));
      const cleanup = () => fs.rmSync(tempDir, { recursive: true, force: true });
      // Ctrl-C or a CI's cancel: the converted layers go, then the signal ends the process as usual.
      const onSignal = (signal: NodeJS.Signals) => {
        cleanup();
        process.kill(process.pid, signal);
      };
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      try {
        const result = await publish(cliOptions(values, io, tempDir), {
          aws: lazyAwsClients(),
          log: (m) => io.stderr(`${m}\n`),
          warn: (m) => io.stderr(`warning: ${m}\n`),
          secret: () => {},
        });
        const report =
          options.format === 'json' ? `${JSON.stringify(toJson(result), null, 2)}\n` : toText(result);
        emitReport(io, options, report, statusLine(result));
        setExit(failuresOf(result).length ? EXIT.gateFailed : EXIT.passed);
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
        cleanup();
      }
    },
  );
}

/**
 * Turns publish-image's inputs, by their `action.yml` names, into the engine's options. The action
 * reads them from `INPUT_*` and the CLI from its flags of the same names, so both accept and
 * refuse the same values, with the same messages.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { regionFrom } from '../core/aws.js';
import { InputError, UserError } from '../core/errors.js';
import { parseBoolean, parseEnum, parseInteger, parseList } from '../core/inputs.js';
import type { AmiPublishOptions } from './ami.js';
import { parseAccountIds, parseOrganizationArns, parseOuArns } from './ami-inputs.js';
import { dockerConfigPath, ecrHost, type Credentials } from './auth.js';
import { TAG_MUTABILITY, type RepositorySettings } from './ecr-settings.js';
import type { PublishOptions } from './publish.js';
import { parseReference } from './reference.js';
import type { S3Location } from './s3-archive.js';
import { parseSource } from './source.js';

export interface OptionContext {
  workspace: string;
  tempDir: string;
  env: Record<string, string | undefined>;
  /** The run's provenance for AMI tags. */
  provenance: AmiPublishOptions['provenance'];
}

/** `key=value` lines (or comma-separated pairs): tags, region=key. Later keys win. */
export function parsePairs(name: string, raw: string, shape = 'key=value'): Record<string, string> {
  const pairs: Record<string, string> = {};
  for (const item of parseList(raw)) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new InputError(name, item, `write each entry as ${shape}, one per line`);
    pairs[item.slice(0, eq).trim()] = item.slice(eq + 1).trim();
  }
  return pairs;
}

/** `bucket`, `bucket/prefix` or `s3://bucket/prefix`: where images are kept in S3. */
export function parseS3Location(name: string, raw: string): S3Location {
  const m = /^(?:s3:\/\/)?([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/(.*))?$/.exec(raw);
  const bucket = m?.[1];
  if (!bucket || /\.\.|\.-|-\.|^\d+\.\d+\.\d+\.\d+$/.test(bucket)) {
    throw new InputError(
      name,
      raw,
      'give a bucket name (lower-case letters, digits, . and -), optionally with /prefix',
    );
  }
  return { bucket, prefix: (m?.[2] ?? '').replace(/^\/+|\/+$/g, '') };
}

const HOST = /^(?:[a-zA-Z0-9.-]+|\[[0-9a-fA-F:]+\])(?::\d{1,5})?$/;

/** A file read as text: relative to the workspace, or absolute (a CA in /etc/ssl, a file in the runner's temp). */
function readFileInput(name: string, raw: string, workspace: string): string {
  const file = path.resolve(workspace, raw);
  if (fs.statSync(file, { throwIfNoEntry: false })?.isDirectory()) {
    throw new InputError(name, raw, 'it is a folder; give the file');
  }
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    throw new InputError(name, raw, `no such file (${file})`);
  }
}

/**
 * The options, every input checked. `get` returns an input's trimmed value, '' when unset.
 * Container publishing needs `source` and `destinations`; AMI publishing needs `ami-id`.
 */
export function optionsFrom(get: (name: string) => string, context: OptionContext): PublishOptions {
  const bool = (name: string, fallback: boolean) =>
    get(name) === '' ? fallback : parseBoolean(name, get(name));
  const options: PublishOptions = {};
  const s3Raw = get('s3-bucket');
  const s3 = s3Raw ? parseS3Location('s3-bucket', s3Raw) : undefined;
  const sourceRaw = get('source');
  const destinationsRaw = parseList(get('destinations'));
  const amiRaw = get('ami-id');
  if (!sourceRaw && !amiRaw) {
    throw new UserError(
      "Nothing to publish: give 'source' and 'destinations' to push a container image, or 'ami-id' to publish an AMI (or both).",
    );
  }
  if (sourceRaw && destinationsRaw.length === 0) {
    throw new InputError(
      'destinations',
      '',
      'list at least one image reference to push the source to, one per line',
    );
  }
  if (!sourceRaw && destinationsRaw.length > 0) {
    throw new InputError(
      'source',
      '',
      'give the image to push, such as oci:build/image:1.0 or docker-archive:image.tar',
    );
  }
  if (sourceRaw) {
    const username = get('registry-username');
    const password = get('registry-password');
    if (Boolean(username) !== Boolean(password)) {
      throw new InputError(
        username ? 'registry-password' : 'registry-username',
        '',
        'registry-username and registry-password go together: give both or neither',
      );
    }
    const credentials: Credentials | undefined = username
      ? { username, password, from: 'registry-username/registry-password' }
      : undefined;
    const insecureRegistries = parseList(get('insecure-registries')).map((host) => host.toLowerCase());
    for (const host of insecureRegistries) {
      if (!HOST.test(host))
        throw new InputError(
          'insecure-registries',
          host,
          'list hosts as host or host:port, without a scheme',
        );
    }
    const caRaw = get('ca-file');
    const ca = caRaw ? readFileInput('ca-file', caRaw, context.workspace) : undefined;
    if (ca !== undefined && !ca.includes('-----BEGIN CERTIFICATE-----')) {
      throw new InputError('ca-file', caRaw, 'expected a PEM certificate (-----BEGIN CERTIFICATE-----)');
    }
    const dockerConfigRaw = get('docker-config');
    const dockerConfig = dockerConfigRaw ? path.resolve(context.workspace, dockerConfigRaw) : undefined;
    if (dockerConfig && !fs.statSync(dockerConfig, { throwIfNoEntry: false })?.isFile()) {
      throw new InputError(
        'docker-config',
        dockerConfigRaw,
        `no such file (${dockerConfig}); give the path of a Docker config.json`,
      );
    }
    const ecrCreate = bool('ecr-create-repository', false);
    let ecrRepository: RepositorySettings | undefined;
    if (ecrCreate) {
      const lifecycleRaw = get('ecr-lifecycle-policy');
      const lifecyclePolicy = lifecycleRaw
        ? readFileInput('ecr-lifecycle-policy', lifecycleRaw, context.workspace)
        : undefined;
      if (lifecyclePolicy !== undefined) {
        try {
          JSON.parse(lifecyclePolicy);
        } catch (error) {
          throw new InputError(
            'ecr-lifecycle-policy',
            lifecycleRaw,
            `the file is not valid JSON (${(error as Error).message})`,
          );
        }
      }
      const kmsKey = get('ecr-kms-key');
      ecrRepository = {
        tagMutability: get('ecr-tag-mutability')
          ? parseEnum('ecr-tag-mutability', get('ecr-tag-mutability'), TAG_MUTABILITY)
          : 'IMMUTABLE',
        scanOnPush: bool('ecr-scan-on-push', true),
        ...(kmsKey ? { kmsKey } : {}),
        ...(lifecyclePolicy !== undefined ? { lifecyclePolicy } : {}),
      };
    }
    const seen = new Set<string>();
    const destinations = destinationsRaw.map((raw) => {
      const ref = parseReference('destinations', raw);
      const key = `${ref.registry}/${ref.repository}:${ref.tag ?? ref.digest}`;
      if (seen.has(key)) throw new InputError('destinations', raw, 'each destination may be listed once');
      seen.add(key);
      return { raw, ref };
    });
    // The input credentials are for one registry: never sent to a second one's token service.
    const others = [...new Set(destinations.map((d) => d.ref.registry).filter((r) => !ecrHost(r)))];
    if (credentials && others.length > 1) {
      throw new InputError(
        'registry-username',
        username,
        `these credentials would go to ${others.join(' and ')}; push to one registry other than ECR per step, or give the others' credentials through the Docker config`,
      );
    }
    options.container = {
      source: parseSource('source', sourceRaw),
      destinations,
      ...(credentials ? { credentials } : {}),
      dockerConfig: dockerConfig ?? dockerConfigPath(context.env),
      insecureRegistries,
      ...(ca ? { ca } : {}),
      ...(ecrRepository ? { ecrRepository } : {}),
      workspace: context.workspace,
      tempDir: context.tempDir,
      ...(s3
        ? {
            s3: {
              location: s3,
              // A first guess: a bucket elsewhere is followed to its region.
              region:
                get('source-region') ||
                context.env.AWS_REGION ||
                context.env.AWS_DEFAULT_REGION ||
                'us-east-1',
            },
          }
        : {}),
    };
  }
  if (amiRaw) {
    const sourceRegion = regionFrom('source-region', get('source-region'), context.env);
    const regions = parseList(get('regions'));
    const days = get('deprecate-after-days');
    const kmsKeyIds = parsePairs('kms-key-ids', get('kms-key-ids'), 'region=key');
    const name = get('ami-name');
    const ssmParameter = get('ssm-parameter');
    options.ami = {
      amiId: amiRaw,
      sourceRegion,
      regions: regions.length ? regions : [sourceRegion],
      encrypted: bool('encrypted', false),
      kmsKeyIds,
      ...(name ? { name } : {}),
      tags: parsePairs('tags', get('tags')),
      provenance: context.provenance,
      shareAccounts: parseAccountIds('share-accounts', parseList(get('share-accounts'))),
      shareOrganizations: parseOrganizationArns('share-organizations', parseList(get('share-organizations'))),
      shareOus: parseOuArns('share-ous', parseList(get('share-ous'))),
      shareSnapshots: bool('share-snapshots', false),
      ...(days
        ? { deprecateAfterDays: parseInteger('deprecate-after-days', days, { min: 1, max: 3650 }) }
        : {}),
      ...(ssmParameter ? { ssmParameter } : {}),
      ...(s3 ? { s3Bucket: s3.bucket } : {}),
      timeoutMinutes: get('timeout-minutes')
        ? parseInteger('timeout-minutes', get('timeout-minutes'), { min: 1, max: 1440 })
        : 60,
    };
  }
  return options;
}

/** The run's provenance from the runner's environment: repository, commit, run URL. */
export function provenanceFrom(env: Record<string, string | undefined>): AmiPublishOptions['provenance'] {
  const server = env.GITHUB_SERVER_URL || 'https://github.com';
  const repository = env.GITHUB_REPOSITORY;
  return {
    ...(repository ? { repository } : {}),
    ...(env.GITHUB_SHA ? { commit: env.GITHUB_SHA } : {}),
    ...(repository && env.GITHUB_RUN_ID
      ? { runUrl: `${server}/${repository}/actions/runs/${env.GITHUB_RUN_ID}` }
      : {}),
  };
}

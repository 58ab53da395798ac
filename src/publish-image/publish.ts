/**
 * publish-image as one engine for the action and the CLI: read the image, find each registry's
 * credentials, make ECR repositories to standard, push to every destination; and publish the AMI
 * to its regions. Container and AMI publishing run side by side. Nothing here touches the runner:
 * clients, logging and masking come in through `PublishDeps`.
 */
import { explainAwsError } from '../core/aws.js';
import { errorMessage, InputError } from '../core/errors.js';
import type { AmiPublishOptions, AmiRegionResult } from './ami.js';
import { checkOptions } from './ami-inputs.js';
import { dockerConfigCredentials, ecrHost, type Credentials } from './auth.js';
import type { AwsClients } from './clients.js';
import type { RepositoryResult, RepositorySettings } from './ecr-settings.js';
import type { ArchiveResult, S3Location } from './s3-archive.js';
import { createTransport, type Transport } from './http.js';
import type { LocalImage } from './image.js';
import { pushImage, type Destination, type PushResult } from './push.js';
import { apiHost, type ImageReference } from './reference.js';
import { RegistryClient } from './registry.js';
import { openSource, type SourceRef } from './source.js';

export interface ContainerOptions {
  source: SourceRef;
  destinations: Destination[];
  /** From registry-username / registry-password: used for every registry that is not ECR. */
  credentials?: Credentials;
  /** The Docker config file consulted for other registries. */
  dockerConfig: string;
  /** Hosts (`host[:port]`) spoken to over plain HTTP. */
  insecureRegistries: string[];
  /** PEM of an extra CA trusted for TLS. */
  ca?: string;
  /** ECR repositories are created to these settings when set. */
  ecrRepository?: RepositorySettings;
  /** Also keep the image in S3 as an OCI archive, read with a client in `region`. */
  s3?: { location: S3Location; region: string };
  workspace: string;
  tempDir: string;
  /** Blobs sent at once per destination; default 4. */
  concurrency?: number;
  /**
   * Where to reach a registry instead of its own host, by registry name: a base URL such as
   * `https://mirror.internal:5000`. Credentials are still chosen by the registry's name (an ECR
   * name still gets an ECR password), so an ECR registry can be reached through a proxy.
   */
  endpoints?: Record<string, string>;
  /** PATCH chunk size for large blobs; the registry client's default otherwise. */
  chunkSize?: number;
}

export interface PublishOptions {
  container?: ContainerOptions;
  ami?: AmiPublishOptions;
}

export interface PublishDeps {
  /** The AWS clients, asked for only when an AMI or an ECR destination needs them. */
  aws(): Promise<AwsClients>;
  log(message: string): void;
  warn(message: string): void;
  /** Masks a secret learnt during the run (an ECR password, a registry token). */
  secret(value: string): void;
  /** For the AMI waits in tests. */
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  pollIntervalMs?: number;
}

export interface PublishResult {
  /** What the source was, as given. */
  source?: string;
  /** The pushed manifest's (or index's) digest. */
  digest?: string;
  images: PushResult[];
  repositories: RepositoryResult[];
  amis: AmiRegionResult[];
  /** The image's OCI archive in S3, when asked for. */
  archive?: ArchiveResult;
  /** A part that could not run at all (the other parts' results are still here). */
  errors: string[];
}

export async function publish(options: PublishOptions, deps: PublishDeps): Promise<PublishResult> {
  const result: PublishResult = { images: [], repositories: [], amis: [], errors: [] };
  const container = options.container;
  const ami = options.ami;
  // Bad input stops the run before anything is pushed or copied.
  if (ami) checkOptions(ami);
  const image = container
    ? await openSource(container.source, {
        workspace: container.workspace,
        tempDir: container.tempDir,
        log: deps.log,
      })
    : undefined;
  for (const d of container?.destinations ?? []) {
    if (image && d.ref.digest && d.ref.digest !== image.root.digest) {
      await image.cleanup();
      throw new InputError(
        'destinations',
        d.raw,
        `the image's digest is ${image.root.digest}; name that digest, or none`,
      );
    }
  }
  // Each half runs to its end whatever the other does: a failed AMI does not cut a push short
  // (nor its files away), and a failed push does not hide the AMIs.
  const [pushed, published] = await Promise.allSettled([
    container && image ? publishContainer(image, container, deps, result) : undefined,
    ami ? publishAmiWith(ami, deps).then((amis) => (result.amis = amis)) : undefined,
  ]);
  const failed = [pushed, published].filter((o): o is PromiseRejectedResult => o.status === 'rejected');
  const first = failed[0];
  if (first && !(container && ami)) throw explainAwsError(first.reason);
  if (pushed.status === 'rejected')
    result.errors.push(`Container image: ${errorMessage(explainAwsError(pushed.reason))}`);
  if (published.status === 'rejected')
    result.errors.push(`AMI: ${errorMessage(explainAwsError(published.reason))}`);
  return result;
}

/** The AMI engine and the SDK it needs, loaded for an AMI only. */
async function publishAmiWith(ami: AmiPublishOptions, deps: PublishDeps): Promise<AmiRegionResult[]> {
  const [{ publishAmi }, aws] = await Promise.all([import('./ami.js'), deps.aws()]);
  return publishAmi(ami, {
    ec2: aws.ec2,
    ssm: aws.ssm,
    log: deps.log,
    ...(deps.sleep ? { sleep: deps.sleep } : {}),
    ...(deps.now ? { now: deps.now } : {}),
    ...(deps.pollIntervalMs !== undefined ? { pollIntervalMs: deps.pollIntervalMs } : {}),
  });
}

/** The failures, one line each; empty when everything was published. */
export function failuresOf(result: PublishResult): string[] {
  return [
    ...result.errors,
    ...result.images
      .filter((i) => i.status === 'failed')
      .map((i) => `${i.destination}: ${i.error ?? 'failed'}`),
    ...result.amis
      .filter((a) => a.status === 'failed')
      .map((a) => `AMI in ${a.region}: ${a.error ?? 'failed'}`),
  ];
}

async function publishContainer(
  image: LocalImage,
  options: ContainerOptions,
  deps: PublishDeps,
  result: PublishResult,
): Promise<void> {
  result.source = image.source;
  result.digest = image.root.digest;
  deps.log(
    `${image.source}: ${image.root.digest}, ${image.blobs.length} blobs, ${image.children.length} platform manifests`,
  );
  const transports: Transport[] = [];
  const clients = new Map<string, Promise<RegistryClient>>();
  const repositories = new Map<string, Promise<void>>();
  const clientFor = (ref: ImageReference): Promise<RegistryClient> => {
    let client = clients.get(ref.registry);
    if (!client) {
      client = makeClient(ref, options, deps, transports);
      clients.set(ref.registry, client);
    }
    return client;
  };
  const prepare = (destination: Destination): Promise<void> => {
    const ecr = ecrHost(destination.ref.registry);
    const settings = options.ecrRepository;
    if (!ecr || !settings) return Promise.resolve();
    const key = `${destination.ref.registry}/${destination.ref.repository}`;
    let done = repositories.get(key);
    if (!done) {
      done = ensureRepositoryWith(deps, ecr.region, ecr.accountId, destination.ref.repository, settings).then(
        (repo) => {
          result.repositories.push(repo);
          if (repo.created) deps.log(`${key}: created the ECR repository`);
          for (const drift of repo.drift) {
            deps.warn(
              `${key}: the repository differs from the settings asked for: ${drift}. It was left as it is.`,
            );
          }
        },
      );
      repositories.set(key, done);
    }
    return done;
  };
  try {
    const archive = options.s3 ? archiveWith(image, options, deps, result) : undefined;
    result.images = await pushImage(image, options.destinations, {
      client: clientFor,
      prepare,
      log: deps.log,
      ...(options.concurrency ? { concurrency: options.concurrency } : {}),
    });
    await archive;
  } finally {
    for (const t of transports) t.close();
    await image.cleanup();
  }
}

/** The image's OCI archive into S3, beside the pushes; a failure is recorded, not thrown. */
async function archiveWith(
  image: LocalImage,
  options: ContainerOptions,
  deps: PublishDeps,
  result: PublishResult,
): Promise<void> {
  const s3 = options.s3;
  if (!s3) return;
  try {
    const [{ uploadArchive }, aws] = await Promise.all([import('./s3-archive.js'), deps.aws()]);
    const tag = options.destinations.find((d) => d.ref.tag)?.ref.tag;
    result.archive = await uploadArchive(image, aws.s3(s3.region), s3.location, {
      tempDir: options.tempDir,
      ...(tag ? { tag } : {}),
      log: deps.log,
    });
  } catch (error) {
    result.errors.push(`S3 archive: ${errorMessage(explainAwsError(error))}`);
  }
}

async function ensureRepositoryWith(
  deps: PublishDeps,
  region: string,
  accountId: string,
  repository: string,
  settings: RepositorySettings,
): Promise<RepositoryResult> {
  const [{ ensureRepository }, aws] = await Promise.all([import('./ecr.js'), deps.aws()]);
  return ensureRepository(aws.ecr(region), accountId, repository, settings);
}

async function makeClient(
  ref: ImageReference,
  options: ContainerOptions,
  deps: PublishDeps,
  transports: Transport[],
): Promise<RegistryClient> {
  const host = apiHost(ref);
  const ecr = ecrHost(ref.registry);
  let credentials: Credentials | undefined;
  if (ecr) {
    const [{ ecrCredentials }, aws] = await Promise.all([import('./ecr.js'), deps.aws()]);
    credentials = await ecrCredentials(aws.ecr(ecr.region), ecr.accountId, ref.registry);
    deps.secret(credentials.password);
  } else {
    credentials = options.credentials ?? dockerConfigCredentials(ref.registry, options.dockerConfig);
    if (credentials) deps.secret(credentials.password);
  }
  const transport = createTransport(options.ca ? { ca: options.ca } : {});
  transports.push(transport);
  const insecure =
    options.insecureRegistries.includes(ref.registry) || options.insecureRegistries.includes(host);
  return new RegistryClient({
    registry: ref.registry,
    baseUrl: options.endpoints?.[ref.registry] ?? `${insecure ? 'http' : 'https'}://${host}`,
    transport,
    ...(credentials ? { credentials } : {}),
    ...(options.chunkSize ? { chunkSize: options.chunkSize } : {}),
    log: deps.log,
    secret: deps.secret,
  });
}

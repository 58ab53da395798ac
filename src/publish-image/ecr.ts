/**
 * Amazon ECR: a registry password from `GetAuthorizationToken` (valid 12 hours, for the ambient
 * AWS credentials), and repositories made to the team's standard. A missing repository is created
 * with the settings asked for; an existing one is never changed, and where it differs from them
 * (mutable tags, no scan on push, another key, another lifecycle policy) the difference is
 * reported as drift, so nothing is weakened or overwritten silently.
 */
import {
  CreateRepositoryCommand,
  DescribeRepositoriesCommand,
  GetAuthorizationTokenCommand,
  GetLifecyclePolicyCommand,
  PutLifecyclePolicyCommand,
  type ECRClient,
  type Repository,
} from '@aws-sdk/client-ecr';
import { UserError, wrapError } from '../core/errors.js';
import type { Credentials } from './auth.js';
import type { RepositoryResult, RepositorySettings } from './ecr-settings.js';

export {
  TAG_MUTABILITY,
  type RepositoryResult,
  type RepositorySettings,
  type TagMutability,
} from './ecr-settings.js';

/** Registry credentials for the account's ECR registry in the client's region. */
export async function ecrCredentials(ecr: ECRClient, accountId: string, host: string): Promise<Credentials> {
  let token: string | undefined;
  try {
    // registryIds is deprecated: the token is the caller's, valid for every registry it may use.
    const answer = await ecr.send(new GetAuthorizationTokenCommand({}));
    token = answer.authorizationData?.[0]?.authorizationToken;
  } catch (error) {
    throw new UserError(
      `Could not get a registry password for ${host} from ECR GetAuthorizationToken: ${(error as Error).message}. ` +
        `Give the job AWS credentials for account ${accountId} (aws-actions/configure-aws-credentials) that allow ecr:GetAuthorizationToken.`,
    );
  }
  const decoded = Buffer.from(token ?? '', 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) throw new UserError(`ECR GetAuthorizationToken for ${host} returned no usable token.`);
  return {
    username: decoded.slice(0, colon),
    password: decoded.slice(colon + 1),
    from: 'ECR GetAuthorizationToken',
  };
}

function sameJson(a: string, b: string): boolean {
  const canonical = (text: string): string => {
    const sort = (v: unknown): unknown =>
      Array.isArray(v)
        ? v.map(sort)
        : v && typeof v === 'object'
          ? Object.fromEntries(
              Object.entries(v as Record<string, unknown>)
                .sort(([x], [y]) => x.localeCompare(y))
                .map(([k, x]) => [k, sort(x)]),
            )
          : v;
    try {
      return JSON.stringify(sort(JSON.parse(text)));
    } catch {
      return text;
    }
  };
  return canonical(a) === canonical(b);
}

/**
 * Whether the repository's key is the one asked for. ECR reports the key's ARN; an alias cannot be
 * matched to it without KMS, so for an alias only KMS encryption itself is compared.
 */
function sameKey(wanted: string, actual: string | undefined): boolean {
  if (wanted.startsWith('alias/') || wanted.includes(':alias/')) return true;
  if (!actual) return false;
  return actual === wanted || actual.endsWith(`:key/${wanted}`);
}

function driftOf(repo: Repository, settings: RepositorySettings): string[] {
  const drift: string[] = [];
  if (repo.imageTagMutability && repo.imageTagMutability !== settings.tagMutability) {
    drift.push(`tags are ${repo.imageTagMutability}, not ${settings.tagMutability}`);
  }
  const scan = repo.imageScanningConfiguration?.scanOnPush ?? false;
  if (scan !== settings.scanOnPush)
    drift.push(`scan on push is ${scan ? 'on' : 'off'}, not ${settings.scanOnPush ? 'on' : 'off'}`);
  const encryption = repo.encryptionConfiguration;
  if (
    settings.kmsKey &&
    (encryption?.encryptionType !== 'KMS' || !sameKey(settings.kmsKey, encryption.kmsKey))
  ) {
    const type = encryption?.encryptionType ?? 'AES256';
    drift.push(
      `it is encrypted with ${type === 'AES256' ? 'AES256' : `${type} key ${encryption?.kmsKey ?? '(default)'}`}, not KMS key ${settings.kmsKey}`,
    );
  }
  return drift;
}

/**
 * Makes sure `repository` exists. A missing one is created with `settings`; an existing one is
 * compared with them and left as it is.
 */
export async function ensureRepository(
  ecr: ECRClient,
  registryId: string,
  repository: string,
  settings: RepositorySettings,
  attempt = 1,
): Promise<RepositoryResult> {
  let existing: Repository | undefined;
  try {
    const answer = await ecr.send(
      new DescribeRepositoriesCommand({ registryId, repositoryNames: [repository] }),
    );
    existing = answer.repositories?.[0];
  } catch (error) {
    if ((error as { name?: string }).name !== 'RepositoryNotFoundException') {
      throw wrapError(`look up the ECR repository ${repository}`, error);
    }
  }
  if (existing) {
    const drift = driftOf(existing, settings);
    if (settings.lifecyclePolicy !== undefined) {
      let current: string | undefined;
      try {
        current = (await ecr.send(new GetLifecyclePolicyCommand({ registryId, repositoryName: repository })))
          .lifecyclePolicyText;
      } catch (error) {
        if ((error as { name?: string }).name !== 'LifecyclePolicyNotFoundException') {
          throw wrapError(`read the lifecycle policy of ${repository}`, error);
        }
      }
      if (current === undefined) drift.push('it has no lifecycle policy, but ecr-lifecycle-policy gives one');
      else if (!sameJson(current, settings.lifecyclePolicy))
        drift.push('its lifecycle policy differs from ecr-lifecycle-policy');
    }
    return { repository, created: false, drift };
  }
  try {
    await ecr.send(
      new CreateRepositoryCommand({
        registryId,
        repositoryName: repository,
        imageTagMutability: settings.tagMutability,
        imageScanningConfiguration: { scanOnPush: settings.scanOnPush },
        encryptionConfiguration: settings.kmsKey
          ? { encryptionType: 'KMS', kmsKey: settings.kmsKey }
          : { encryptionType: 'AES256' },
      }),
    );
  } catch (error) {
    // Another run made it between our look and our create: compare it like any existing one.
    if ((error as { name?: string }).name === 'RepositoryAlreadyExistsException' && attempt < 3) {
      return ensureRepository(ecr, registryId, repository, settings, attempt + 1);
    }
    throw wrapError(`create the ECR repository ${repository}`, error);
  }
  if (settings.lifecyclePolicy !== undefined) {
    try {
      await ecr.send(
        new PutLifecyclePolicyCommand({
          registryId,
          repositoryName: repository,
          lifecyclePolicyText: settings.lifecyclePolicy,
        }),
      );
    } catch (error) {
      throw wrapError(`put the lifecycle policy on the new repository ${repository}`, error);
    }
  }
  return { repository, created: true, drift: [] };
}

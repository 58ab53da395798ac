/**
 * How every AWS client is made: the default credential chain (so OIDC credentials from
 * `aws-actions/configure-aws-credentials` just work), an explicit region, adaptive retries, and
 * the SDK's own `AWS_ENDPOINT_URL` handling left in place, and a timeout on every request. Regions
 * are checked here, once, with the partition (aws, aws-cn, aws-us-gov, aws-iso, aws-iso-b,
 * aws-iso-f) they belong to.
 */
import { InputError, UserError } from './errors.js';
import { VERSION } from './version.js';

export type Partition = 'aws' | 'aws-cn' | 'aws-us-gov' | 'aws-iso' | 'aws-iso-b' | 'aws-iso-f';

const REGION = /^(?:[a-z]{2}|us-gov|us-iso[a-z]?)-[a-z]+-\d{1,2}$/;

/** The settings every client is built with. */
export function clientConfig(region: string) {
  return {
    region,
    retryMode: 'adaptive',
    maxAttempts: 8,
    customUserAgent: `imagepipe/${VERSION}`,
    // A plain options object: the SDK builds its NodeHttpHandler from it. A hung request fails
    // after a minute (and is retried by the SDK like any timeout) instead of outliving every
    // timeout-minutes; throwOnRequestTimeout is needed, as without it requestTimeout only warns.
    requestHandler: { requestTimeout: 60_000, connectionTimeout: 10_000, throwOnRequestTimeout: true },
  } as const;
}

export function partitionOf(region: string): Partition {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  if (region.startsWith('us-iso-')) return 'aws-iso';
  if (region.startsWith('us-isob-')) return 'aws-iso-b';
  if (region.startsWith('us-isof-')) return 'aws-iso-f';
  return 'aws';
}

/** A region name such as `eu-west-1`, `cn-north-1` or `us-gov-west-1`. */
export function parseRegion(name: string, raw: string): string {
  if (!REGION.test(raw)) {
    throw new InputError(name, raw, 'expected an AWS region such as us-east-1, eu-west-1 or us-gov-west-1');
  }
  return raw;
}

/** The region from the input, else from AWS_REGION / AWS_DEFAULT_REGION, else an error naming all three. */
export function regionFrom(name: string, raw: string, env: Record<string, string | undefined>): string {
  const value = raw || env.AWS_REGION || env.AWS_DEFAULT_REGION || '';
  if (value === '') {
    throw new InputError(name, raw, 'set it, or set AWS_REGION (aws-actions/configure-aws-credentials does)');
  }
  return parseRegion(raw ? name : env.AWS_REGION ? 'AWS_REGION' : 'AWS_DEFAULT_REGION', value);
}

/** Throttling and other transient AWS errors, by the SDK's own classification or the error name. */
export function isThrottling(error: unknown): boolean {
  const e = error as { name?: string; $retryable?: { throttling?: boolean } };
  return (
    e?.$retryable?.throttling === true ||
    /^(Throttling|ThrottlingException|RequestLimitExceeded|TooManyRequestsException|ThrottledException)$/.test(
      e?.name ?? '',
    )
  );
}

/**
 * An AWS failure the user can fix, as a UserError that says how: no credentials at all, or a
 * request AWS refused as the caller's fault (access denied, a bad token, an unknown resource).
 * Anything else (a 5xx, a bug) is returned as it is.
 */
export function explainAwsError(error: unknown): unknown {
  if (!(error instanceof Error) || error instanceof UserError) return error;
  const chain: Array<{ name?: string; $fault?: string }> = [];
  for (let e: unknown = error; e instanceof Error && chain.length < 5; e = e.cause) chain.push(e as never);
  if (chain.some((e) => e.name === 'CredentialsProviderError')) {
    return new UserError(
      `${error.message}: the job has no AWS credentials. Add aws-actions/configure-aws-credentials (with OIDC, role-to-assume) before this step, or set AWS_PROFILE / AWS_ACCESS_KEY_ID for the CLI.`,
    );
  }
  if (chain.some((e) => e.$fault === 'client')) return new UserError(error.message);
  return error;
}

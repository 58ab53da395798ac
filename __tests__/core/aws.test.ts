import { describe, expect, it } from '@jest/globals';
import {
  clientConfig,
  explainAwsError,
  isThrottling,
  parseRegion,
  partitionOf,
  regionFrom,
} from '../../src/core/aws.js';
import { InputError, UserError, wrapError } from '../../src/core/errors.js';

describe('regions', () => {
  it.each([
    ['us-east-1', 'aws'],
    ['eu-central-2', 'aws'],
    ['cn-northwest-1', 'aws-cn'],
    ['us-gov-west-1', 'aws-us-gov'],
    ['us-iso-east-1', 'aws-iso'],
    ['us-isob-east-1', 'aws-iso-b'],
    ['us-isof-south-1', 'aws-iso-f'],
  ])('%s is in %s', (region, partition) => {
    expect(parseRegion('regions', region)).toBe(region);
    expect(partitionOf(region)).toBe(partition);
  });

  it.each(['US-EAST-1', 'us-east', 'useast1', 'us-east-1a', ''])('refuses %j', (raw) => {
    expect(() => parseRegion('regions', raw)).toThrow(InputError);
  });

  it('takes the region from the input, else AWS_REGION, else AWS_DEFAULT_REGION, naming where a bad one came from', () => {
    expect(regionFrom('source-region', 'eu-west-1', { AWS_REGION: 'us-east-1' })).toBe('eu-west-1');
    expect(regionFrom('source-region', '', { AWS_REGION: 'us-east-1' })).toBe('us-east-1');
    expect(regionFrom('source-region', '', { AWS_DEFAULT_REGION: 'ap-south-1' })).toBe('ap-south-1');
    expect(() => regionFrom('source-region', '', { AWS_REGION: 'nowhere' })).toThrow(/input 'AWS_REGION'/);
    expect(() => regionFrom('source-region', '', {})).toThrow(
      /input 'source-region': set it, or set AWS_REGION/,
    );
  });

  it('makes clients with adaptive retries and an explicit region', () => {
    expect(clientConfig('eu-west-1')).toMatchObject({
      region: 'eu-west-1',
      retryMode: 'adaptive',
      maxAttempts: 8,
    });
  });

  it('bounds every request, so a hung call cannot outlive timeout-minutes', () => {
    expect(clientConfig('eu-west-1').requestHandler).toEqual({
      requestTimeout: 60_000,
      connectionTimeout: 10_000,
      throwOnRequestTimeout: true,
    });
  });
});

describe('AWS errors', () => {
  const aws = (name: string, fault: 'client' | 'server') =>
    Object.assign(new Error(`${name} happened`), { name, $fault: fault });

  it('says how to give the job credentials when there are none, through wrapping', () => {
    const cause = Object.assign(new Error('Could not load credentials from any providers'), {
      name: 'CredentialsProviderError',
    });
    const explained = explainAwsError(wrapError('describe ami-1', cause));
    expect(explained).toBeInstanceOf(UserError);
    expect((explained as Error).message).toMatch(
      /^Could not describe ami-1: Could not load credentials .*aws-actions\/configure-aws-credentials/,
    );
  });

  it('makes a refused request a UserError and leaves a server fault alone', () => {
    expect(explainAwsError(wrapError('copy', aws('AccessDenied', 'client')))).toBeInstanceOf(UserError);
    const server = wrapError('copy', aws('InternalError', 'server'));
    expect(explainAwsError(server)).toBe(server);
  });

  it('knows throttling by the SDK flag or the name', () => {
    expect(isThrottling(aws('ThrottlingException', 'client'))).toBe(true);
    expect(isThrottling(Object.assign(new Error('x'), { $retryable: { throttling: true } }))).toBe(true);
    expect(isThrottling(aws('AccessDenied', 'client'))).toBe(false);
  });
});

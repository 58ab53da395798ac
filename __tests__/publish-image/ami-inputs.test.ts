import { describe, expect, it } from '@jest/globals';
import { InputError } from '../../src/core/errors.js';
import { formatElapsed } from '../../src/publish-image/ami-context.js';
import {
  checkOptions,
  copyClientToken,
  desiredTags,
  isAwsManagedEbsKey,
  kmsKeyMatches,
} from '../../src/publish-image/ami-inputs.js';
import {
  parseAccountIds,
  parseOrganizationArns,
  parseOuArns,
  type AmiPublishOptions,
} from '../../src/publish-image/ami.js';
import { amiOptions, SOURCE } from './ami-fake.js';

describe('share lists', () => {
  it('trims, drops blanks and repeats, and keeps the order', () => {
    expect(parseAccountIds('share-accounts', [' 123456789012', '', '210987654321', '123456789012'])).toEqual([
      '123456789012',
      '210987654321',
    ]);
  });

  it.each([
    [parseAccountIds, '12345678901', 'expected a 12-digit AWS account id'],
    [parseAccountIds, '1234567890123', 'expected a 12-digit AWS account id'],
    [parseAccountIds, 'arn:aws:iam::123456789012:root', 'expected a 12-digit AWS account id'],
    [parseOrganizationArns, 'o-abcd123456', 'expected an organization ARN'],
    [
      parseOrganizationArns,
      'arn:aws:organizations::123456789012:ou/o-abcd123456/ou-ab12-cd345678',
      'expected an organization ARN',
    ],
    [
      parseOrganizationArns,
      'arn:aws:organizations::12345:organization/o-abcd123456',
      'expected an organization ARN',
    ],
    [parseOuArns, 'ou-ab12-cd345678', 'expected an organizational unit ARN'],
    [
      parseOuArns,
      'arn:aws:organizations::123456789012:organization/o-abcd123456',
      'expected an organizational unit ARN',
    ],
  ])('%p rejects %s with an InputError naming the input and the value', (parse, value, allowed) => {
    expect(() => parse('the-input', [value])).toThrow(InputError);
    expect(() => parse('the-input', [value])).toThrow(
      `Invalid value ${JSON.stringify(value)} for input 'the-input': ${allowed}`,
    );
  });

  it.each([
    [parseOrganizationArns, 'arn:aws:organizations::123456789012:organization/o-abcd123456'],
    [parseOrganizationArns, 'arn:aws-us-gov:organizations::123456789012:organization/o-abcd123456'],
    [parseOrganizationArns, 'arn:aws-cn:organizations::123456789012:organization/o-abcdefghij0123456789'],
    [parseOuArns, 'arn:aws:organizations::123456789012:ou/o-abcd123456/ou-ab12-cd345678'],
    [parseOuArns, 'arn:aws-cn:organizations::123456789012:ou/o-abcd123456/ou-abcd-0123456789'],
  ])('%p accepts %s, in every partition', (parse, value) => {
    expect(parse('the-input', [value])).toEqual([value]);
  });
});

describe('checkOptions', () => {
  it.each<[string, Partial<AmiPublishOptions>, string]>([
    ['ami-id', { amiId: 'ami-xyz' }, 'Invalid value "ami-xyz" for input \'ami-id\''],
    ['source-region', { sourceRegion: 'useast1' }, "input 'source-region'"],
    ['regions (none)', { regions: [] }, "input 'regions': list at least one region"],
    ['regions (bad)', { regions: ['eu-west-1', 'europe'] }, 'Invalid value "europe" for input \'regions\''],
    ['regions (twice)', { regions: ['eu-west-1', 'eu-west-1'] }, 'each region may be listed once'],
    ['regions (partition)', { regions: ['cn-north-1'] }, 'an AMI cannot be copied across partitions'],
    [
      'kms-key-ids (unknown)',
      { kmsKeyIds: { 'eu-west-9': 'alias/x' } },
      'Invalid value "eu-west-9" for input \'kms-key-ids\'',
    ],
    [
      'kms-key-ids (source)',
      { regions: ['us-east-1', 'eu-west-1'], kmsKeyIds: { 'us-east-1': 'alias/x' } },
      "input 'kms-key-ids': give keys only for the regions the AMI is copied to",
    ],
    [
      'tags',
      { tags: { 'aws:cloudformation': 'x' } },
      "input 'tags': tag keys starting with aws: or imagepipe: are reserved",
    ],
    ['tags (ours)', { tags: { 'imagepipe:commit': 'x' } }, "input 'tags'"],
    [
      'deprecate-after-days',
      { deprecateAfterDays: 0 },
      "input 'deprecate-after-days': expected a whole number from 1 to 3650",
    ],
    ['deprecate-after-days (fraction)', { deprecateAfterDays: 1.5 }, "input 'deprecate-after-days'"],
    ['timeout-minutes', { timeoutMinutes: 0 }, "input 'timeout-minutes'"],
    ['share-organizations', { shareOrganizations: ['o-abcd123456'] }, "input 'share-organizations'"],
    ['share-ous', { shareOus: ['ou-ab12-cd345678'] }, "input 'share-ous'"],
    [
      'share-organizations (partition)',
      { shareOrganizations: ['arn:aws-us-gov:organizations::123456789012:organization/o-abcd123456'] },
      "input 'share-organizations': the ARN is in the aws-us-gov partition, but source-region us-east-1 is in aws: give ARNs that start with arn:aws:organizations::",
    ],
    [
      'share-ous (partition)',
      { shareOus: ['arn:aws-cn:organizations::123456789012:ou/o-abcd123456/ou-ab12-cd345678'] },
      "input 'share-ous': the ARN is in the aws-cn partition",
    ],
    [
      'regions (iso partition)',
      { sourceRegion: 'us-iso-east-1', regions: ['us-isob-east-1'] },
      'an AMI cannot be copied across partitions; list regions of the aws-iso partition',
    ],
  ])('rejects a bad %s', (_, extra, message) => {
    expect(() => checkOptions(amiOptions(extra))).toThrow(InputError);
    expect(() => checkOptions(amiOptions(extra))).toThrow(message);
  });

  it('returns the share lists normalised', () => {
    const checked = checkOptions(
      amiOptions({
        shareAccounts: ['123456789012 ', '123456789012'],
        regions: ['us-gov-west-1'],
        sourceRegion: 'us-gov-east-1',
      }),
    );
    expect(checked.shareAccounts).toEqual(['123456789012']);
  });

  it('accepts organization and OU ARNs of the source region’s partition', () => {
    const org = 'arn:aws-us-gov:organizations::123456789012:organization/o-abcd123456';
    const ou = 'arn:aws-us-gov:organizations::123456789012:ou/o-abcd123456/ou-ab12-cd345678';
    const checked = checkOptions(
      amiOptions({
        sourceRegion: 'us-gov-east-1',
        regions: ['us-gov-west-1'],
        shareOrganizations: [org],
        shareOus: [ou],
      }),
    );
    expect([checked.shareOrganizations, checked.shareOus]).toEqual([[org], [ou]]);
    const iso = 'arn:aws-iso-b:organizations::123456789012:organization/o-abcd123456';
    expect(
      checkOptions(
        amiOptions({
          sourceRegion: 'us-isob-east-1',
          regions: ['us-isob-east-1'],
          shareOrganizations: [iso],
        }),
      ).shareOrganizations,
    ).toEqual([iso]);
  });
});

describe('copyClientToken', () => {
  const params = {
    sourceImageId: SOURCE,
    sourceRegion: 'us-east-1',
    region: 'eu-west-1',
    name: 'golden-1.2.0',
    description: 'golden image 1.2.0',
    encrypted: false,
  };

  it('is at most 64 characters, the same for the same parameters, and different when any changes', () => {
    const token = copyClientToken(params, 0);
    expect(token).toMatch(/^imagepipe-[0-9a-f]{40}$/);
    expect(token.length).toBeLessThanOrEqual(64);
    expect(copyClientToken({ ...params }, 0)).toBe(token);
    const others = [
      copyClientToken({ ...params, sourceImageId: 'ami-0fedcba9876543210' }, 0),
      copyClientToken({ ...params, sourceRegion: 'us-west-2' }, 0),
      copyClientToken({ ...params, region: 'eu-west-2' }, 0),
      copyClientToken({ ...params, name: 'golden-1.2.1' }, 0),
      copyClientToken({ ...params, description: 'other' }, 0),
      copyClientToken({ ...params, description: undefined }, 0),
      copyClientToken({ ...params, encrypted: true }, 0),
      copyClientToken({ ...params, encrypted: true, kmsKeyId: 'alias/golden' }, 0),
      copyClientToken({ ...params, encrypted: true, kmsKeyId: 'alias/other' }, 0),
      copyClientToken(params, 1),
    ];
    expect(new Set([token, ...others]).size).toBe(others.length + 1);
  });
});

describe('kmsKeyMatches', () => {
  const ARN = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
  it.each<[string, string | undefined, boolean]>([
    [ARN, ARN, true],
    ['arn:aws:kms:eu-west-1:111122223333:key/9999', ARN, false],
    ['1234abcd-12ab-34cd-56ef-1234567890ab', ARN, true],
    ['1234abcd', ARN, false],
    ['alias/golden', ARN, true],
    ['arn:aws:kms:eu-west-1:111122223333:alias/golden', ARN, true],
    ['alias/golden', undefined, false],
    [ARN, undefined, false],
  ])('%s against %s: %p', (wanted, actual, matches) => {
    expect(kmsKeyMatches(wanted, actual)).toBe(matches);
  });
});

describe('tags', () => {
  it('puts the copy markers first and skips empty provenance', () => {
    const options = amiOptions({ provenance: { repository: 'acme/golden', commit: '', runUrl: '  ' } });
    expect(desiredTags(options, true)).toEqual({
      'imagepipe:source-ami': SOURCE,
      'imagepipe:source-region': 'us-east-1',
      'imagepipe:repository': 'acme/golden',
      team: 'platform',
    });
    expect(desiredTags(options, false)).toEqual({ 'imagepipe:repository': 'acme/golden', team: 'platform' });
  });

  it('knows the AWS managed EBS key by alias and alias ARN only', () => {
    expect(isAwsManagedEbsKey('alias/aws/ebs')).toBe(true);
    expect(isAwsManagedEbsKey('arn:aws-us-gov:kms:us-gov-west-1:123456789012:alias/aws/ebs')).toBe(true);
    expect(isAwsManagedEbsKey('alias/aws/ebs-custom')).toBe(false);
    expect(isAwsManagedEbsKey('alias/golden')).toBe(false);
    expect(isAwsManagedEbsKey('1234abcd-12ab-34cd-56ef-1234567890ab')).toBe(false);
  });
});

describe('formatElapsed', () => {
  it.each([
    [0, '0s'],
    [45_900, '45s'],
    [130_000, '2m10s'],
    [3_900_000, '1h05m'],
  ])('%d ms is %s', (ms, text) => {
    expect(formatElapsed(ms)).toBe(text);
  });
});

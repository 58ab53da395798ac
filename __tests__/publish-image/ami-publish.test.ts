import { describe, expect, it } from '@jest/globals';
import {
  CreateStoreImageTaskCommand,
  DescribeImagesCommand,
  DescribeStoreImageTasksCommand,
  EnableImageDeprecationCommand,
} from '@aws-sdk/client-ec2';
import { GetParameterCommand, PutParameterCommand } from '@aws-sdk/client-ssm';
import { InputError } from '../../src/core/errors.js';
import { publishAmi } from '../../src/publish-image/ami.js';
import { amiOptions, awsError, SOURCE, START, worldWithSource } from './ami-fake.js';

const PARAM = '/images/golden/latest';
const DAY = 86_400_000;

describe('publishAmi: deprecation', () => {
  it('deprecates each AMI the given days after its creation, once', async () => {
    const world = worldWithSource();
    const options = amiOptions({ regions: ['us-east-1', 'eu-west-1'], deprecateAfterDays: 90 });
    const results = await publishAmi(options, world.deps());

    const sourceCreated = Date.parse(world.image('us-east-1', SOURCE)!.CreationDate!);
    const copyCreated = Date.parse(world.image('eu-west-1', results[1]!.amiId!)!.CreationDate!);
    expect(copyCreated).toBe(START);
    expect(results.map((r) => r.deprecationTime)).toEqual([
      new Date(sourceCreated + 90 * DAY).toISOString(),
      new Date(copyCreated + 90 * DAY).toISOString(),
    ]);
    expect(world.calls(EnableImageDeprecationCommand).map((c) => [c.region, c.input])).toEqual([
      ['us-east-1', { ImageId: SOURCE, DeprecateAt: new Date(sourceCreated + 90 * DAY) }],
      ['eu-west-1', { ImageId: results[1]!.amiId, DeprecateAt: new Date(copyCreated + 90 * DAY) }],
    ]);
    expect(world.image('eu-west-1', results[1]!.amiId!)!.DeprecationTime).toBe(results[1]!.deprecationTime);

    world.resetCalls();
    const again = await publishAmi(options, world.deps());
    expect(world.calls(EnableImageDeprecationCommand)).toEqual([]);
    expect(again.map((r) => r.deprecationTime)).toEqual(results.map((r) => r.deprecationTime));
  });

  it('rounds the time down to the minute, as EC2 keeps it', async () => {
    const world = worldWithSource();
    world.image('us-east-1', SOURCE)!.CreationDate = '2025-03-01T08:30:45.123Z';
    const [result] = await publishAmi(
      amiOptions({ regions: ['us-east-1'], deprecateAfterDays: 1 }),
      world.deps(),
    );
    expect(result!.deprecationTime).toBe('2025-03-02T08:30:00.000Z');
  });

  it('deprecates an AMI older than the given days a minute from now, since EC2 refuses a past time, and only once', async () => {
    const world = worldWithSource();
    world.image('us-east-1', SOURCE)!.CreationDate = new Date(START - 100 * DAY).toISOString();
    world.now = START + 30_000;
    const options = amiOptions({ regions: ['us-east-1'], deprecateAfterDays: 90 });
    const [result] = await publishAmi(options, world.deps());
    expect(world.calls(EnableImageDeprecationCommand).map((c) => c.input.DeprecateAt)).toEqual([
      new Date(START + 120_000),
    ]);
    expect(result!.deprecationTime).toBe(new Date(START + 120_000).toISOString());
    expect(world.logs).toContain(
      `us-east-1: ${SOURCE} is older than deprecate-after-days (90): it deprecates at ${result!.deprecationTime}`,
    );
    world.resetCalls();
    world.now += 3_600_000;
    const [again] = await publishAmi(options, world.deps());
    expect(world.calls(EnableImageDeprecationCommand)).toEqual([]);
    expect(again!.deprecationTime).toBe(result!.deprecationTime);
  });

  it('moves a deprecation time that differs', async () => {
    const world = worldWithSource();
    await publishAmi(amiOptions({ regions: ['us-east-1'], deprecateAfterDays: 30 }), world.deps());
    world.resetCalls();
    const [result] = await publishAmi(
      amiOptions({ regions: ['us-east-1'], deprecateAfterDays: 60 }),
      world.deps(),
    );
    expect(world.calls(EnableImageDeprecationCommand)).toHaveLength(1);
    expect(world.image('us-east-1', SOURCE)!.DeprecationTime).toBe(result!.deprecationTime);
  });
});

describe('publishAmi: SSM parameters', () => {
  it('writes each region’s AMI id as aws:ec2:image and reads it back', async () => {
    const world = worldWithSource();
    const results = await publishAmi(
      amiOptions({ regions: ['us-east-1', 'eu-west-1'], ssmParameter: PARAM }),
      world.deps(),
    );
    expect(world.calls(PutParameterCommand).map((c) => [c.region, c.input])).toEqual(
      results.map((r) => [
        r.region,
        { Name: PARAM, Value: r.amiId, Type: 'String', DataType: 'aws:ec2:image', Overwrite: true },
      ]),
    );
    // One read to see what is there, one to confirm.
    expect(world.calls(GetParameterCommand, 'eu-west-1').map((c) => c.input)).toEqual([
      { Name: PARAM },
      { Name: PARAM },
    ]);
    expect(results.map((r) => [r.status, r.ssmParameter, r.ssmVersion])).toEqual([
      ['source', PARAM, 1],
      ['copied', PARAM, 1],
    ]);
    expect(world.logs).toContain(`us-east-1: ${PARAM} = ${SOURCE} (version 1)`);
  });

  it('keeps reading while Parameter Store has not applied the value yet', async () => {
    const world = worldWithSource();
    world.region('us-east-1').ssmLag = 3;
    const [result] = await publishAmi(
      amiOptions({ regions: ['us-east-1'], ssmParameter: PARAM }),
      world.deps(),
    );
    expect(result).toMatchObject({ status: 'source', ssmVersion: 1 });
    expect(world.calls(GetParameterCommand)).toHaveLength(5);
    expect(world.sleeps).toEqual([2000, 4000, 6000]);
  });

  it('fails the region when the read-back never shows the new value', async () => {
    const world = worldWithSource();
    await publishAmi(amiOptions({ regions: ['us-east-1'], ssmParameter: PARAM }), world.deps());
    world.region('eu-west-1').ssmLag = Infinity;
    world.resetCalls();
    const results = await publishAmi(
      amiOptions({ regions: ['us-east-1', 'eu-west-1'], ssmParameter: PARAM }),
      world.deps(),
    );
    expect(results[0]).toMatchObject({ status: 'source', ssmVersion: 1 });
    expect(results[1]).toMatchObject({
      status: 'failed',
      error: `The SSM parameter ${PARAM} in eu-west-1 still held nothing instead of ${results[1]!.amiId} after 6 reads: Parameter Store checks aws:ec2:image values asynchronously and has not accepted this one (the AMI must be available in eu-west-1 to this account).`,
    });
    expect(results[1]).not.toHaveProperty('ssmParameter');
    expect(world.calls(GetParameterCommand, 'eu-west-1')).toHaveLength(7);
    // The parameter already held the source's id: no new version.
    expect(world.calls(PutParameterCommand, 'us-east-1')).toEqual([]);
  });

  it('names the old value when the read-back keeps showing it', async () => {
    const world = worldWithSource();
    await publishAmi(amiOptions({ regions: ['eu-west-1'], ssmParameter: PARAM }), world.deps());
    const [old] = await publishAmi(amiOptions({ regions: ['eu-west-1'], ssmParameter: PARAM }), world.deps());
    // A new source AMI, published where Parameter Store now rejects the value.
    world.addImage('us-east-1', { ImageId: 'ami-0fedcba9876543210' });
    world.region('eu-west-1').ssmLag = Infinity;
    const [result] = await publishAmi(
      amiOptions({ amiId: 'ami-0fedcba9876543210', regions: ['eu-west-1'], ssmParameter: PARAM }),
      world.deps(),
    );
    expect(result!.error).toMatch(`still held ${old!.amiId} instead of ${result!.amiId} after 6 reads`);
  });

  it('writes a new version when the value changes, and none when it does not', async () => {
    const world = worldWithSource();
    world.addImage('us-east-1', { ImageId: 'ami-0fedcba9876543210' });
    await publishAmi(amiOptions({ regions: ['us-east-1'], ssmParameter: PARAM }), world.deps());
    const [next] = await publishAmi(
      amiOptions({ amiId: 'ami-0fedcba9876543210', regions: ['us-east-1'], ssmParameter: PARAM }),
      world.deps(),
    );
    expect(next).toMatchObject({ amiId: 'ami-0fedcba9876543210', ssmVersion: 2 });
    world.resetCalls();
    const [same] = await publishAmi(
      amiOptions({ amiId: 'ami-0fedcba9876543210', regions: ['us-east-1'], ssmParameter: PARAM }),
      world.deps(),
    );
    expect(same).toMatchObject({ ssmVersion: 2 });
    expect(world.calls(PutParameterCommand)).toEqual([]);
    expect(world.logs).toContain(`us-east-1: ${PARAM} already holds ami-0fedcba9876543210 (version 2)`);
  });

  it('fails the region, writing nothing, when the parameter exists with another data type, which Parameter Store cannot change', async () => {
    const world = worldWithSource();
    world.region('eu-west-1').params.set(PARAM, {
      Name: PARAM,
      Type: 'String',
      DataType: 'text',
      Value: 'ami-0fedcba9876543210',
      Version: 3,
    });
    const results = await publishAmi(
      amiOptions({ regions: ['us-east-1', 'eu-west-1'], ssmParameter: PARAM }),
      world.deps(),
    );
    expect(results[0]).toMatchObject({ status: 'source', ssmVersion: 1 });
    expect(results[1]).toMatchObject({
      status: 'failed',
      error: `The SSM parameter ${PARAM} in eu-west-1 already exists with data type text, and Parameter Store cannot change a parameter to or from aws:ec2:image: delete it (aws ssm delete-parameter --region eu-west-1 --name ${PARAM}) so that a re-run creates it as aws:ec2:image, or set ssm-parameter to another name.`,
    });
    expect(world.calls(PutParameterCommand, 'eu-west-1')).toEqual([]);
  });

  it('is a fake Parameter Store that refuses a change of data type, as AWS does', async () => {
    const world = worldWithSource();
    world
      .region('eu-west-1')
      .params.set(PARAM, { Name: PARAM, Type: 'String', DataType: 'text', Value: 'x', Version: 1 });
    const client = world.deps().ssm('eu-west-1');
    await expect(
      client.send(
        new PutParameterCommand({
          Name: PARAM,
          Value: SOURCE,
          Type: 'String',
          DataType: 'aws:ec2:image',
          Overwrite: true,
        }),
      ),
    ).rejects.toMatchObject({ name: 'ValidationException' });
  });

  it('retries a throttled write and fails the region on any other error', async () => {
    const world = worldWithSource();
    world.fail('us-east-1', 'PutParameter', awsError('ThrottlingException', 'Rate exceeded'));
    world.fail(
      'eu-west-1',
      'PutParameter',
      awsError('AccessDeniedException', 'not authorized to perform: ssm:PutParameter'),
    );
    const results = await publishAmi(
      amiOptions({ regions: ['us-east-1', 'eu-west-1'], ssmParameter: PARAM }),
      world.deps(),
    );
    expect(results[0]).toMatchObject({ status: 'source', ssmVersion: 1 });
    expect(results[1]).toMatchObject({
      status: 'failed',
      error: `Could not write ${results[1]!.amiId} to the SSM parameter ${PARAM} in eu-west-1: not authorized to perform: ssm:PutParameter`,
    });
    expect(world.calls(PutParameterCommand, 'us-east-1')).toHaveLength(2);
    expect(world.calls(PutParameterCommand, 'eu-west-1')).toHaveLength(1);
  });
});

describe('publishAmi: S3', () => {
  const BUCKET = 'acme-ami-archive';

  it('stores the source AMI from the source region, waits for the task, and does not start another on a re-run', async () => {
    const world = worldWithSource();
    const options = amiOptions({ regions: ['us-east-1', 'eu-west-1'], s3Bucket: BUCKET });
    const results = await publishAmi(options, world.deps());
    expect(world.calls(CreateStoreImageTaskCommand).map((c) => [c.region, c.input])).toEqual([
      [
        'us-east-1',
        {
          ImageId: SOURCE,
          Bucket: BUCKET,
          S3ObjectTags: [
            { Key: 'imagepipe:repository', Value: 'acme/golden' },
            { Key: 'imagepipe:commit', Value: '0123456789abcdef0123456789abcdef01234567' },
            { Key: 'imagepipe:run-url', Value: 'https://github.com/acme/golden/actions/runs/42' },
          ],
        },
      ],
    ]);
    expect(results.map((r) => [r.status, r.s3Object])).toEqual([
      ['source', `s3://${BUCKET}/${SOURCE}.bin`],
      ['copied', undefined],
    ]);
    expect(world.calls(DescribeStoreImageTasksCommand, 'us-east-1').map((c) => c.input)).toEqual(
      Array(4).fill({ ImageIds: [SOURCE] }),
    );
    expect(
      world.logs.filter((l) => l.startsWith('us-east-1: storing') && l.includes(': InProgress')),
    ).toEqual([
      expect.stringMatching(
        new RegExp(
          `^us-east-1: storing ${SOURCE} in s3://${BUCKET}/${SOURCE}\\.bin: InProgress 20% \\(\\d+s\\)$`,
        ),
      ),
      expect.stringMatching(/: InProgress 40% \(\d+s\)$/),
    ]);
    expect(world.logs).toContain(`us-east-1: stored ${SOURCE} in s3://${BUCKET}/${SOURCE}.bin`);

    world.resetCalls();
    const again = await publishAmi(options, world.deps());
    expect(world.calls(CreateStoreImageTaskCommand)).toEqual([]);
    expect(again[0]).toMatchObject({ status: 'source', s3Object: `s3://${BUCKET}/${SOURCE}.bin` });
    expect(world.logs).toContain(
      `us-east-1: ${SOURCE} has a store task to s3://${BUCKET}/${SOURCE}.bin (Completed)`,
    );
  });

  it('waits for a task still running from an earlier run instead of starting another', async () => {
    const world = worldWithSource();
    world.region('us-east-1').storePlan.polls = 20;
    const options = amiOptions({ regions: ['us-east-1'], s3Bucket: BUCKET, timeoutMinutes: 1 });
    const [timedOut] = await publishAmi(options, world.deps());
    expect(timedOut).toMatchObject({
      status: 'failed',
      amiId: SOURCE,
      error: `Storing ${SOURCE} in s3://${BUCKET}/${SOURCE}.bin was still InProgress 95% when timeout-minutes (1) ran out; the task goes on in AWS, and a re-run waits for it.`,
    });
    world.region('us-east-1').storeTasks[0]!.pollsLeft = 1;
    const [resumed] = await publishAmi({ ...options, timeoutMinutes: 30 }, world.deps());
    expect(resumed).toMatchObject({ status: 'source', s3Object: `s3://${BUCKET}/${SOURCE}.bin` });
    expect(world.calls(CreateStoreImageTaskCommand)).toHaveLength(1);
  });

  it('follows the running task it chose, not a newer one that failed', async () => {
    const world = worldWithSource();
    const tasks = world.region('us-east-1').storeTasks;
    const task = {
      AmiId: SOURCE,
      Bucket: BUCKET,
      S3objectKey: `${SOURCE}.bin`,
      ProgressPercentage: 40,
    };
    tasks.push(
      { ...task, StoreTaskState: 'InProgress', TaskStartTime: new Date(START - 600_000), pollsLeft: 1 },
      {
        ...task,
        StoreTaskState: 'Failed',
        StoreTaskFailureReason: 'a task started by hand, failed',
        TaskStartTime: new Date(START - 60_000),
        pollsLeft: 0,
      },
    );
    const [result] = await publishAmi(amiOptions({ regions: ['us-east-1'], s3Bucket: BUCKET }), world.deps());
    expect(result).toMatchObject({ status: 'source', s3Object: `s3://${BUCKET}/${SOURCE}.bin` });
    expect(world.calls(CreateStoreImageTaskCommand)).toEqual([]);
    expect(world.logs).toContain(
      `us-east-1: ${SOURCE} has a store task to s3://${BUCKET}/${SOURCE}.bin (InProgress)`,
    );
  });

  it('follows the task it started, not an older one', async () => {
    const world = worldWithSource();
    world.region('us-east-1').storeTasks.push({
      AmiId: SOURCE,
      Bucket: BUCKET,
      S3objectKey: `${SOURCE}.bin`,
      StoreTaskState: 'Failed',
      StoreTaskFailureReason: 'AccessDenied',
      TaskStartTime: new Date(START - 60_000),
      pollsLeft: 0,
    });
    world.region('us-east-1').storePlan.polls = 3;
    const [result] = await publishAmi(amiOptions({ regions: ['us-east-1'], s3Bucket: BUCKET }), world.deps());
    expect(result).toMatchObject({ status: 'source', s3Object: `s3://${BUCKET}/${SOURCE}.bin` });
    expect(world.calls(CreateStoreImageTaskCommand)).toHaveLength(1);
  });

  it('starts a new task after a failed one, and fails the region with EC2’s reason when that fails too', async () => {
    const world = worldWithSource();
    world.region('us-east-1').storePlan.fails = 'AccessDenied: s3:PutObject';
    const [failed] = await publishAmi(amiOptions({ regions: ['us-east-1'], s3Bucket: BUCKET }), world.deps());
    expect(failed).toMatchObject({
      status: 'failed',
      error: `Storing ${SOURCE} in s3://${BUCKET}/${SOURCE}.bin failed: AccessDenied: s3:PutObject.`,
    });
    world.region('us-east-1').storePlan.fails = undefined;
    world.now += 1000;
    const [stored] = await publishAmi(amiOptions({ regions: ['us-east-1'], s3Bucket: BUCKET }), world.deps());
    expect(stored).toMatchObject({ status: 'source', s3Object: `s3://${BUCKET}/${SOURCE}.bin` });
    expect(world.calls(CreateStoreImageTaskCommand)).toHaveLength(2);
  });

  it('needs the source region among the regions, before calling AWS', async () => {
    const world = worldWithSource();
    const run = publishAmi(amiOptions({ s3Bucket: BUCKET }), world.deps());
    await expect(run).rejects.toThrow(InputError);
    await expect(run).rejects.toThrow(`Invalid value "${BUCKET}" for input 's3-bucket'`);
    expect(world.calls(DescribeImagesCommand)).toEqual([]);
  });
});

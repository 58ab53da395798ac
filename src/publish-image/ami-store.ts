/**
 * The AMI stored as one object in an S3 bucket (CreateStoreImageTask), for the source AMI in
 * source-region: the bucket must be in the region of the AMI. A task for the same AMI and bucket
 * that completed or is still running is followed instead of starting another one. EC2 lists
 * store tasks of the past 31 days; after that a re-run stores again, to the same object key.
 */
import {
  CreateStoreImageTaskCommand,
  DescribeStoreImageTasksCommand,
  type StoreImageTaskResult,
} from '@aws-sdk/client-ec2';
import { wrapError } from '../core/errors.js';
import { formatElapsed, nextPoll, type AmiContext } from './ami-context.js';
import { provenanceTags } from './ami-inputs.js';

export interface StoreTask {
  region: string;
  imageId: string;
  bucket: string;
  /** The object key, once EC2 has named it. */
  key?: string;
  startedAt: number;
  /** The TaskStartTime of the earlier task followed; undefined for a task this run started. */
  taskStartTime?: number;
  /** For a task this run started: the start times of the tasks listed before it, none of them ours. */
  before?: number[];
}

/** The bucket's tasks for the AMI, the newest first. */
async function tasksFor(
  ctx: AmiContext,
  task: Omit<StoreTask, 'startedAt'>,
): Promise<StoreImageTaskResult[]> {
  try {
    const answer = await ctx.call(`${task.region}: list store tasks of ${task.imageId}`, () =>
      ctx.ec2(task.region).send(new DescribeStoreImageTasksCommand({ ImageIds: [task.imageId] })),
    );
    return (answer.StoreImageTaskResults ?? [])
      .filter((t) => t.AmiId === task.imageId && t.Bucket === task.bucket)
      .sort((a, b) => (b.TaskStartTime?.getTime() ?? 0) - (a.TaskStartTime?.getTime() ?? 0));
  } catch (error) {
    throw wrapError(`list the store tasks of ${task.imageId} in ${task.region}`, error);
  }
}

/** Finds a running or completed task for the AMI and bucket, or starts one. */
export async function startStore(
  ctx: AmiContext,
  region: string,
  imageId: string,
  bucket: string,
): Promise<StoreTask> {
  const startedAt = ctx.now();
  const tasks = await tasksFor(ctx, { region, imageId, bucket });
  const earlier =
    tasks.find((t) => t.StoreTaskState === 'InProgress') ??
    tasks.find((t) => t.StoreTaskState === 'Completed');
  if (earlier) {
    ctx.log(
      `${region}: ${imageId} has a store task to s3://${bucket}/${earlier.S3objectKey} (${earlier.StoreTaskState})`,
    );
    return {
      region,
      imageId,
      bucket,
      key: earlier.S3objectKey,
      startedAt,
      taskStartTime: earlier.TaskStartTime?.getTime() ?? 0,
    };
  }
  const before = tasks.map((t) => t.TaskStartTime?.getTime() ?? 0);
  const tags = Object.entries(provenanceTags(ctx.options)).map(([Key, Value]) => ({ Key, Value }));
  try {
    const answer = await ctx.call(`${region}: store ${imageId} in ${bucket}`, () =>
      ctx.ec2(region).send(
        new CreateStoreImageTaskCommand({
          ImageId: imageId,
          Bucket: bucket,
          ...(tags.length > 0 ? { S3ObjectTags: tags } : {}),
        }),
      ),
    );
    ctx.log(`${region}: storing ${imageId} in s3://${bucket}/${answer.ObjectKey}`);
    return { region, imageId, bucket, key: answer.ObjectKey, startedAt, before };
  } catch (error) {
    throw wrapError(`store ${imageId} in the S3 bucket ${bucket}`, error);
  }
}

/**
 * The task `task` follows among those listed: the earlier task chosen, by its start time and
 * object key; or the one this run started, the newest with its key that was not listed before.
 */
function followed(task: StoreTask, tasks: StoreImageTaskResult[]): StoreImageTaskResult | undefined {
  const sameKey = (t: StoreImageTaskResult) => task.key === undefined || t.S3objectKey === task.key;
  const start = (t: StoreImageTaskResult) => t.TaskStartTime?.getTime() ?? 0;
  if (task.taskStartTime !== undefined) {
    return tasks.find((t) => start(t) === task.taskStartTime && sameKey(t));
  }
  return tasks.find((t) => sameKey(t) && !(task.before ?? []).includes(start(t)));
}

/** Waits for the task startStore chose or started to complete; returns `s3://bucket/key`. */
export async function waitForStore(ctx: AmiContext, task: StoreTask): Promise<string> {
  const { region, imageId, bucket } = task;
  for (;;) {
    const latest = followed(task, await tasksFor(ctx, task));
    const key = latest?.S3objectKey ?? task.key ?? `${imageId}.bin`;
    const where = `s3://${bucket}/${key}`;
    const state = latest?.StoreTaskState ?? 'not listed yet';
    if (state === 'Completed') {
      ctx.log(`${region}: stored ${imageId} in ${where}`);
      return where;
    }
    if (state === 'Failed') {
      throw new Error(
        `Storing ${imageId} in ${where} failed: ${latest?.StoreTaskFailureReason || 'EC2 gave no reason'}.`,
      );
    }
    const progress = latest?.ProgressPercentage !== undefined ? ` ${latest.ProgressPercentage}%` : '';
    ctx.log(
      `${region}: storing ${imageId} in ${where}: ${state}${progress} (${formatElapsed(ctx.now() - task.startedAt)})`,
    );
    await nextPoll(
      ctx,
      () =>
        new Error(
          `Storing ${imageId} in ${where} was still ${state}${progress} when timeout-minutes (${ctx.options.timeoutMinutes}) ran out; the task goes on in AWS, and a re-run waits for it.`,
        ),
    );
  }
}

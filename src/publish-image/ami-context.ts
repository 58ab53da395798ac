/**
 * What every step of an AMI publish shares: the clients, the log, one deadline for every wait,
 * and AWS calls retried on throttling (the SDK retries too, but a burst of parallel polls across
 * regions can outlast its attempts).
 */
import type { EC2Client, Image } from '@aws-sdk/client-ec2';
import type { SSMClient } from '@aws-sdk/client-ssm';
import { isThrottling } from '../core/aws.js';
import { realSleep, retry } from '../core/retry.js';
import type { AmiDeps, AmiPublishOptions } from './ami.js';

export const DEFAULT_POLL_INTERVAL_MS = 15_000;
/** Tries of `ctx.call`, on top of the SDK client's own retries. */
export const CALL_ATTEMPTS = 3;

export interface AmiContext {
  options: AmiPublishOptions;
  ec2(region: string): EC2Client;
  ssm(region: string): SSMClient;
  log(message: string): void;
  sleep(ms: number): Promise<void>;
  now(): number;
  /** When every wait gives up: the start plus timeout-minutes. */
  deadline: number;
  pollIntervalMs: number;
  /** One AWS call, retried with backoff while AWS throttles it (after the SDK's own retries). */
  call<T>(label: string, fn: () => Promise<T>): Promise<T>;
}

export function makeContext(options: AmiPublishOptions, deps: AmiDeps): AmiContext {
  const sleep = deps.sleep ?? realSleep;
  const now = deps.now ?? Date.now;
  return {
    options,
    ec2: deps.ec2,
    ssm: deps.ssm,
    log: deps.log,
    sleep,
    now,
    deadline: now() + options.timeoutMinutes * 60_000,
    pollIntervalMs: deps.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS,
    // Every client already retries throttling itself (clientConfig: adaptive mode, 8 attempts, with
    // client-side rate limiting), so these tries multiply its attempts: 3 of them only catch the
    // rare throttle that outlasts the SDK's retries, as a burst of parallel polls can, without
    // turning one call into dozens of requests.
    call: (label, fn) =>
      retry(fn, {
        label,
        attempts: CALL_ATTEMPTS,
        baseDelayMs: 1000,
        retryable: isThrottling,
        sleep,
        log: deps.log,
      }),
  };
}

/**
 * Sleeps until the next poll, or throws `timedOut()` once the deadline has passed. The last poll
 * happens at the deadline itself, so a wait never ends early by up to one interval.
 */
export async function nextPoll(ctx: AmiContext, timedOut: () => Error): Promise<void> {
  const left = ctx.deadline - ctx.now();
  if (left <= 0) throw timedOut();
  await ctx.sleep(Math.min(ctx.pollIntervalMs, left));
}

/** `45s`, `2m10s`, `1h05m`. */
export function formatElapsed(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m${String(seconds % 60).padStart(2, '0')}s`;
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}m`;
}

/** The snapshots an AMI's block device mappings point at, in mapping order. */
export function snapshotIdsOf(image: Image): string[] {
  return (image.BlockDeviceMappings ?? []).flatMap((m) => (m.Ebs?.SnapshotId ? [m.Ebs.SnapshotId] : []));
}

export function isEncrypted(image: Image): boolean {
  return (image.BlockDeviceMappings ?? []).some((m) => m.Ebs?.Encrypted === true);
}

export function errorName(error: unknown): string {
  return (error as { name?: string } | undefined)?.name ?? '';
}

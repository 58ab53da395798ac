/**
 * Retries with capped exponential backoff and full jitter. Every retry is labelled in the log;
 * the sleep and the randomness are injectable so tests run instantly and deterministically.
 */
import { errorMessage } from './errors.js';

export interface RetryOptions {
  /** What is being tried, for the log: "push layer sha256:…". */
  label: string;
  /** Total tries, the first included. Default 5. */
  attempts?: number;
  /** First backoff ceiling in ms. Default 500. */
  baseDelayMs?: number;
  /** Largest backoff ceiling in ms. Default 20 000. */
  maxDelayMs?: number;
  /** Whether an error is worth another try. Default: every error. */
  retryable?: (error: unknown) => boolean;
  /** The wait an error asks for (a server's Retry-After), used instead of the backoff, up to maxDelayMs. */
  delayOf?: (error: unknown) => number | undefined;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  log?: (message: string) => void;
}

export const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The delay before try number `attempt + 1` (attempt counts from 1): uniform in [0, ceiling]. */
export function backoffDelay(attempt: number, base: number, max: number, random: () => number): number {
  const ceiling = Math.min(max, base * 2 ** (attempt - 1));
  return Math.round(random() * ceiling);
}

export async function retry<T>(fn: (attempt: number) => Promise<T>, options: RetryOptions): Promise<T> {
  const attempts = options.attempts ?? 5;
  const sleep = options.sleep ?? realSleep;
  const random = options.random ?? Math.random;
  const retryable = options.retryable ?? (() => true);
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (error) {
      if (attempt >= attempts || !retryable(error)) throw error;
      const asked = options.delayOf?.(error);
      const delay =
        asked !== undefined && asked >= 0
          ? Math.min(asked, options.maxDelayMs ?? 20_000)
          : backoffDelay(attempt, options.baseDelayMs ?? 500, options.maxDelayMs ?? 20_000, random);
      options.log?.(
        `${options.label}: try ${attempt} of ${attempts} failed (${errorMessage(error)}); retrying in ${delay} ms`,
      );
      await sleep(delay);
    }
  }
}

/**
 * Reading a registry's answers: its JSON error list, `Retry-After`, and the error an unwanted
 * answer becomes, with whether trying again can help.
 */
import { UserError } from '../core/errors.js';
import type { HttpResponse } from './http.js';

/** An answer the registry gave that we did not want, with its own error codes and messages. */
export class RegistryError extends UserError {
  constructor(
    readonly what: string,
    readonly status: number,
    readonly detail: string,
    /** How long the registry asked us to wait (Retry-After), in ms. */
    readonly retryAfterMs?: number,
  ) {
    super(`${what}: the registry answered ${status}${detail ? ` ${detail}` : ''}`);
  }
  /** The registry no longer knows the upload (or its offset): start a new one. */
  get uploadLost(): boolean {
    return this.status === 404 || this.status === 416 || /BLOB_UPLOAD_(UNKNOWN|INVALID)/.test(this.detail);
  }
  get transient(): boolean {
    return this.status === 429 || this.status === 408 || (this.status >= 500 && this.status !== 501);
  }
}

/** The registry's JSON error list, as `CODE: message`, or the start of whatever it sent. */
export function errorDetail(response: HttpResponse): string {
  const text = response.body.toString('utf8');
  try {
    const parsed = JSON.parse(text) as { errors?: Array<{ code?: string; message?: string }> };
    if (parsed.errors?.length)
      return parsed.errors.map((e) => `${e.code ?? ''}: ${e.message ?? ''}`.trim()).join('; ');
  } catch {
    // not JSON
  }
  if (/^\s*</.test(text)) return '(an HTML page)';
  return text.replace(/\s+/g, ' ').trim().slice(0, 200);
}

/** A `Retry-After` header (seconds, or an HTTP date) in ms; undefined when absent or unreadable. */
export function retryAfter(response: HttpResponse, now = Date.now()): number | undefined {
  const value = String(response.headers['retry-after'] ?? '').trim();
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

export function statusText(status: number, response: HttpResponse): string {
  const detail = errorDetail(response);
  return detail ? `${status} ${detail}` : String(status);
}

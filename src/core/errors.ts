/**
 * Errors the user can fix (a bad input, a missing file, a broken config) are `UserError`s: they
 * become one clear line and a failed step, never a stack trace. Anything else is an internal
 * failure, reported the same way with its stack kept for debug logs.
 */
export class UserError extends Error {
  override readonly name = 'UserError';
}

/** A bad input value: names the input, the value and what is allowed. */
export class InputError extends UserError {
  constructor(
    readonly input: string,
    readonly value: string,
    readonly allowed: string,
  ) {
    super(`Invalid value ${JSON.stringify(value)} for input '${input}': ${allowed}.`);
  }
}

export function isUserError(error: unknown): error is UserError {
  return error instanceof UserError;
}

/** The message of anything thrown, for logs and wrapping. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

/**
 * "Could not X: cause". Keeps a UserError a UserError, so wrapping a config problem in context
 * does not turn it into an internal failure.
 */
export function wrapError(what: string, error: unknown): Error {
  const message = `Could not ${what}: ${errorMessage(error)}`;
  const wrapped = isUserError(error)
    ? new UserError(message, { cause: error })
    : new Error(message, { cause: error });
  if (error instanceof Error && error.stack) wrapped.stack = `${message}\nCaused by: ${error.stack}`;
  return wrapped;
}

/**
 * Errors that describe bad input from outside (a number that does not fit,
 * an unknown struct, a truncated snapshot). The CLI prints `message` as one
 * line and exits 2; library callers can catch the class.
 *
 * A `MemdescInputError` is never a bug in memdesc; anything else that escapes
 * a command is, and the CLI says so instead of printing a stack trace.
 */
export class MemdescInputError extends Error {
  override readonly name = "MemdescInputError";
}

/** Throw a {@link MemdescInputError}; usable in expression position. */
export function inputError(message: string): never {
  throw new MemdescInputError(message);
}

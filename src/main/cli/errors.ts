/**
 * Errors the user can act on (bad argument, missing run folder) versus bugs. Both are printed as one
 * line; a stack trace only with STEER_DEBUG=1 (say where, what was expected, what
 * was found).
 */

/** A problem with what the user asked for: printed as one line, no stack trace. */
export class CliError extends Error {
  override readonly name = 'CliError';
}

/** Environment variable that makes the CLI print stack traces. */
export const DEBUG_ENV_VAR = 'STEER_DEBUG';

/** One line for any thrown value: multi-line messages are joined with '; '. */
export function errorLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .join('; ');
}

/** Whether STEER_DEBUG asks for stack traces. */
export function debugEnabled(): boolean {
  const value = process.env[DEBUG_ENV_VAR];
  return value !== undefined && value !== '' && value !== '0';
}

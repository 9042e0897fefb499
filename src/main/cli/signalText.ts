/**
 * What `steer` prints on stderr when SIGINT or SIGTERM arrives (src/main/cli.ts): most commands
 * finish the step in progress and save their state; `steer web` stops its server, its training
 * jobs saving a checkpoint first (docs/cli.md "steer web").
 */

/** The line for `signal` received while `command` (the first argument of `steer`) runs. */
export function signalText(signal: string, command: string | undefined): string {
  const doing =
    command === 'web'
      ? 'stopping the server (running training jobs save a checkpoint first, within 10 s)'
      : 'finishing the current step and saving';
  return `\nsteer: ${signal} received: ${doing} (again to quit now)\n`;
}

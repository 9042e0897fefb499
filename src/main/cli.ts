/**
 * Entry of the `steer` binary (bin/steer.js imports it through tsx). SIGINT and SIGTERM abort the
 * running command, which saves its state and returns; a second signal exits at once.
 */

import { EXIT_INTERRUPTED, processContext } from './cli/context.js';
import { runCli } from './commands/program.js';

const controller = new AbortController();
const onSignal = (signal: NodeJS.Signals) => {
  if (controller.signal.aborted) process.exit(EXIT_INTERRUPTED); // second Ctrl-C: stop now
  process.stderr.write(
    `\nsteer: ${signal} received: finishing the current step and saving (again to quit now)\n`,
  );
  controller.abort();
};
// A closed pipe (`steer replay export … | head`) ends the output, not the program with a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

// The handlers stay until the process ends: after the command has returned, the process may still
// wait for training threads to save their checkpoints (`steer web`), and a second signal then
// must still exit at once.
process.exitCode = await runCli(process.argv.slice(2), processContext(controller.signal));

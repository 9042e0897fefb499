/**
 * Entry of the `steer` binary (bin/steer.js imports it through tsx). SIGINT and SIGTERM abort the
 * running command, which saves its state and returns; a second signal exits at once. A child of
 * `steer table1` or `steer compare` ignores SIGINT: its parent stops it (see below). A child of
 * `steer worker` also dies with its parent (watchParent).
 */

import { EXIT_INTERRUPTED, processContext } from './cli/context.js';
import { signalText } from './cli/signalText.js';
import { runCli } from './commands/program.js';
import { STEER_PARENT_ENV, watchParent } from './workers/steerChildren.js';

const controller = new AbortController();
const onSignal = (signal: NodeJS.Signals) => {
  if (controller.signal.aborted) process.exit(EXIT_INTERRUPTED); // second Ctrl-C: stop now
  process.stderr.write(signalText(signal, process.argv[2]));
  controller.abort();
};
// A closed pipe (`steer replay export … | head`) ends the output, not the program with a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});
// A child of table1/compare (src/main/workers/steerChildren.ts) is in its parent's process group,
// so a terminal's Ctrl-C reaches both; the parent then sends it SIGTERM, which would be its second
// signal and end it without saving. So it leaves SIGINT to its parent (ignored, not the default,
// which would kill it) and stops on the parent's SIGTERM alone.
const stoppedByParent = process.env[STEER_PARENT_ENV] === String(process.ppid);
process.on('SIGINT', stoppedByParent ? () => {} : onSignal);
process.on('SIGTERM', onSignal);
watchParent();

// The handlers stay until the process ends: after the command has returned, the process may still
// wait for training threads to save their checkpoints (`steer web`), and a second signal then
// must still exit at once.
process.exitCode = await runCli(process.argv.slice(2), processContext(controller.signal));

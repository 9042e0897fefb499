/**
 * Entry of `npm run analyse:matrix-policy -- <run folder or runs dir> […] [--json] [--backend <name>]`
 * (src/main/analysis/matrixPolicyCommand.ts says what it does; docs/cli.md shows it). Not a `steer`
 * subcommand but a diagnostic beside it, as `npm run trace:last-stage` is.
 */
import { processContext } from '../cli/context.js';
import { debugEnabled, errorLine } from '../cli/errors.js';
import { analyseMatrixPolicy } from './matrixPolicyCommand.js';

try {
  process.exitCode = await analyseMatrixPolicy(process.argv.slice(2), processContext());
} catch (error) {
  process.stderr.write(`analyse:matrix-policy: error: ${errorLine(error)}\n`);
  if (debugEnabled() && error instanceof Error) process.stderr.write(`${error.stack}\n`);
  process.exitCode = 1;
}

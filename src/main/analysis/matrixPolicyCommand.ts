/**
 * `npm run analyse:matrix-policy -- <run folder or runs dir> […] [--json] [--backend <name>]`
 *
 * What the saved policies of single-step matrix-game runs play (docs/cli.md, "What a matrix-game
 * policy plays"): every run folder named, or found under a folder named (folders holding
 * config.json, recursively), is loaded from its latest checkpoint, whatever its algorithm, and its
 * exact joint action distribution is compared with the game's target and Nash equilibria
 * (docs/spec/steer.md §c.5, §c.7). Runs of other envs found under a folder are skipped with a note;
 * a run folder named that is not a single-step matrix run is an error naming it.
 */
import { parseArgs } from 'node:util';
import { initBackend } from '../../core/nn/node/backends.js';
import { type CommandContext, userPath } from '../cli/context.js';
import { errorLine } from '../cli/errors.js';
import { NotMatrixGameError } from './matrixGameInfo.js';
import { analyseMatrixRun, type MatrixPolicyRun } from './matrixPolicyRun.js';
import { type MatrixPolicyReport, summariseMatrixPolicies } from './matrixPolicySummary.js';
import { formatMatrixPolicyReport } from './matrixPolicyText.js';
import { findRunFolders, type RunFolder } from './runFolders.js';

/** The script's name in messages. */
const NAME = 'analyse:matrix-policy';

const USAGE = `usage: npm run ${NAME} -- <run folder or runs dir> [...] [--json] [--backend <name>]

Loads each single-step matrix-game run's latest checkpoint (any algorithm) and prints its exact joint
action distribution: greedy cell, P(greedy cell), P(target cell), both agents' marginals, expected
payoffs and the Nash equilibrium they sit near; then per (algorithm, game) a summary.

  --json            one JSON object (games, runs, groups, skipped, failed) instead of the text
  --backend <name>  tfjs-node-gpu, tfjs-node, wasm, cpu or auto (default: $STEER_BACKEND or auto)
`;

/** What `--json` prints. */
export interface MatrixPolicyJson extends MatrixPolicyReport {
  readonly backend: string;
  /** Runs of other envs found under a folder named. */
  readonly skipped: { readonly runDir: string; readonly reason: string }[];
  /** Folders that could not be analysed. */
  readonly failed: { readonly path: string; readonly error: string }[];
}

/**
 * Runs the analysis on `argv` (the arguments after the script's name); returns the exit code: 0,
 * or 1 when an argument is wrong, nothing could be analysed or any folder failed (listed on stderr).
 */
export async function analyseMatrixPolicy(argv: readonly string[], ctx: CommandContext): Promise<number> {
  let parsed: ReturnType<typeof parseArguments>;
  try {
    parsed = parseArguments(argv);
  } catch (error) {
    ctx.stderr.write(`${NAME}: error: ${errorLine(error)}\n${USAGE}`);
    return 1;
  }
  if (parsed.values.help) {
    ctx.stdout.write(USAGE);
    return 0;
  }
  if (parsed.positionals.length === 0) {
    ctx.stderr.write(`${NAME}: error: expected at least one run folder or folder of runs\n${USAGE}`);
    return 1;
  }
  const failed: MatrixPolicyJson['failed'] = [];
  const folders: RunFolder[] = [];
  for (const path of parsed.positionals) {
    try {
      folders.push(...(await findRunFolders(userPath(ctx, path))));
    } catch (error) {
      failed.push({ path, error: errorLine(error) });
    }
  }
  const backend =
    folders.length === 0
      ? 'none'
      : (await initBackend(parsed.values.backend, (line) => ctx.stderr.write(`${line}\n`))).name;
  const { runs, skipped } = await analyseFolders(folders, failed, ctx);
  for (const failure of failed) ctx.stderr.write(`${NAME}: error: ${failure.error}\n`);
  if (runs.length === 0) {
    ctx.stderr.write(`${NAME}: error: no single-step matrix-game run to analyse\n`);
    return 1;
  }
  const report = summariseMatrixPolicies(runs);
  if (parsed.values.json) {
    const json: MatrixPolicyJson = { backend, ...report, skipped, failed };
    ctx.stdout.write(`${JSON.stringify(json)}\n`);
  } else {
    ctx.stdout.write(formatMatrixPolicyReport(report));
  }
  return failed.length > 0 ? 1 : 0;
}

function parseArguments(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      json: { type: 'boolean', default: false },
      backend: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
}

/**
 * Analyses each folder in turn. A run of another env found under a folder is skipped (noted on
 * stderr); one named on the command line, and any other error, is added to `failed`.
 */
async function analyseFolders(
  folders: readonly RunFolder[],
  failed: MatrixPolicyJson['failed'],
  ctx: CommandContext,
): Promise<{ runs: MatrixPolicyRun[]; skipped: MatrixPolicyJson['skipped'] }> {
  const runs: MatrixPolicyRun[] = [];
  const skipped: MatrixPolicyJson['skipped'] = [];
  for (const folder of folders) {
    try {
      runs.push(await analyseMatrixRun(folder.dir));
    } catch (error) {
      if (error instanceof NotMatrixGameError && folder.origin === 'found') {
        skipped.push({ runDir: folder.dir, reason: error.message });
        ctx.stderr.write(`${NAME}: skipped ${error.message}\n`);
      } else {
        failed.push({ path: folder.dir, error: errorLine(error) });
      }
    }
  }
  return { runs, skipped };
}

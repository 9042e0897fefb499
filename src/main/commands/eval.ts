/**
 * `steer eval <run>`: plays one greedy episode with the run's latest checkpoint and judges it by
 * spec/steer.md §c.7. A policy that has not converged is a result, not an error: exit code 0.
 */
import type { Command } from 'commander';
import { initBackend } from '../../core/nn/node/backends.js';
import { type CommandContext, userPath } from '../cli/context.js';
import { evaluationFields, formatFields } from '../cli/format.js';
import { evaluateRun } from '../train/evaluateRun.js';
import { readRunConfig } from '../train/runDir.js';

/** Options of `steer eval`. */
export interface EvalOptions {
  json?: boolean;
  backend?: string;
}

/** What `steer eval --json` prints (one line). */
export interface EvalReport {
  runDir: string;
  env: string;
  seed: number;
  updates: number;
  totalUpdates: number;
  backend: string;
  converged: boolean;
  returns: number[];
  target: number[] | null;
  actions: number[][];
}

/** Adds `eval` to the program. */
export function registerEvalCommand(
  program: Command,
  run: (runDir: string, options: EvalOptions) => Promise<void>,
): void {
  program
    .command('eval')
    .description("greedy episode of a run's latest checkpoint, judged against the Table 1 target (spec §c.7)")
    .argument('<run>', 'run folder made by steer train, e.g. runs/demo')
    .option('--json', 'print one JSON object: env, updates, actions, returns, target, converged')
    .option(
      '--backend <name>',
      'tfjs-node-gpu, tfjs-node, wasm, cpu or auto (default: $STEER_BACKEND or auto)',
    )
    .action(run);
}

/** Runs `steer eval`; returns the exit code (0 whether or not the policy converged). */
export async function evalCommand(
  runDir: string,
  options: EvalOptions,
  ctx: CommandContext,
): Promise<number> {
  const dir = userPath(ctx, runDir);
  await readRunConfig(dir); // a bad folder fails here, before the backend starts
  const backend = (await initBackend(options.backend, (line) => ctx.stderr.write(`${line}\n`))).name;
  const { run, update, evaluation: e } = await evaluateRun(dir);
  if (options.json) {
    const report: EvalReport = {
      runDir,
      env: run.env,
      seed: run.train.seed,
      updates: update,
      totalUpdates: run.totalUpdates,
      backend,
      converged: e.converged,
      returns: e.returns,
      target: e.target,
      actions: e.actions,
    };
    ctx.stdout.write(`${JSON.stringify(report)}\n`);
  } else {
    ctx.stdout.write(
      formatFields([
        ['run', runDir],
        ['env', `${run.env}, seed ${run.train.seed}, ${update}/${run.totalUpdates} updates`],
        ...evaluationFields(e),
      ]),
    );
  }
  return 0;
}

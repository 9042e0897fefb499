/**
 * `steer bench --env mujoco[:<game>]`: env steps per second of an MA-MuJoCo env (default
 * mujoco:HalfCheetah-6x1, the reference's preset) in this thread and on a worker pool, as a table,
 * JSON lines (--json) or a results card (--markdown). docs/envs/mujoco.md "Speed".
 */

import { availableParallelism } from 'node:os';
import { benchMujoco, DEFAULT_MUJOCO_BENCH_ENV, type MujocoBenchFigure } from '../bench/mujocoBench.js';
import { type BenchCardText, benchRunInfo, reportBenchTable } from '../cli/benchCard.js';
import type { CommandContext } from '../cli/context.js';
import { CliError } from '../cli/errors.js';
import { formatCount } from '../cli/format.js';

/** The options of `steer bench` this command reads (bench.ts's BenchCommandOptions has them). */
export interface MujocoBenchCommandOptions {
  readonly env?: string;
  readonly json?: boolean;
  readonly repeats: number;
  readonly warmup?: number;
  readonly markdown?: string;
  readonly workers?: number;
  readonly steps?: number;
}

/** Default --steps: env steps per measured run (per worker); 10 HalfCheetah episodes. */
export const DEFAULT_MUJOCO_STEPS = 10_000;
/** Default --warmup: unmeasured runs before the figures. */
const MUJOCO_WARMUP = 2;

/** Runs the MuJoCo figures; returns the exit code. */
export async function benchMujocoCommand(
  options: MujocoBenchCommandOptions,
  ctx: CommandContext,
  argv: readonly string[],
): Promise<number> {
  const env = options.env === 'mujoco' ? DEFAULT_MUJOCO_BENCH_ENV : options.env!;
  const run = benchRunInfo(); // before the load we add
  const workers = options.workers ?? availableParallelism();
  if (!options.json) ctx.stderr.write(`bench: ${env}, 1 and ${workers} workers …\n`);
  let figures: MujocoBenchFigure[];
  try {
    figures = await benchMujoco(
      {
        env,
        steps: options.steps ?? DEFAULT_MUJOCO_STEPS,
        repeats: options.repeats,
        warmup: options.warmup ?? MUJOCO_WARMUP,
        workers,
      },
      (figure) => {
        if (options.json) ctx.stdout.write(`${JSON.stringify(figure)}\n`);
      },
    );
  } catch (error) {
    throw new CliError(`--env ${options.env}: ${(error as Error).message}`);
  }
  const table = formatMujocoBenchTable(figures);
  await reportBenchTable(ctx, options, argv, table, MUJOCO_CARD, run);
  return 0;
}

/** The figures as a Markdown table: env, workers, steps/s, per worker, time per step. */
export function formatMujocoBenchTable(figures: readonly MujocoBenchFigure[]): string {
  const rows = figures.map((f) => [
    f.env,
    String(f.workers),
    `${formatCount(f.value)} ${f.unit}`,
    formatCount(f.per_worker),
    `${((1e6 * f.workers) / f.value).toFixed(1)} µs`,
    String(f.median_of),
  ]);
  const header = ['env', 'workers', 'value', 'per worker', 'time per step', 'median of'];
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  const line = (cells: string[]) => `| ${cells.map((cell, c) => cell.padEnd(widths[c]!)).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}

/** The results card's text (--markdown). */
const MUJOCO_CARD: BenchCardText = {
  title: 'Performance: MA-MuJoCo env steps per second',
  intro: [
    'Written by `steer bench --env mujoco --markdown`; do not edit by hand. Env steps per second with',
    "uniformly random actions in [−1, 1]: the frame skip of MuJoCo steps, every agent's observation,",
    'the state and the reward included, resets at episode ends. Pool figures: all workers started',
    "together, total steps / wall time. Issue #11's target: ≥ 20,000 HalfCheetah env steps/s per core",
    '(docs/envs/mujoco.md "Speed").',
  ],
};

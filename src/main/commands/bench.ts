/**
 * `steer bench`: rollout-inference and PPO-update speed at the shapes of docs/spec/performance.md,
 * against the reference's figures; with `--env horm`, the HORM simulator's policy steps/s per
 * density on one core and on a worker pool. A table for people; with --json one JSON line per
 * figure; with --markdown a results card (command, date, machine, backend, table).
 */
import type { Command } from 'commander';
import { DEFAULT_TRAIN_CONFIG } from '../../core/algos/config.js';
import { initBackend } from '../../core/nn/node/backends.js';
import { BENCH_SHAPES, type BenchShape } from '../bench/benchShapes.js';
import { type BenchFigure, benchShape, figureMilliseconds } from '../bench/runBench.js';
import { benchSim, defaultSimWorkers, type SimBenchFigure } from '../bench/simBench.js';
import { type BenchCardText, benchRunInfo, reportBenchTable } from '../cli/benchCard.js';
import { type CommandContext, userPath } from '../cli/context.js';
import { CliError } from '../cli/errors.js';
import { formatCount } from '../cli/format.js';
import { commandLine } from '../cli/invocation.js';
import { commaList, integerAtLeast } from '../cli/options.js';
import { writeFileAtomic } from '../io/atomicWrite.js';
import { gradientHelpers } from '../train/gradientWorkers.js';
import { benchBridgeCommand } from './benchBridge.js';
import { benchMujocoCommand, DEFAULT_MUJOCO_STEPS } from './benchMujoco.js';

/** Unmeasured repeats before the network figures: the helper threads' code warms up on updates only. */
const NETWORK_WARMUP = 10;
/** Unmeasured runs before the simulator figures. */
const SIM_WARMUP = 5;

/** Options of `steer bench`. */
export interface BenchCommandOptions {
  json?: boolean;
  backend?: string;
  repeats: number;
  warmup?: number;
  shapes?: string[];
  markdown?: string;
  env?: string;
  workers?: number;
  steps?: number;
  updateThreads?: number;
}

/** Envs `--env` accepts (and mujoco:<game>). */
export const BENCH_ENVS = ['horm', 'mujoco'] as const;
/** Default --steps of `--env horm`: policy steps per measured run (per worker). */
export const DEFAULT_SIM_STEPS = 5000;

/** Adds `bench` to the program. */
export function registerBenchCommand(
  program: Command,
  run: (options: BenchCommandOptions) => Promise<void>,
): void {
  program
    .command('bench')
    .description(
      'time rollout inference and one PPO update at the MATRIX and HORM shapes (docs/spec/performance.md)',
    )
    .option('--json', 'one JSON line per figure instead of the table')
    .option(
      '--backend <name>',
      'tfjs-node-gpu, tfjs-node, wasm, cpu or auto (default: $STEER_BACKEND or auto)',
    )
    .option('--repeats <n>', 'measured repeats per figure (the median is reported)', integerAtLeast(1), 5)
    .option(
      '--warmup <n>',
      `unmeasured repeats first (JIT and kernel caches settle): default ${NETWORK_WARMUP} for the network (the gradient helper threads warm up on updates only), ${SIM_WARMUP} for --env`,
      integerAtLeast(0),
    )
    .option('--shapes <names>', 'comma-separated shapes: MATRIX,HORM (default both)', commaList)
    .option('--markdown <file>', 'also write the table as a results card, e.g. docs/results/performance.md')
    .option(
      '--update-threads <n>',
      "threads computing each update's gradient shards, this one included (default: as steer train, one per core up to the shards)",
      integerAtLeast(1),
    )
    .option(
      '--env <name>',
      'horm: time the HORM simulator (policy steps/s per density, supervisor on); mujoco or mujoco:<game>: time an MA-MuJoCo env (env steps/s, default mujoco:HalfCheetah-6x1) instead of the network',
    )
    .option(
      '--workers <n>',
      '--env: worker threads of the pool figure (default: the cores available; 1 = one core only)',
      integerAtLeast(1),
    )
    .option(
      '--steps <n>',
      `--env: steps per measured run, per worker (default ${DEFAULT_SIM_STEPS} for horm, ${DEFAULT_MUJOCO_STEPS} for mujoco)`,
      integerAtLeast(1),
    )
    .action(run);
}

/** The shapes named by --shapes (case-insensitive), default all. */
export function selectShapes(names: readonly string[] | undefined): BenchShape[] {
  if (names === undefined || names.length === 0) return [...BENCH_SHAPES];
  return names.map((name) => {
    const shape = BENCH_SHAPES.find((s) => s.name === name.toUpperCase());
    if (shape === undefined) {
      throw new CliError(
        `--shapes: unknown shape "${name}"; valid: ${BENCH_SHAPES.map((s) => s.name).join(', ')}`,
      );
    }
    return shape;
  });
}

/** Runs `steer bench`; returns the exit code. */
export async function benchCommand(
  options: BenchCommandOptions,
  ctx: CommandContext,
  argv: readonly string[],
): Promise<number> {
  if (options.env !== undefined) return benchEnvCommand(options, ctx, argv);
  const simOnly = (
    [
      ['workers', '--workers'],
      ['steps', '--steps'],
    ] as const
  ).filter(([key]) => options[key] !== undefined);
  if (simOnly.length > 0) {
    throw new CliError(`${simOnly.map(([, flag]) => flag).join(', ')}: only with --env`);
  }
  const shapes = selectShapes(options.shapes);
  const run = benchRunInfo(); // before the load we add
  const choice = await initBackend(options.backend, (line) => ctx.stderr.write(`${line}\n`));
  const backend = choice.name;
  const shards = DEFAULT_TRAIN_CONFIG.gradientShards;
  const threads = Math.min(options.updateThreads ?? gradientHelpers(shards, choice.tfjsName) + 1, shards);
  const figures: BenchFigure[] = [];
  for (const shape of shapes) {
    if (!options.json) ctx.stderr.write(`bench: ${shape.name} …\n`);
    const measured = await benchShape(shape, {
      repeats: options.repeats,
      warmup: options.warmup ?? NETWORK_WARMUP,
      callsPerRepeat: 20,
      backend,
      ...(options.updateThreads === undefined ? {} : { updateThreads: options.updateThreads }),
    });
    for (const figure of measured) {
      figures.push(figure);
      if (options.json) ctx.stdout.write(`${JSON.stringify(figure)}\n`);
    }
  }
  const table = formatBenchTable(figures);
  if (!options.json) ctx.stdout.write(`${table}\n`);
  if (options.markdown !== undefined) {
    const command = commandLine(argv);
    await writeFileAtomic(
      userPath(ctx, options.markdown),
      formatBenchReport(table, {
        command,
        backend,
        machine: run.machine,
        date: run.date,
        update: `${shards} gradient shards on ${threads} thread${threads === 1 ? '' : 's'}`,
      }),
    );
    ctx.stderr.write(`wrote ${options.markdown}\n`);
  }
  return 0;
}

/** The figures as a Markdown table: shape, figure, value, reference, ratio, time per call. */
export function formatBenchTable(figures: readonly BenchFigure[]): string {
  const rows = figures.map((f) => {
    const shape = BENCH_SHAPES.find((s) => s.name === f.shape)!;
    const ms = figureMilliseconds(f, shape);
    return [
      f.shape,
      f.name,
      `${formatCount(f.value)} ${f.unit}`,
      `${formatCount(f.reference)}`,
      `${f.ratio.toFixed(2)}×`,
      `${ms.toFixed(ms < 10 ? 2 : 1)} ms ${f.name === 'inference' ? 'per act()' : 'per update'}`,
      `${f.median_of}`,
    ];
  });
  const header = ['shape', 'figure', 'value', 'reference', 'ratio', 'time', 'median of'];
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  const line = (cells: string[]) => `| ${cells.map((cell, c) => cell.padEnd(widths[c]!)).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}

function formatBenchReport(
  table: string,
  info: { command: string; backend: string; machine: string; date: string; update: string },
): string {
  return [
    '# Performance: STEER Studio against the reference',
    '',
    'Written by `steer bench --markdown`; do not edit by hand. Shapes, reference figures and targets:',
    'docs/spec/performance.md (reference = PyTorch 1.13 on the CPU, one thread). Ratio = ours / reference;',
    'the target is ≥ 1.0 on the wasm backend.',
    '',
    `- Command: \`${info.command}\``,
    `- Date: ${info.date}`,
    `- Backend: ${info.backend}`,
    `- Update: ${info.update} (as \`steer train\` runs it: one thread per core up to the shards)`,
    `- Machine: ${info.machine}`,
    '',
    table,
    '',
  ].join('\n');
}

/** `steer bench --env horm`: the simulator figures (no ML backend involved). */
async function benchEnvCommand(
  options: BenchCommandOptions,
  ctx: CommandContext,
  argv: readonly string[],
): Promise<number> {
  const networkOnly = (
    [
      ['shapes', '--shapes'],
      ['updateThreads', '--update-threads'],
      ['backend', '--backend'],
    ] as const
  ).filter(([key]) => options[key] !== undefined);
  if (networkOnly.length > 0) {
    throw new CliError(
      `${networkOnly.map(([, flag]) => flag).join(', ')}: not used by --env ${options.env} (the env runs without the ML backend)`,
    );
  }
  if (options.env === 'mujoco' || options.env!.startsWith('mujoco:')) {
    return benchMujocoCommand(options, ctx, argv);
  }
  if (options.env!.startsWith('pettingzoo:')) return benchBridgeCommand(options, ctx, argv);
  if (!(BENCH_ENVS as readonly string[]).includes(options.env!)) {
    throw new CliError(
      `--env: unknown env "${options.env}"; valid: ${BENCH_ENVS.join(', ')}, mujoco:<game>, pettingzoo:<module>:<env>`,
    );
  }
  const run = benchRunInfo(); // before the load we add
  const workers = options.workers ?? defaultSimWorkers();
  if (!options.json) ctx.stderr.write(`bench: HORM simulator, densities 1–3, 1 and ${workers} workers …\n`);
  const figures = await benchSim(
    {
      steps: options.steps ?? DEFAULT_SIM_STEPS,
      repeats: options.repeats,
      warmup: options.warmup ?? SIM_WARMUP,
      workers,
    },
    (figure) => {
      if (options.json) ctx.stdout.write(`${JSON.stringify(figure)}\n`);
    },
  );
  const table = formatSimBenchTable(figures);
  await reportBenchTable(ctx, options, argv, table, SIM_CARD, run);
  return 0;
}

/** The simulator figures as a Markdown table: density, workers, value, reference, ratio, per core. */
export function formatSimBenchTable(figures: readonly SimBenchFigure[]): string {
  const rows = figures.map((f) => [
    String(f.density),
    String(f.workers),
    `${formatCount(f.value)} ${f.unit}`,
    formatCount(f.reference),
    `${f.ratio.toFixed(1)}×`,
    `${(f.ratio / f.workers).toFixed(1)}×`,
    `${((1000 * f.workers) / f.value).toFixed(3)} ms`,
    String(f.median_of),
  ]);
  const header = [
    'density',
    'workers',
    'value',
    'reference',
    'ratio',
    'ratio per worker',
    'time per step',
    'median of',
  ];
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  const line = (cells: string[]) => `| ${cells.map((cell, c) => cell.padEnd(widths[c]!)).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}

/** The results card's text (--markdown). */
const SIM_CARD: BenchCardText = {
  title: 'Performance: HORM simulator against the reference',
  intro: [
    'Written by `steer bench --env horm --markdown`; do not edit by hand. Policy steps per second with',
    'uniformly random actions, safety supervisor on, observations and rewards included; reference =',
    'the Python merge simulator on one core (docs/spec/performance.md: 61 / 42 / 34 at densities 1 / 2 / 3).',
    'Ratio = ours / reference; the target is ≥ 100 per core. Pool figures: all workers started together,',
    'total steps / wall time.',
  ],
};

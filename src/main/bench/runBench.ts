/**
 * The measurements of `steer bench` (docs/spec/performance.md): for a shape,
 *   (a) rollout inference: one autoregressive act() over the whole env batch, sampling as in a
 *       rollout; agent decisions/s = batch × agents / seconds per call;
 *   (b) one PPO update with the whole rollout as one minibatch and one epoch (forward, clipped
 *       losses, value norm, backward, grad clip, Adam); joint samples/s = T × R / seconds.
 * (b) runs the real trainer on a SyntheticEnv: one `iterate()` = rollout + update, and the update's
 * time is the iterate's wall time minus the trainer's own `perf/rolloutMs`. The trainer computes its
 * gradients as training does: `gradientShards` from the default config, on helper threads as
 * `steer train` starts them (gradientHelpers) unless `updateThreads` says otherwise. Each figure is
 * the median of `repeats` after `warmup` unmeasured ones.
 */
import { resolveTrainConfig } from '../../core/algos/config.js';
import { Trainer } from '../../core/algos/ppo/trainer.js';
import { Rng } from '../../core/rng.js';
import { attachGradientWorkers } from '../train/gradientWorkers.js';
import { BENCH_UNITS, type BenchShape } from './benchShapes.js';
import { SyntheticEnv } from './syntheticEnv.js';

/** One benchmark figure, as `steer bench --json` prints it (one line each). */
export interface BenchFigure {
  readonly name: 'inference' | 'update';
  readonly shape: BenchShape['name'];
  readonly backend: string;
  readonly value: number;
  readonly unit: string;
  readonly median_of: number;
  readonly reference: number;
  /** value / reference: ≥ 1 meets the target of docs/spec/performance.md. */
  readonly ratio: number;
}

/** How much to measure. */
export interface BenchOptions {
  /** Measured repeats; the figure is their median. */
  readonly repeats: number;
  /** Unmeasured repeats first (compilation, caches). */
  readonly warmup: number;
  /** act() calls averaged within one inference repeat (one call is ~1–5 ms: too short alone). */
  readonly callsPerRepeat: number;
  /** Name of the active ML backend, copied into each figure. */
  readonly backend: string;
  /** Threads computing the update's gradient shards, this one included (default: as training). */
  readonly updateThreads?: number;
  /** Gradient shards per minibatch (default: the training default). */
  readonly gradientShards?: number;
}

/** Both figures of one shape: inference first, then update. */
export async function benchShape(shape: BenchShape, options: BenchOptions): Promise<BenchFigure[]> {
  const { numEnvs: r, episodeLength: t } = shape;
  const iterations = options.warmup + options.repeats;
  const config = resolveTrainConfig(`bench:${shape.name}`, {
    seed: 1,
    numEnvs: r,
    episodeLength: t,
    totalEnvSteps: t * r * Math.max(iterations, 1),
    embedDim: shape.embedDim,
    numHeads: shape.heads,
    numBlocks: shape.blocks,
    useStateToken: shape.useStateToken,
    ppoEpochs: 1,
    numMinibatches: 1,
    ...(options.gradientShards === undefined ? {} : { gradientShards: options.gradientShards }),
  });
  let envCount = 0;
  const trainer = new Trainer(
    `bench:${shape.name}`,
    () =>
      new SyntheticEnv(
        `bench:${shape.name}`,
        { numAgents: shape.agents, obsDim: shape.obsDim, numActions: shape.actions, episodeLimit: t },
        ++envCount,
      ),
    config,
  );
  try {
    const helpers = await attachGradientWorkers(trainer, options.updateThreads);
    if (helpers instanceof Error) throw helpers; // the bench must time the threads it was asked for
    // --- (a) inference: act() over the env batch ---
    const rng = Rng.fromSeed(2);
    const size = r * shape.agents * shape.obsDim;
    const input = {
      batch: r,
      obs: Float32Array.from({ length: size }, () => rng.uniform() * 2 - 1),
      state: shape.useStateToken ? null : Float32Array.from({ length: size }, () => rng.uniform() * 2 - 1),
      avail: null,
    };
    const callMs = repeatMedian(options, () => {
      const started = performance.now();
      for (let i = 0; i < options.callsPerRepeat; i++) trainer.policy.act(input, false, rng);
      return (performance.now() - started) / options.callsPerRepeat;
    });

    // --- (b) update: iterate() minus its rollout ---
    const updateMs = repeatMedian(options, () => {
      const started = performance.now();
      const metrics = trainer.iterate();
      const rolloutMs = metrics['perf/rolloutMs'];
      if (rolloutMs === undefined) throw new Error("bench: the trainer's metrics lack 'perf/rolloutMs'");
      return performance.now() - started - rolloutMs;
    });

    const figure = (name: BenchFigure['name'], value: number): BenchFigure => ({
      name,
      shape: shape.name,
      backend: options.backend,
      value,
      unit: BENCH_UNITS[name],
      median_of: options.repeats,
      reference: shape.reference[name],
      ratio: value / shape.reference[name],
    });
    return [
      figure('inference', (r * shape.agents) / (callMs / 1000)),
      figure('update', (t * r) / (updateMs / 1000)),
    ];
  } finally {
    trainer.dispose();
  }
}

/** Runs `measure` warmup + repeats times; the median of the measured results. */
function repeatMedian(options: BenchOptions, measure: () => number): number {
  for (let i = 0; i < options.warmup; i++) measure();
  const samples = Array.from({ length: options.repeats }, measure).sort((a, b) => a - b);
  const mid = Math.floor(samples.length / 2);
  return samples.length % 2 === 1 ? samples[mid]! : (samples[mid - 1]! + samples[mid]!) / 2;
}

/** Milliseconds per act() call (inference) or per update, recovered from a figure. */
export function figureMilliseconds(figure: BenchFigure, shape: BenchShape): number {
  const work =
    figure.name === 'inference' ? shape.numEnvs * shape.agents : shape.numEnvs * shape.episodeLength;
  return (1000 * work) / figure.value;
}

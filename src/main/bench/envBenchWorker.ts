/**
 * Worker thread of `steer bench --env horm|mujoco` (envBenchPool.ts): builds its env, warms it up,
 * says "ready", then runs one measured run per "go" message and answers with its steps per second.
 * Started through workers/tsWorker.ts, like every worker thread.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { benchMujocoEnv } from '../../core/envs/mujoco/bench.js';
import { makeEnv, prepareEnv } from '../../core/envs/registry.js';
import { benchHormSim } from '../../core/sim/horm/bench.js';
import type { TrafficDensity } from '../../core/sim/horm/index.js';
import type { TsWorkerData } from '../workers/tsWorker.js';

/** Which env a worker measures. */
export type BenchedEnv =
  | { readonly kind: 'horm'; readonly density: TrafficDensity }
  | { readonly kind: 'mujoco'; readonly env: string };

/** What the parent passes in `workerData`. */
export interface EnvBenchWorkerData {
  readonly benched: BenchedEnv;
  /** Steps per measured run. */
  readonly steps: number;
  /** Steps run before "ready" (JIT warm-up). */
  readonly warmupSteps: number;
  /** Seed of this worker's episodes and actions (differs per worker). */
  readonly seed: number;
}

/** Messages to the parent. */
export type EnvBenchWorkerMessage =
  | { readonly type: 'ready' }
  | { readonly type: 'done'; readonly stepsPerS: number };

const port = parentPort;
if (port === null) throw new Error('envBenchWorker.ts runs in a worker thread (see envBenchPool.ts)');
const data = (workerData as TsWorkerData<EnvBenchWorkerData>).task;

/** One measured run of `steps` steps from `seed`: steps per second. */
async function measurer(benched: BenchedEnv): Promise<(steps: number, seed: number) => number> {
  if (benched.kind === 'horm') return (steps, seed) => benchHormSim(benched.density, steps, seed);
  await prepareEnv(benched.env);
  const env = makeEnv(benched.env);
  return (steps, seed) => benchMujocoEnv(env, steps, seed);
}

const measure = await measurer(data.benched);
let run = 0;
if (data.warmupSteps > 0) measure(data.warmupSteps, data.seed);
port.on('message', (message: unknown) => {
  if (message !== 'go') return;
  const stepsPerS = measure(data.steps, data.seed + 1_000 * ++run);
  port.postMessage({ type: 'done', stepsPerS } satisfies EnvBenchWorkerMessage);
});
port.postMessage({ type: 'ready' } satisfies EnvBenchWorkerMessage);

/**
 * Sample replays for the player (samples/replays/, docs/app.md): one seeded HORM episode played by
 * a scripted policy and recorded with the core recorder. Everything that shapes the bytes is an
 * argument — the creation time included — so a committed sample can be regenerated bit for bit
 * (`steer replay sample`, test/unit/main/replay/recordSampleReplay.test.ts).
 */
import { HormEnv } from '../../core/envs/horm/index.js';
import { ReplayRecorder } from '../../core/replay/index.js';
import { Rng } from '../../core/rng.js';
import { META_ACTION_COUNT, MetaAction, type TrafficDensity } from '../../core/sim/horm/index.js';

/** Policies a sample can be played with: seeded uniform actions, or IDLE for every agent. */
export const SAMPLE_POLICIES = Object.freeze(['random', 'idle'] as const);

/** A scripted policy name. */
export type SamplePolicy = (typeof SAMPLE_POLICIES)[number];

/** Display names of the reference densities (scenarios/horm-easy.json is density 1). */
const DENSITY_NAMES: Readonly<Record<TrafficDensity, string>> = {
  1: 'HORM easy',
  2: 'HORM medium',
  3: 'HORM hard',
};

/** What to record. */
export interface SampleReplayOptions {
  /** Reference traffic density (docs/spec/horm.md §5.1); 3 = "hard". */
  readonly density: TrafficDensity;
  /** Episode seed (`env.reset(seed)`). */
  readonly seed: number;
  /** What chooses the actions. */
  readonly policy: SamplePolicy;
  /** Seed of the random policy's action stream. */
  readonly policySeed: number;
  /** ISO 8601 creation time written to the header (the caller's clock). */
  readonly createdAt: string;
  /** Program name written to the header, e.g. "steer-studio 0.1.0". */
  readonly generator?: string;
}

/** The recorded file and what happened in it. */
export interface SampleReplay {
  readonly bytes: Uint8Array;
  /** Decisions taken (100 unless a crash ended the episode earlier). */
  readonly steps: number;
  /** Whether a CAV crashed. */
  readonly crashed: boolean;
}

/** The file name a sample gets by default: "horm-hard-random-seed0.replay". */
export function sampleReplayName(options: Pick<SampleReplayOptions, 'density' | 'seed' | 'policy'>): string {
  const level = DENSITY_NAMES[options.density].split(' ')[1]!.toLowerCase();
  return `horm-${level}-${options.policy}-seed${options.seed}.replay`;
}

/** Plays one episode of horm:density-N with the scripted policy and returns the replay bytes. */
export function recordSampleReplay(options: SampleReplayOptions): SampleReplay {
  const env = new HormEnv(options.density);
  const agents = env.spec.numAgents;
  const recorder = new ReplayRecorder(env, {
    scenario: { seed: options.seed, name: DENSITY_NAMES[options.density] },
    model:
      options.policy === 'random'
        ? { name: 'random', seed: options.policySeed, deterministic: false }
        : { name: 'idle', deterministic: true },
    createdAt: options.createdAt,
    ...(options.generator === undefined ? {} : { generator: options.generator }),
  });
  const rng = Rng.fromSeed(options.policySeed);
  const actions = new Int32Array(agents);
  recorder.start(env.reset(options.seed));
  let steps = 0;
  for (;;) {
    for (let j = 0; j < agents; j++)
      actions[j] = options.policy === 'random' ? rng.int(META_ACTION_COUNT) : MetaAction.idle;
    // A scripted policy has no value estimate: the frames store NaN ("not given").
    const transition = env.step(actions);
    recorder.record(transition);
    steps++;
    if (transition.episodeDone) break;
  }
  return { bytes: recorder.finish(), steps, crashed: env.sim.anyCavCrashed() };
}

/**
 * Training configuration of STEER with PPO: every knob with its default (docs/spec/steer.md §b.10) and
 * the per-benchmark presets of §b.11 (HORM: docs/spec/horm.md §9) as diffs. Reference quirks (§e) are
 * off by default; each has its own switch and `referenceQuirks` turns them all on.
 */
import { z } from 'zod';

/**
 * Upper bounds of everything that sizes memory or time, in one place: the schema below checks them
 * (so `steer train --set`, the API's `jobs.start` and stored runs share them), and the CLI options
 * and the API's fields that are not config keys (updates, checkpoint and evaluation intervals,
 * evaluation episodes) read them from here. Generous for real experiments (the paper: D 64, 1 head,
 * 1 block; the presets below), measured on the wasm backend (2 cores; one shard, no helper threads):
 *
 * - the largest model, D 256 × 16 heads × 8 blocks (6.6 M parameters), builds in 3–6 s and runs one
 *   update of 2 envs × 5 steps in 1–4 s on HORM density 3 (test/unit/core/algos/steer/
 *   configBounds.test.ts); D 512 × 8 blocks took 30–46 s to build, D 512 × 1 block 8 s.
 * - one gradient shard at `shardActivations` (8,192 joint samples at D 64, 256 at D 256 × 8 blocks,
 *   1,024 at D 128 × 4) peaked at 2.0–2.6 GB with HORM's 4 agents; twice that reached 3.8 GB or
 *   overflowed wasm's 4 GB heap (the backend aborts).
 * - `updateWork` is 64 epochs over a 32,768-sample rollout at D 64 × 1 block: about 4–5 minutes on one
 *   wasm thread (~8,000 joint samples/s, docs/results/performance.md), the longest an update (the
 *   time a stop waits for) may take; at D 256 × 8 blocks it allows 32,768 samples × epochs.
 *
 * Agents multiply memory as well (scenario files bound them: MAX_VEHICLES), but are no config key.
 */
export const TRAIN_LIMITS = Object.freeze({
  numEnvs: 512,
  episodeLength: 10_000,
  totalEnvSteps: 1_000_000_000,
  embedDim: 256,
  numHeads: 16,
  numBlocks: 8,
  ppoEpochs: 64,
  numMinibatches: 1024,
  gradientShards: 64,
  /** numEnvs × episodeLength: joint samples per rollout (5 × the reference default's 6,400). */
  rolloutSteps: 32_768,
  /** Joint samples per gradient shard × embedDim × numBlocks: the activations of one gradient pass. */
  shardActivations: 2 ** 19,
  /** ppoEpochs × numEnvs × episodeLength × embedDim² × numBlocks: the work of one update. */
  updateWork: 2 ** 33,
  /** PPO updates of one run (⌊totalEnvSteps / episodeLength / numEnvs⌋, `--updates`, `updates`). */
  updates: 100_000,
  /** Episodes of one evaluation (`steer eval`/`baseline --episodes`, `train --eval-episodes`). */
  evalEpisodes: 10_000,
});

/** An integer in [min, max]; the messages name the bound: "expected at most 256, received 2048". */
function integerIn(min: number, max: number) {
  return z
    .number()
    .int()
    .min(min, { error: (issue) => `expected at least ${min}, received ${String(issue.input)}` })
    .max(max, { error: (issue) => `expected at most ${max}, received ${String(issue.input)}` });
}

/**
 * Fewest joint samples in a gradient shard: a smaller minibatch is cut into fewer shards. Below this,
 * TF.js's per-op cost dominates and a shard costs nearly as much as the whole minibatch (measured on
 * wasm: the MATRIX bench shape's 1,000 samples cost 19 % more CPU in 2 shards than in 1), so the
 * matrix presets' 100-sample minibatches stay whole. Here because the bounds depend on it
 * (gradientShards.ts re-exports it).
 */
export const MIN_SHARD_ROWS = 250;

/** Shards a minibatch of `rows` joint samples is cut into: `shards`, fewer if they would be small. */
export function shardCount(rows: number, shards: number, minRows = MIN_SHARD_ROWS): number {
  return Math.max(1, Math.min(shards, Math.floor(rows / Math.max(1, minRows))));
}

export const TrainConfigSchema = z
  .object({
    /**
     * The algorithm trained (src/core/algos/registry.ts: "steer", the baselines, the ablations);
     * the name is checked against the registry where a run is planned.
     */
    algo: z.string().regex(/^[a-z][a-z0-9-]*$/, 'expected an algorithm name such as "steer"'),
    /** Root seed: model init, sampling, shuffling and env resets all derive from it. */
    seed: z.number().int(),
    /** Parallel environments R (n_rollout_threads). */
    numEnvs: integerIn(1, TRAIN_LIMITS.numEnvs),
    /** Rollout length T per update (episode_length). */
    episodeLength: integerIn(1, TRAIN_LIMITS.episodeLength),
    /** Total environment steps (num_env_steps); updates = ⌊total / T / R⌋. */
    totalEnvSteps: integerIn(1, TRAIN_LIMITS.totalEnvSteps),
    /** Embedding width D. */
    embedDim: integerIn(1, TRAIN_LIMITS.embedDim),
    /** Attention heads H (a divisor of embedDim). */
    numHeads: integerIn(1, TRAIN_LIMITS.numHeads),
    /** Blocks per transformer L. */
    numBlocks: integerIn(1, TRAIN_LIMITS.numBlocks),
    /** Learnable state token instead of a state encoder. */
    useStateToken: z.boolean(),
    /** Orthogonal-init gain of the action encoder (reference: √2; see docs/results/table1.md). */
    actionEncoderGain: z.number().positive(),
    /** Adam learning rate. */
    lr: z.number().positive(),
    /** Adam ε. */
    adamEps: z.number().positive(),
    /** Linear learning-rate decay to 0 over the run. */
    linearLrDecay: z.boolean(),
    /** Passes over each rollout. */
    ppoEpochs: integerIn(1, TRAIN_LIMITS.ppoEpochs),
    /** Minibatches per pass (joint samples stay whole, §b.6); at most the rollout's joint samples. */
    numMinibatches: integerIn(1, TRAIN_LIMITS.numMinibatches),
    /** PPO clip ε (policy and value). */
    clip: z.number().positive(),
    /** Entropy bonus coefficient. */
    entropyCoef: z.number().min(0),
    /** Value-loss coefficient. */
    valueLossCoef: z.number().min(0),
    /** Global gradient-norm clip; null disables. */
    maxGradNorm: z.number().positive().nullable(),
    /** Clipped value loss. */
    useClippedValueLoss: z.boolean(),
    /** Huber (δ = huberDelta) or squared-error value loss. */
    valueLoss: z.enum(['huber', 'mse']),
    /** Huber threshold δ. */
    huberDelta: z.number().positive(),
    /** Value normaliser (§b.4). */
    useValueNorm: z.boolean(),
    /** Discount γ. */
    gamma: z.number().min(0).max(1),
    /** GAE λ. */
    gaeLambda: z.number().min(0).max(1),
    /**
     * The leader's advantages (the agent deciding first at each step) are multiplied by this after
     * normalisation, so it learns on a slower timescale than its followers (1 = the reference; see
     * NSTEP_LEADER_ADVANTAGE_SCALE). A preset's value reaches only the algorithms that take it
     * (algorithmConfig.ts).
     */
    leaderAdvantageScale: z.number().positive(),
    /** Weight the policy loss and entropy by active masks. */
    usePolicyActiveMasks: z.boolean(),
    /** Weight the value loss by active masks. */
    useValueActiveMasks: z.boolean(),
    /** Reference quirk §e.1: Huber loss is 0 for errors below −δ. */
    quirkAsymmetricHuber: z.boolean(),
    /** Reference quirk §e.2 / §a.8: bootstrap values use the previous step's actions. */
    quirkStaleBootstrapActions: z.boolean(),
    /** Reference quirk §e.7: value normaliser updated in every minibatch with the same returns. */
    quirkValueNormPerMinibatch: z.boolean(),
    /**
     * Contiguous shards each minibatch's gradient is computed in and then added up (gradientShards.ts;
     * fewer when a shard would get under 250 joint samples); shards run in parallel, one thread per
     * core. The numbers depend on this count, never on the cores used; 1 = one pass per minibatch.
     */
    gradientShards: integerIn(1, TRAIN_LIMITS.gradientShards),
  })
  .strict()
  .superRefine(checkProducts);

/** The keys bounded on their own, for checkProducts to skip configs that already fail one. */
const BOUNDED_KEYS = [
  'numEnvs',
  'episodeLength',
  'totalEnvSteps',
  'embedDim',
  'numHeads',
  'numBlocks',
  'ppoEpochs',
  'numMinibatches',
  'gradientShards',
] as const;

/**
 * The bounds of values that multiply (TRAIN_LIMITS): the rollout, one gradient shard's activations
 * (with the shard count the trainer will use), one update's work and the number of updates; and
 * what the model and the trainer would refuse only later (heads that do not divide embedDim, more
 * minibatches than joint samples). Skipped while a key fails its own bound, so one mistake gives
 * one message.
 */
function checkProducts(value: Record<string, unknown>, ctx: z.RefinementCtx): void {
  const n: Partial<Record<(typeof BOUNDED_KEYS)[number], number>> = {};
  for (const key of BOUNDED_KEYS) {
    const v = value[key];
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 1 || v > TRAIN_LIMITS[key]) return;
    n[key] = v;
  }
  const c = n as Record<(typeof BOUNDED_KEYS)[number], number>;
  const issue = (message: string, path: string[] = []) => ctx.addIssue({ code: 'custom', message, path });
  const limit = TRAIN_LIMITS;
  if (c.embedDim % c.numHeads !== 0) {
    issue(`expected a divisor of embedDim (${c.embedDim}), received ${c.numHeads}`, ['numHeads']);
  }
  const rollout = c.numEnvs * c.episodeLength;
  if (rollout > limit.rolloutSteps) {
    issue(
      `numEnvs × episodeLength (joint samples per rollout): expected at most ${limit.rolloutSteps}, received ${rollout} (${c.numEnvs} × ${c.episodeLength})`,
    );
    return; // the products below grow with it
  }
  if (c.numMinibatches > rollout) {
    issue(
      `expected at most the ${rollout} joint samples of a rollout (numEnvs × episodeLength), received ${c.numMinibatches}`,
      ['numMinibatches'],
    );
    return;
  }
  const minibatch = Math.floor(rollout / c.numMinibatches);
  const shardRows = Math.ceil(minibatch / shardCount(minibatch, c.gradientShards));
  const activations = shardRows * c.embedDim * c.numBlocks;
  if (activations > limit.shardActivations) {
    issue(
      `joint samples per gradient shard × embedDim × numBlocks: expected at most ${limit.shardActivations}, ` +
        `received ${activations} (${shardRows} × ${c.embedDim} × ${c.numBlocks}); raise numMinibatches or ` +
        'gradientShards, or lower numEnvs, episodeLength, embedDim or numBlocks',
    );
  }
  const work = c.ppoEpochs * rollout * c.embedDim * c.embedDim * c.numBlocks;
  if (work > limit.updateWork) {
    issue(
      `ppoEpochs × numEnvs × episodeLength × embedDim² × numBlocks (the work of one update): expected at most ${limit.updateWork}, ` +
        `received ${work}; lower ppoEpochs, the rollout or the model`,
    );
  }
  const updates = Math.floor(c.totalEnvSteps / c.episodeLength / c.numEnvs);
  if (updates > limit.updates) {
    issue(
      `PPO updates (totalEnvSteps / (numEnvs × episodeLength) = ${c.totalEnvSteps} / ${rollout}): expected at most ${limit.updates}, received ${updates}`,
    );
  }
}

/**
 * Keys added to the configuration after runs were first saved, each with the value that reproduces
 * what older runs did. Reading a saved config fills them in; a new key belongs here too.
 */
export const ADDED_KEY_DEFAULTS = {
  algo: 'steer',
  actionEncoderGain: Math.SQRT2,
  gradientShards: 1,
  leaderAdvantageScale: 1,
} as const;

/** The schema for configs read back from run folders and checkpoints (fills ADDED_KEY_DEFAULTS). */
export const StoredTrainConfigSchema = z.preprocess(
  (value) =>
    value !== null && typeof value === 'object' && !Array.isArray(value)
      ? { ...ADDED_KEY_DEFAULTS, ...value }
      : value,
  TrainConfigSchema,
);

/** A fully resolved training configuration. */
export type TrainConfig = z.infer<typeof TrainConfigSchema>;

/** Defaults of the reference's config.py (docs/spec/steer.md §b.10), with the quirks off. */
export const DEFAULT_TRAIN_CONFIG: TrainConfig = {
  algo: 'steer',
  seed: 1,
  numEnvs: 32,
  episodeLength: 200,
  totalEnvSteps: 10_000_000,
  embedDim: 64,
  numHeads: 1,
  numBlocks: 1,
  useStateToken: false,
  actionEncoderGain: Math.SQRT2,
  lr: 5e-4,
  adamEps: 1e-5,
  linearLrDecay: false,
  ppoEpochs: 15,
  numMinibatches: 1,
  clip: 0.2,
  entropyCoef: 0.01,
  valueLossCoef: 1,
  maxGradNorm: 10,
  useClippedValueLoss: true,
  valueLoss: 'huber',
  huberDelta: 10,
  useValueNorm: true,
  gamma: 0.99,
  gaeLambda: 0.95,
  leaderAdvantageScale: 1,
  usePolicyActiveMasks: true,
  useValueActiveMasks: true,
  quirkAsymmetricHuber: false,
  quirkStaleBootstrapActions: false,
  quirkValueNormPerMinibatch: false,
  gradientShards: 2, // two cores on the machines of docs/spec/performance.md
};

/** The reference's behaviour for every quirk of docs/spec/steer.md §e that changes numbers. */
export const REFERENCE_QUIRKS: Partial<TrainConfig> = {
  quirkAsymmetricHuber: true,
  quirkStaleBootstrapActions: true,
  quirkValueNormPerMinibatch: true,
};

/** Shared by both matrix presets: train_matrix.sh (docs/spec/steer.md §b.11). */
const MATRIX_COMMON: Partial<TrainConfig> = {
  useStateToken: true,
  ppoEpochs: 5,
  entropyCoef: 0.05,
  useValueActiveMasks: false, // the script's store_false flag turns them off (§b.9)
};

/**
 * Action-encoder init gain of both matrix presets: 20·√2 instead of the reference's √2. Not a
 * reference setting: with √2 the leader's action is ~0.7 in norm against an N(0, 1) position
 * embedding of norm ≈ 8, the follower's policy does not yet depend on it when the leader settles,
 * and Penalty k = −100 ends at the safe (1, 1) on 20 of 20 seeds; with 20·√2 it reaches the
 * optimum on 20 of 20 (docs/results/table1-notes.md has both cards and the commands). Coordination
 * fails the same way at its last stage. `--set actionEncoderGain=1.4142135623730951` restores the reference init.
 */
export const MATRIX_ACTION_ENCODER_GAIN = 20 * Math.SQRT2;

/**
 * Entropy bonus of both matrix presets: 0.2 instead of the script's 0.05. Not a reference
 * setting: at k ≤ −1000 the penalty cells make the leader's safe action 1 look best against a
 * still-random follower, and with 0.05 the leader stops sampling actions 0 and 2 before the
 * follower has learnt to answer them (k = −1000: 7 of 20 seeds, k = −10000: 3 of 20). With 0.2 it
 * keeps exploring until the follower's answer forms, and both reach the optimum on 20 of 20
 * (docs/results/table1-notes.md). Convergence is judged on the greedy policy, which the bonus
 * does not blur. `--set entropyCoef=0.05` restores the script's value.
 */
export const MATRIX_ENTROPY_COEF = 0.2;

/** Single-step games: 4 envs × 25 steps, 10,000 steps → 100 updates (§b.11 loop comment). */
export const MATRIX_PRESET: Partial<TrainConfig> = {
  ...MATRIX_COMMON,
  numEnvs: 4,
  episodeLength: 25,
  totalEnvSteps: 10_000,
  actionEncoderGain: MATRIX_ACTION_ENCODER_GAIN,
  entropyCoef: MATRIX_ENTROPY_COEF,
};

/**
 * Leader's advantage scale of the multi-step preset: 0.3 instead of the reference's 1 (its
 * advantages are not scaled). Not a reference setting: it is the timescale separation of
 * Stackelberg learning (the leader adapts more slowly than the follower that answers it). At
 * Coordination's last step the follower's best answer to a₀ = 2 is 0, but it first carries over the
 * answer 2 that is right at steps 0–8; at the same speed the leader settles on action 1 before that
 * answer forms and the run ends at (1, 1) instead of the Stackelberg (2, 0) (docs/results/table1-notes.md).
 * `--set leaderAdvantageScale=1` restores the reference. STEER's own mechanism: only STEER and its
 * ablations take it from the preset; the baselines run with 1 unless it is set (algorithmConfig.ts).
 */
export const NSTEP_LEADER_ADVANTAGE_SCALE = 0.3;

/** Multi-step games: 10 envs × 100 steps, 200,000 steps → 200 updates (§b.11). */
export const NSTEP_PRESET: Partial<TrainConfig> = {
  ...MATRIX_COMMON,
  numEnvs: 10,
  episodeLength: 100,
  totalEnvSteps: 200_000,
  actionEncoderGain: MATRIX_ACTION_ENCODER_GAIN,
  entropyCoef: MATRIX_ENTROPY_COEF,
  leaderAdvantageScale: NSTEP_LEADER_ADVANTAGE_SCALE,
};

/**
 * Highway on-ramp merging: train_highway.sh (docs/spec/horm.md §9), 20 envs × 200 steps, 5,000,000 steps
 * → 1250 updates. Unchanged defaults the script also uses: lr 5e-4 with Adam ε 1e-5, one minibatch,
 * entropy 0.01, value-loss coefficient 1, gradient clip 10, Huber δ 10, value norm, γ 0.99, λ 0.95,
 * D 64 / 1 head / 1 block, no lr decay.
 */
export const HORM_PRESET: Partial<TrainConfig> = {
  numEnvs: 20, // n_rollout_threads (§9)
  episodeLength: 200, // buffer length per update, not the env's 100-step episode (§9)
  totalEnvSteps: 5_000_000, // num_env_steps → 5e6 // 200 // 20 = 1250 updates (§9)
  useStateToken: true, // --add_state_token: share_obs unused (§6.3, §9)
  ppoEpochs: 5, // ppo_epoch (§9)
  clip: 0.05, // clip_param, also the value-clip range (§9)
  useValueActiveMasks: false, // the store_false flag turns them off; no effect, masks are all ones (§9, §10.18)
};

/**
 * The continuous-action test game `cont:target` (src/core/envs/continuous): 8 envs × 16 one-step
 * episodes, 40 updates. Not a reference setting; chosen so that every algorithm's greedy return
 * passes 0.99 within 20 updates (docs/algos/README.md, "Continuous actions", has the check).
 */
export const CONTINUOUS_PRESET: Partial<TrainConfig> = {
  numEnvs: 8,
  episodeLength: 16,
  totalEnvSteps: 5120,
  useStateToken: true, // the state is the concatenated observations: nothing more to read
  ppoEpochs: 5,
  // 4 Adam steps per epoch at 3e-3: Adam moves a parameter by about lr per step, and MAPPO's
  // log-std starts at 0 (std 1, on-policy's); with 5e-4 and one minibatch its std is still 0.94
  // after 30 updates, and the clipped actions keep its means outside the box
  numMinibatches: 4,
  lr: 3e-3,
};

/**
 * MA-MuJoCo: the reference's train_mujoco.sh (docs/envs/mujoco.md "Training"), 40 envs × 100 steps
 * = 4,000 transitions per update, 10,000,000 steps → 2,500 updates. Unchanged defaults the script
 * also uses: Adam ε 1e-5, value-loss coefficient 1, Huber δ 10, value norm, γ 0.99, λ 0.95, D 64,
 * 1 head, no lr decay, both active-mask flags on.
 */
export const MUJOCO_PRESET: Partial<TrainConfig> = {
  numEnvs: 40, // n_rollout_threads
  episodeLength: 100, // the rollout chunk; episodes are 1,000 steps and cross chunks
  totalEnvSteps: 10_000_000, // num_env_steps
  numBlocks: 2, // n_block
  lr: 5e-5, // lr and critic_lr
  ppoEpochs: 10, // ppo_epoch
  numMinibatches: 40, // num_mini_batch: 100 joint samples each
  clip: 0.05, // clip_param
  entropyCoef: 0.001, // entropy_coef
  maxGradNorm: 0.5, // max_grad_norm
};

/**
 * PettingZoo envs behind the Python bridge (docs/envs/bridge.md), set for MPE: the MAPPO paper's MPE
 * settings (episodes of 25 steps, one rollout chunk per episode, lr 7e-4, 10 epochs of one
 * minibatch, clip 0.2, entropy 0.01) with 16 envs instead of 128 for a 2-core machine: 400
 * transitions per update, 2,000,000 steps → 5,000 updates.
 */
export const PETTINGZOO_PRESET: Partial<TrainConfig> = {
  numEnvs: 16,
  episodeLength: 25,
  totalEnvSteps: 2_000_000,
  lr: 7e-4,
  ppoEpochs: 10,
  numMinibatches: 1,
};

/** The preset for an env name ("matrix:…", "nstep:…", "horm:…", "cont:…", "mujoco:…" or "pettingzoo:…"). */
export function presetFor(envName: string): Partial<TrainConfig> {
  if (envName.startsWith('matrix:')) return MATRIX_PRESET;
  if (envName.startsWith('nstep:')) return NSTEP_PRESET;
  if (envName.startsWith('horm:')) return HORM_PRESET;
  if (envName.startsWith('cont:')) return CONTINUOUS_PRESET;
  if (envName.startsWith('mujoco:')) return MUJOCO_PRESET;
  if (envName.startsWith('pettingzoo:')) return PETTINGZOO_PRESET;
  return {};
}

/**
 * Defaults ← preset ← overrides, validated (bounds included); unknown keys are an error naming them.
 * Blind to the algorithm: a run's config comes from algorithmConfig.ts's resolveAlgorithmConfig,
 * which keeps STEER's own preset keys from the algorithms that do not take them.
 * `budget.updates` sets totalEnvSteps = updates × episodeLength × numEnvs of the merged config
 * before validation, so the preset's own budget is never judged with the overrides' rollout.
 */
export function resolveTrainConfig(
  envName: string,
  overrides: Partial<TrainConfig>,
  budget: { readonly updates?: number | undefined } = {},
): TrainConfig {
  const merged: Record<string, unknown> = { ...DEFAULT_TRAIN_CONFIG, ...presetFor(envName), ...overrides };
  const { episodeLength, numEnvs } = merged;
  if (budget.updates !== undefined && typeof episodeLength === 'number' && typeof numEnvs === 'number') {
    merged.totalEnvSteps = budget.updates * episodeLength * numEnvs;
  }
  const parsed = TrainConfigSchema.safeParse(merged);
  if (!parsed.success) {
    const lines = parsed.error.issues.map(
      (i) => `config${i.path.map((key) => `.${String(key)}`).join('')}: ${i.message}`,
    );
    throw new Error(`Invalid training configuration:\n${lines.join('\n')}`);
  }
  return parsed.data;
}

/** Number of PPO updates a configuration runs. */
export function totalUpdates(c: TrainConfig): number {
  return Math.floor(c.totalEnvSteps / c.episodeLength / c.numEnvs);
}

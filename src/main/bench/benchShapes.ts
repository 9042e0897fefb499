/**
 * The two benchmark shapes of docs/spec/performance.md and the reference's figures for them (PyTorch
 * 1.13 on the CPU, one thread, measured on this kind of machine on 2026-11-23).
 */

/** One benchmark shape (docs/spec/performance.md "Shapes"). */
export interface BenchShape {
  readonly name: 'MATRIX' | 'HORM';
  readonly agents: number;
  /** Observation length per agent. */
  readonly obsDim: number;
  /** Discrete actions per agent. */
  readonly actions: number;
  /** Embedding width D, heads, blocks. */
  readonly embedDim: number;
  readonly heads: number;
  readonly blocks: number;
  /** Learnable state token (the matrix preset) or a state encoder over the joint observation. */
  readonly useStateToken: boolean;
  /** Environments in a batch (one act() call covers them all). */
  readonly numEnvs: number;
  /** Rollout steps per update: numEnvs × episodeLength joint samples. */
  readonly episodeLength: number;
  /** Reference figures: agent decisions/s of one act(); joint samples/s of one PPO update. */
  readonly reference: { readonly inference: number; readonly update: number };
}

/** MATRIX and HORM, in that order. Both models are ≈ 70–79k parameters (performance.md: ≈ 75k). */
export const BENCH_SHAPES: readonly BenchShape[] = [
  {
    name: 'MATRIX',
    agents: 2,
    obsDim: 15,
    actions: 3,
    embedDim: 64,
    heads: 1,
    blocks: 1,
    useStateToken: true,
    numEnvs: 10,
    episodeLength: 100,
    reference: { inference: 12_353, update: 15_582 },
  },
  {
    name: 'HORM',
    agents: 4,
    obsDim: 30,
    actions: 5,
    embedDim: 64,
    heads: 1,
    blocks: 1,
    useStateToken: false,
    numEnvs: 20,
    episodeLength: 200,
    reference: { inference: 14_668, update: 12_626 },
  },
];

/** Units of the two figures. */
export const BENCH_UNITS = { inference: 'agent decisions/s', update: 'joint samples/s' } as const;

/**
 * `npm run trace:last-stage -- --seed 7 [--env nstep:coordination] [--every 10] [--set key=value …]`
 *
 * Trains one multi-step matrix game run in memory (the preset, as `steer train` would) and every
 * `--every` updates prints, for the last step (9) on both good branches, the leader's distribution
 * and the follower's answer to each leader action (src/core/analysis/conditionalPolicy.ts). It shows
 * whether the follower's Stackelberg answer forms before the leader settles (docs/results/table1-notes.md).
 * Nothing is written; the backend is wasm unless STEER_BACKEND says otherwise.
 */

import { parseArgs } from 'node:util';
import { resolveAlgorithmConfig } from '../../core/algos/algorithmConfig.js';
import { totalUpdates } from '../../core/algos/config.js';
import { Trainer } from '../../core/algos/ppo/trainer.js';
import { SteerModel } from '../../core/algos/steer/model.js';
import { conditionalPolicy } from '../../core/analysis/conditionalPolicy.js';
import { makeEnv } from '../../core/envs/registry.js';
import { initBackend } from '../../core/nn/node/backends.js';
import { parseSetOverrides } from '../cli/options.js';

const { values } = parseArgs({
  options: {
    env: { type: 'string', default: 'nstep:coordination' },
    seed: { type: 'string', default: '1' },
    every: { type: 'string', default: '10' },
    set: { type: 'string', multiple: true, default: [] },
  },
});
if (!values.env.startsWith('nstep:'))
  throw new Error(`trace:last-stage: expected an nstep: env, got ${values.env}`);
const seed = Number(values.seed);
const every = Number(values.every);
if (!Number.isInteger(seed) || !Number.isInteger(every) || every < 1) {
  throw new Error('trace:last-stage: --seed and --every take integers (--every ≥ 1)');
}

await initBackend(process.env.STEER_BACKEND ?? 'wasm', () => {});
const config = resolveAlgorithmConfig(values.env, { ...parseSetOverrides(values.set), seed });
const trainer = new Trainer(values.env, () => makeEnv(values.env), config);

/** Both agents' observation at step 9 on `branch` (docs/spec/steer.md §c.3: slots 0–10 step, 11–14 branch). */
function lastStepObservation(branch: 0 | 1): Float32Array {
  const one = new Float32Array(15);
  one[9] = 1;
  one[11 + branch] = 1;
  const both = new Float32Array(30);
  both.set(one, 0);
  both.set(one, 15);
  return both;
}

const fmt = (p: readonly number[]) => p.map((x) => x.toFixed(2)).join('/');
console.log(
  `${values.env} seed ${seed}: step 9, leader π₀ and follower π₁(·|a₀) (probabilities of actions 0/1/2)`,
);
// the trace reads STEER's network (the leader's distribution and the follower's answer to each action)
if (!(trainer.model instanceof SteerModel)) throw new Error(`trace:last-stage: ${config.algo} is not STEER`);
const steerModel = trainer.model;
const updates = totalUpdates(config);
for (let u = 1; u <= updates; u++) {
  const metrics = trainer.iterate();
  if (u % every !== 0 && u !== updates) continue;
  const returns = [0, 1].map((j) => (metrics[`train/episodeReturn/agent${j}`] ?? Number.NaN).toFixed(1));
  const branches = ([0, 1] as const).map((branch) => {
    const p = conditionalPolicy(steerModel, lastStepObservation(branch));
    return `branch ${branch}: π₀ ${fmt(p.leader)} | ${p.follower.map((f, a0) => `π₁(·|${a0}) ${fmt(f)}`).join(' ')}`;
  });
  console.log(`update ${String(u).padStart(3)} return ${returns.join(', ')} · ${branches.join(' · ')}`);
}
trainer.dispose();

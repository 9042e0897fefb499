/**
 * The scripted policies of docs/spec/horm.md Appendix B on "dynamic" physics, density 1, supervisor on,
 * 20 episodes on seeds 10,000–10,019. Measured (2026-11-26, 100 episodes on seeds 10,000–10,099;
 * reference physics in brackets): idle 86 % (9 %), merge 2 % (0 %), random 5 % (2 %) CAV crash
 * rate; over 20-episode windows of seeds 0–99 and 10,000–10,099 idle gave 16–18 crashes, merge 0–2,
 * random 0–1. The bands below hold with a wide margin for that sampling noise and still separate
 * the physics: an unmerged ramp CAV on "reference" is steered past the obstacle by the kinematic
 * model (§3.4, §10.16: a sideways jump no tyre can produce), while on "dynamic" the tyres saturate
 * and it hits the obstacle, so always-IDLE crashes most episodes.
 */
import { describe, expect, it } from 'vitest';
import {
  type BaselinePolicyName,
  baselinePolicy,
} from '../../../../../src/core/envs/horm/baselinePolicies.js';
import { Rng } from '../../../../../src/core/rng.js';
import { type HormPhysicsMode, HormSim } from '../../../../../src/core/sim/horm/index.js';

const EPISODES = 20;
const FIRST_SEED = 10_000;

/** Crash count, obstacle hits among the crashes and mean episode length over EPISODES episodes. */
async function play(policy: BaselinePolicyName, physics: HormPhysicsMode) {
  const sim = new HormSim({ density: 1, physics });
  const act = baselinePolicy(policy, Rng.fromSeed(1).fork('policy'));
  const actions = new Int32Array(sim.numAgents);
  let crashes = 0;
  let obstacleHits = 0;
  let steps = 0;
  for (let e = 0; e < EPISODES; e++) {
    sim.reset(FIRST_SEED + e);
    while (!sim.done) {
      act.act(sim, actions);
      sim.step(actions);
      steps++;
    }
    if (sim.anyCavCrashed()) {
      crashes++;
      if (sim.world.obstacleHit) obstacleHits++;
    }
    if (e % 5 === 4) await new Promise((r) => setImmediate(r));
  }
  return { crashes, obstacleHits, meanLength: steps / EPISODES };
}

describe('scripted policies on dynamic physics (density 1, 20 episodes)', () => {
  it('always IDLE: the unmerged ramp CAV hits the obstacle in most episodes (unlike reference physics)', async () => {
    const dynamic = await play('idle', 'dynamic');
    expect(dynamic.crashes).toBeGreaterThanOrEqual(12); // ≥ 60 %; measured 86 %
    expect(dynamic.obstacleHits).toBeGreaterThanOrEqual(10); // measured 14 of 17 crashes
    const reference = await play('idle', 'reference');
    expect(reference.crashes).toBeLessThanOrEqual(5); // ≤ 25 %; measured 9 %
  });

  it('merge (LANE_LEFT on the merge lane): few crashes, near-full episodes', async () => {
    const merge = await play('merge', 'dynamic');
    expect(merge.crashes).toBeLessThanOrEqual(4); // ≤ 20 %; measured 2 %
    expect(merge.meanLength).toBeGreaterThan(90);
  });

  it('uniform random actions: few crashes (the supervisor steps in)', async () => {
    const random = await play('random', 'dynamic');
    expect(random.crashes).toBeLessThanOrEqual(5); // ≤ 25 %; measured 5 %
    expect(random.meanLength).toBeGreaterThan(85);
  });
});

/**
 * The Appendix B statistics loop of test/integration/horm-baselines.test.ts (docs/spec/horm.md Appendix
 * B): plays a scripted policy directly on a HormSim over consecutive env seeds and measures mean
 * length, any-CAV crash rate, mean return (Σ steps of the mean-over-agents regional reward) and mean
 * CAV speed. Kept apart from the src evaluation code on purpose: the unit test of `steer baseline`
 * checks that both give the same numbers.
 */
import type { BaselinePolicy } from '../../src/core/envs/horm/baselinePolicies.js';
import type { HormSim } from '../../src/core/sim/horm/index.js';

/** Means over the episodes. */
export interface BaselineLoopStats {
  readonly length: number;
  readonly crash: number;
  readonly ret: number;
  readonly speed: number;
}

/** Plays `episodes` episodes on env seeds firstSeed, firstSeed + 1, … with `policy`. */
export function playBaselineLoop(
  sim: HormSim,
  policy: BaselinePolicy,
  firstSeed: number,
  episodes: number,
): BaselineLoopStats {
  const actions = new Int32Array(sim.numAgents);
  let length = 0;
  let crashes = 0;
  let ret = 0;
  let speed = 0;
  for (let e = 0; e < episodes; e++) {
    sim.reset(firstSeed + e);
    let epSpeed = 0;
    while (!sim.done) {
      const t = sim.world.vehicles;
      policy.act(sim, actions);
      sim.step(actions);
      let r = 0;
      let v = 0;
      for (let k = 0; k < sim.numAgents; k++) {
        r += sim.regionalRewards[k]!;
        v += t.speed[k]!;
      }
      ret += r / sim.numAgents;
      epSpeed += v / sim.numAgents;
    }
    length += sim.steps;
    speed += epSpeed / sim.steps;
    crashes += sim.anyCavCrashed() ? 1 : 0;
  }
  return {
    length: length / episodes,
    crash: crashes / episodes,
    ret: ret / episodes,
    speed: speed / episodes,
  };
}

/**
 * Throughput benchmark of the HORM simulator (docs/design.md "Speed"): policy steps per second with
 * uniformly random seeded actions, supervisor on, observation and rewards included. Pure (no I/O);
 * the CLI's `bench` command calls it.
 */

import { Rng } from '../../rng.js';
import type { HormPhysicsMode } from './config.js';
import { HormSim } from './hormSim.js';
import type { TrafficDensity } from './scene/spawn.js';
import { META_ACTION_COUNT } from './vehicle/index.js';

/**
 * Runs `steps` policy steps (resetting at episode ends) and returns policy steps per second.
 * @param physics the simulator's physics mode (default "reference", what `steer bench` measures).
 */
export function benchHormSim(
  density: TrafficDensity,
  steps: number,
  seed: number,
  physics: HormPhysicsMode = 'reference',
): number {
  const sim = new HormSim({ density, safetySupervisor: true, physics });
  const rng = Rng.fromSeed(seed).fork('bench-actions');
  const actions = new Int32Array(sim.numAgents);
  let episode = seed;
  sim.reset(episode);
  const start = performance.now();
  for (let s = 0; s < steps; s++) {
    if (sim.done) sim.reset(++episode);
    for (let k = 0; k < actions.length; k++) actions[k] = rng.int(META_ACTION_COUNT);
    sim.step(actions);
  }
  const seconds = (performance.now() - start) / 1000;
  return steps / seconds;
}

/**
 * The single-agent MuJoCo tasks of the MA-MuJoCo family (docs/spec/bridges.md §1.10, §1.13–§1.15;
 * docs/envs/mujoco-models.md): look one up by the reference's scenario name and partition label.
 */

import type { MujocoTask } from '../types.js';
import { antTask } from './ant.js';
import { halfCheetahTask } from './halfCheetah.js';
import { hopperTask } from './hopper.js';
import { manyagentAntTask } from './manyagentAnt.js';
import { manyagentSwimmerTask, swimmerV2Task } from './swimmer.js';
import { walker2dTask } from './walker2d.js';

export { formatNumber, type MjcfElement, type MjcfValue, mjcf, renderMjcf } from './mjcf.js';

/** The scenario names `mujocoTask` knows, as the reference spells them. */
export const MUJOCO_SCENARIOS = [
  'HalfCheetah-v2',
  'Ant-v2',
  'Hopper-v2',
  'Walker2d-v2',
  'Swimmer-v2',
  'manyagent_swimmer',
  'manyagent_ant',
] as const;

/** One of `MUJOCO_SCENARIOS`. */
export type MujocoScenario = (typeof MUJOCO_SCENARIOS)[number];

/** True when `name` is a scenario `mujocoTask` can build. */
export function isMujocoScenario(name: string): name is MujocoScenario {
  return (MUJOCO_SCENARIOS as readonly string[]).includes(name);
}

/**
 * The number of segments s = N·M of a manyagent partition label "NxM" (N agents of M segments
 * each), as the reference's generators read it. Throws on anything else, naming the label.
 */
export function manyagentSegments(scenario: string, agentConf: string): number {
  const match = /^([1-9][0-9]*)x([1-9][0-9]*)$/.exec(agentConf);
  if (match === null) {
    throw new Error(
      `${scenario}: agent_conf must be "NxM" (N agents × M segments each, positive integers), received "${agentConf}"`,
    );
  }
  const segments = Number(match[1]) * Number(match[2]);
  if (segments > MAX_MANYAGENT_SEGMENTS) {
    throw new Error(
      `${scenario}: at most ${MAX_MANYAGENT_SEGMENTS} segments (N·M), received ${agentConf} = ${segments}`,
    );
  }
  return segments;
}

/**
 * The most segments (N·M) of a manyagent robot: the reference's largest is 20 (10x2); a
 * manyagent_ant of 200 segments makes MuJoCo's WebAssembly build trap while compiling it.
 */
export const MAX_MANYAGENT_SEGMENTS = 40;

/**
 * The task of `scenario`. `agentConf` matters only for manyagent_swimmer and manyagent_ant, whose
 * "NxM" sets the number of segments; the other tasks ignore it (their partitions are the graph
 * layer's business).
 */
export function mujocoTask(scenario: string, agentConf: string): MujocoTask {
  if (!isMujocoScenario(scenario)) {
    throw new Error(`unknown MuJoCo scenario "${scenario}"; expected one of: ${MUJOCO_SCENARIOS.join(', ')}`);
  }
  switch (scenario) {
    case 'HalfCheetah-v2':
      return halfCheetahTask();
    case 'Ant-v2':
      return antTask();
    case 'Hopper-v2':
      return hopperTask();
    case 'Walker2d-v2':
      return walker2dTask();
    case 'Swimmer-v2':
      return swimmerV2Task();
    case 'manyagent_swimmer':
      return manyagentSwimmerTask(manyagentSegments(scenario, agentConf));
    case 'manyagent_ant':
      return manyagentAntTask(manyagentSegments(scenario, agentConf));
  }
}

export { antTask } from './ant.js';
export { halfCheetahTask } from './halfCheetah.js';
export { hopperTask } from './hopper.js';
export { manyagentAntTask } from './manyagentAnt.js';
export { manyagentSwimmerTask, swimmerV2Task } from './swimmer.js';
export { walker2dTask } from './walker2d.js';

/** Public surface of the MA-MuJoCo partitions: joint graphs, neighbourhoods, layouts and observations. */

export type { ActuatorMapping } from './actuatorMapping.js';
export { actuatorIndices } from './actuatorMapping.js';
export type { AgentLayoutOptions } from './agentLayout.js';
export { buildAgentLayout, defaultVariant, MAX_AGENT_OBSK } from './agentLayout.js';
export { HOPPER_VELOCITY_CLIP } from './gymGraphs.js';
export type { JointGraph, JointNode, ObsCategory, ObsOverrides, Partition } from './jointGraph.js';
export type { ManyAgentSize } from './manyAgentGraphs.js';
export { parseManyAgentSize } from './manyAgentGraphs.js';
export { jointRings } from './neighbourhood.js';
export type { ObservationBuffer } from './observationAssembly.js';
export {
  assembleLocalObservations,
  assembleObservations,
  assembleStandardisedState,
  assembleStateVariantObservations,
  localObsDim,
  observationDim,
  observedValue,
  standardiseInPlace,
  usesLocalObservations,
} from './observationAssembly.js';
export { jointSources, observedSources } from './observationLayout.js';
export { MA_MUJOCO_SCENARIOS, partitionFor } from './scenarios.js';

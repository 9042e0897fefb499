/** Public surface of the HORM simulator (docs/spec/horm.md); the env adapter imports only this file. */

export type { HormPhysicsMode, HormQuirks } from './config.js';
export { CORRECT_BEHAVIOUR, HORM_PHYSICS_MODES, REFERENCE_QUIRKS } from './config.js';
export type { HormSimConfig, HormSimConfigIssue, HormSimSnapshot } from './hormSim.js';
export {
  DEFAULT_HORM_SIM_CONFIG,
  EPISODE_STEPS,
  episodeStepsForDuration,
  HormSim,
  hormSimConfigIssues,
  POLICY_FREQUENCY_HZ,
  resolveHormSimConfig,
  SIMULATION_FREQUENCY_HZ,
  SUB_STEPS,
} from './hormSim.js';
export type { LaneIndex, MergeRoadLengths } from './road/index.js';
export { LANE, MERGE_END_X_M, MERGE_START_X_M, REFERENCE_ROAD_LENGTHS } from './road/index.js';
export { isMainLane } from './scene/neighbourhood.js';
export { OBS_FEATURES, OBS_ROWS, observationDim } from './scene/observation.js';
export type { RewardTerm, RewardWeights } from './scene/reward.js';
export { DEFAULT_REWARD_WEIGHTS, REWARD_TERMS } from './scene/reward.js';
export type { SceneVehicle, TrafficDensity, VehicleSpec } from './scene/spawn.js';
export { cavCount } from './scene/spawn.js';
export { availableActions, META_ACTION_COUNT, MetaAction } from './vehicle/index.js';

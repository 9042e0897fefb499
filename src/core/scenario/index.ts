/**
 * Scenario files (docs/design.md: versioned JSON with a schema): the format, its lanes, the version
 * table, and the validator the CLI and the UI share. Import from here, not from the files.
 */
export { describeValue } from './fields.js';
export { findJsonSyntaxError, type JsonSyntaxError, jsonObjectOf } from './jsonSyntax.js';
export {
  type LaneIndex,
  laneIndexOf,
  laneLengthM,
  laneStartXM,
  type RoadLengths,
  SCENARIO_LANES,
  type ScenarioLane,
  type TrafficLine,
  trafficLineOf,
} from './lanes.js';
export {
  CURRENT_SCENARIO_VERSION,
  type MigrationResult,
  migrateScenario,
  SCENARIO_VERSIONS,
  type ScenarioDocument,
  type ScenarioFormatVersion,
  SUPPORTED_SCENARIO_VERSIONS,
} from './migrate.js';
export {
  DEFAULT_DURATION_S,
  DEFAULT_REWARD_WEIGHTS,
  DEFAULT_ROAD,
  DENSITY_MIN_BEFORE_MERGE_M,
  MAX_SPEED_MPS,
  MAX_VEHICLES,
  OBSTACLE_LENGTH_M,
  type PhysicsMode,
  type PriorityRule,
  REFERENCE_QUIRK_NAMES,
  type ReferenceQuirks,
  ReferenceQuirksSchema,
  type RewardWeights,
  RewardWeightsSchema,
  RoadSchema,
  type Scenario,
  type ScenarioTraffic,
  ScenarioV1,
  type ScenarioV1Input,
  type ScenarioV1Resolved,
  type ScenarioVehicle,
  ScenarioVehicleSchema,
  type TrafficDensity,
  TrafficSchema,
  VEHICLE_LENGTH_M,
} from './schema.js';
export {
  formatIssuePath,
  formatIssues,
  MAX_SCENARIO_FILE_BYTES,
  type ParseScenarioResult,
  parseScenario,
  ROOT_PATH,
  type ScenarioIssue,
  validateScenarioDocument,
} from './validate.js';

/** Road layer of the HORM simulator (docs/spec/horm.md §1): lanes, network graph, the merge road. */

export type { Lane, LaneIndex } from './lane.js';
export {
  isAfterEnd,
  isOnLane,
  isReachableFrom,
  LANE_WIDTH_M,
  laneDistance,
  laneDistanceWithHeading,
  SineLane,
  StraightLane,
  VEHICLE_LENGTH_M,
  wrapToPi,
} from './lane.js';
export type { MergeRoad, MergeRoadLengths, Obstacle, RoadLengthIssue } from './mergeRoad.js';
export {
  buildMergeRoad,
  LANE,
  MERGE_END_X_M,
  MERGE_LANE_Y_M,
  MERGE_START_X_M,
  RAMP_Y_M,
  REFERENCE_ROAD_LENGTHS,
  roadLengthIssues,
  SEGMENT_LENGTHS_M,
  SINE_AMPLITUDE_M,
} from './mergeRoad.js';
export { NO_LANE, RoadNetwork } from './network.js';

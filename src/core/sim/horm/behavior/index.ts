/** Behaviour layer of the HORM simulator (docs/spec/horm.md §4): IDM + MOBIL human drivers. */

export { hdvAct } from './hdvDriver.js';
export {
  ACC_MAX_MPS2,
  COMFORT_ACC_MAX_MPS2,
  COMFORT_ACC_MIN_MPS2,
  DISTANCE_WANTED_M,
  desiredGap,
  IDM_DELTA,
  idmAcceleration,
  idmFormula,
  TIME_WANTED_S,
} from './idm.js';
export {
  changeLanePolicy,
  LANE_CHANGE_DELAY_S,
  LANE_CHANGE_MAX_BRAKING_IMPOSED_MPS2,
  LANE_CHANGE_MIN_ACC_GAIN_MPS2,
  mobil,
  POLITENESS,
} from './mobil.js';
export type { NeighbourPair, Scene } from './neighbours.js';
export { NONE, neighbourVehicles, OBSTACLE } from './neighbours.js';

/** Vehicle layer of the HORM simulator (docs/spec/horm.md §2–§3): state, bicycle model, controllers. */

export {
  bodiesCollide,
  boxesOverlap,
  COLLISION_SCALE,
  REFERENCE_PRECHECK_M,
  referenceBoxesIntersect,
} from './collision.js';
export {
  cavAct,
  clamp,
  followRoad,
  indexToSpeed,
  KP_A,
  KP_HEADING,
  KP_LATERAL,
  MAX_STEERING_RAD,
  notZero,
  PURSUIT_TAU_S,
  roundHalfEven,
  SPEED_COUNT,
  SPEED_MAX_MPS,
  SPEED_MIN_MPS,
  speedCommand,
  speedToIndex,
  steeringCommand,
} from './controller.js';
export { clipCommand, integrateBicycle, MAX_SPEED_MPS } from './kinematics.js';
export { applyMetaAction, availableActions, META_ACTION_COUNT, MetaAction } from './metaActions.js';
export {
  AIR_DENSITY_KGPM3,
  AXLE_OFFSET_M,
  DRAG_AREA_M2,
  GRAVITY_MPS2,
  ROLLING_FADE_MPS,
  ROLLING_RESISTANCE,
  resistanceForce,
  TYRE_FRICTION,
  type TyreInput,
  type TyreOutput,
  tyreForces,
  tyreOutput,
  VEHICLE_MASS_KG,
  YAW_INERTIA_KGM2,
} from './tyreModel.js';
export { VEHICLE_LENGTH_M, VEHICLE_WIDTH_M, VehicleKind, VehicleTable } from './vehicleTable.js';

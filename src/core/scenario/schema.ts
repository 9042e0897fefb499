/**
 * Scenario file format, version 1 (docs/design.md: scenarios are versioned JSON with a schema): the
 * HORM road (docs/spec/horm.md §1.1), the traffic (a reference density, §5.1, or an explicit vehicle
 * list), episode length (§2.3), seed (§5.4), safety supervisor (§3.6), physics mode (docs/design.md),
 * agent priority rule and the local reward's weights (§7.1). Unknown keys are errors; every number
 * is finite and bounded; omitted optional fields take the reference's values.
 */
import { z } from 'zod';
import { VEHICLE_LENGTH_M } from '../sim/horm/road/lane.js';
import { describeValue, flag, listOf, numberIn, numberOneOf, oneOf, strictFields, text } from './fields.js';
import {
  laneLengthM,
  laneStartXM,
  type RoadLengths,
  SCENARIO_LANES,
  type ScenarioLane,
  type TrafficLine,
  trafficLineOf,
} from './lanes.js';

// --- spec constants ---

/** Length of every vehicle, CAV or HDV [m] (the simulator's, §2.1): also the minimum centre gap. */
export { VEHICLE_LENGTH_M };
/** Speed clamp of the bicycle model [m/s]; docs/spec/horm.md §2.2. */
export const MAX_SPEED_MPS = 40;
/** Length of the obstacle closing the merge lane at its end [m]; docs/spec/horm.md §1.6. */
export const OBSTACLE_LENGTH_M = 2;
/**
 * Shortest ramp straight (j,k,0) that density traffic fits on [m]: ramp spawn offsets reach
 * 205 + 1.5 m of noise (docs/spec/horm.md §5.2), plus half a vehicle length.
 */
export const DENSITY_MIN_BEFORE_MERGE_M = 205 + 1.5 + VEHICLE_LENGTH_M / 2;

/** Reference segment lengths [m]; docs/spec/horm.md §1.1. */
export const DEFAULT_ROAD: RoadLengths = {
  beforeMergeM: 220,
  convergingM: 100,
  mergeM: 100,
  afterMergeM: 100,
};
/** Reference episode length [s]: 20 s at 5 Hz = 100 policy steps; docs/spec/horm.md §2.3. */
export const DEFAULT_DURATION_S = 20;
/** Reference reward weights; docs/spec/horm.md §7.1 (COLLISION_REWARD, HIGH_SPEED_REWARD, …). */
export const DEFAULT_REWARD_WEIGHTS = {
  collision: 200,
  highSpeed: 1,
  mergingLaneCost: 4,
  headwayCost: 4,
} as const;

/**
 * The simulator's reference-quirk switches (HormQuirks in src/core/sim/horm/config.ts; docs/spec/horm.md
 * §10): each `true` restores a reference bug the product fixes by default.
 */
export const REFERENCE_QUIRK_NAMES = [
  'referenceCollision',
  'shortLastStep',
  'segmentLocalNeighbours',
  'unclampedDesiredGap',
  'speedIndexFromSpeed',
] as const;

/** Largest value any segment length may take [m]. */
const MAX_SEGMENT_M = 2000;
/** Longest possible lane [m]: (a,b,0) spans the first two segments. */
const MAX_LANE_M = 2 * MAX_SEGMENT_M;
/** Most vehicles an explicit list may hold. */
export const MAX_VEHICLES = 100;

// --- fields ---

/** Segment lengths; bounds keep the geometry drivable. */
export const RoadSchema = strictFields(
  {
    /** Main road before the merge zone = straight part of the ramp [m]. */
    beforeMergeM: numberIn(20, MAX_SEGMENT_M, 'm').default(DEFAULT_ROAD.beforeMergeM),
    /**
     * Converging (sine) ramp section [m]. At least 50 m: the 3.25 m lateral shift then turns the
     * ramp by at most atan(3.25·π/50) ≈ 0.2 rad (0.10 rad at the reference's 100 m; §1.3).
     */
    convergingM: numberIn(50, 500, 'm').default(DEFAULT_ROAD.convergingM),
    /** Merge zone: length of the acceleration lane (b,c,1) [m]; at least 30 m to change lanes. */
    mergeM: numberIn(30, 1000, 'm').default(DEFAULT_ROAD.mergeM),
    /** Main road after the merge zone [m] (vehicles keep driving past its end; §1.5). */
    afterMergeM: numberIn(20, MAX_SEGMENT_M, 'm').default(DEFAULT_ROAD.afterMergeM),
  },
  'road',
);

/** One vehicle of an explicit list, placed on a lane centre line, heading along the lane. */
export const ScenarioVehicleSchema = strictFields(
  {
    /** Controlled (an agent) or human-driven (IDM/MOBIL, docs/spec/horm.md §4). */
    kind: oneOf(['cav', 'hdv']),
    /** Lane id "from-to-id" (docs/spec/horm.md §1.2). */
    lane: oneOf(SCENARIO_LANES),
    /** Position of the vehicle's centre along the lane from its start [m]. */
    positionM: numberIn(0, MAX_LANE_M, 'm'),
    /** Initial speed [m/s] (an HDV also keeps it as its desired speed, docs/spec/horm.md §4.1). */
    speedMps: numberIn(0, MAX_SPEED_MPS, 'm/s'),
    /** CAVs only, all or none, distinct: agents are numbered by increasing priority. */
    priority: numberIn(0, 1000, '', { integer: true }).optional(),
  },
  'a vehicle',
);

/** Traffic: a reference density or an explicit vehicle list (exactly one of them). */
export const TrafficSchema = strictFields(
  {
    /** Reference spawning (docs/spec/horm.md §5.1–5.2): density + 1 CAVs and a random HDV count. */
    density: numberOneOf([1, 2, 3]).optional(),
    /** Explicit initial scene. */
    vehicles: listOf(ScenarioVehicleSchema, 1, MAX_VEHICLES, 'vehicles').optional(),
  },
  'traffic',
).superRefine((traffic, ctx) => {
  if (traffic.density !== undefined && traffic.vehicles !== undefined) {
    ctx.addIssue({ code: 'custom', message: 'expected density or vehicles, received both', input: traffic });
  } else if (traffic.density === undefined && traffic.vehicles === undefined) {
    ctx.addIssue({
      code: 'custom',
      message: 'expected density (1, 2 or 3) or vehicles (a list), received neither',
      input: traffic,
    });
  }
});

/** Weights of the local reward's terms (docs/spec/horm.md §7.1); the regional reward averages it (§7.4). */
export const RewardWeightsSchema = strictFields(
  {
    /** Penalty for a crashed CAV (COLLISION_REWARD): the term is −collision. */
    collision: numberIn(0, 10_000, '').default(DEFAULT_REWARD_WEIGHTS.collision),
    /** Weight of the speed term clamp((v − 10)/20, 0, 1) (HIGH_SPEED_REWARD). */
    highSpeed: numberIn(0, 10_000, '').default(DEFAULT_REWARD_WEIGHTS.highSpeed),
    /** Weight of the merge-lane cost −exp(−(x − x_end)²/1000) (MERGING_LANE_COST). */
    mergingLaneCost: numberIn(0, 10_000, '').default(DEFAULT_REWARD_WEIGHTS.mergingLaneCost),
    /** Weight of the headway cost min(0, ln(hd / (1.2 v))) (HEADWAY_COST). */
    headwayCost: numberIn(0, 10_000, '').default(DEFAULT_REWARD_WEIGHTS.headwayCost),
  },
  'rewardWeights',
);

const QUIRK_LIST = REFERENCE_QUIRK_NAMES.join(', ');

/** Every quirk switch set to `value`. */
function allQuirks(value: boolean): Record<(typeof REFERENCE_QUIRK_NAMES)[number], boolean> {
  return Object.fromEntries(REFERENCE_QUIRK_NAMES.map((name) => [name, value])) as Record<
    (typeof REFERENCE_QUIRK_NAMES)[number],
    boolean
  >;
}

/**
 * Reference quirks to restore (docs/spec/horm.md §10): `true` = all of them (the reference as in
 * Appendix B), `false` = none (the default), or an object naming some, each `true` or `false`
 * (a name left out is off). Resolves to the object with every name filled in.
 */
export const ReferenceQuirksSchema = z.preprocess(
  (value) => (value === true ? allQuirks(true) : value === false ? {} : value),
  z.strictObject(
    {
      /** The reference's 9-point collision test with its +heading sign (§2.6, §10.8). */
      referenceCollision: flag().default(false),
      /** The last policy step lasts one sub-step (§2.3, §10.4). */
      shortLastStep: flag().default(false),
      /** IDM/MOBIL see only the current lane segment ± 5 m (§4.2, §10.9). */
      segmentLocalNeighbours: flag().default(false),
      /** IDM desired gap not clamped at 0 (§4.2, §10.10). */
      unclampedDesiredGap: flag().default(false),
      /** FASTER/SLOWER step from the current speed's index (§3.2, §10.11). */
      speedIndexFromSpeed: flag().default(false),
    },
    {
      error: (issue: { code?: string; input?: unknown }) =>
        issue.code === 'unrecognized_keys'
          ? `referenceQuirks takes ${QUIRK_LIST}`
          : `expected true (every quirk), false (none) or an object with some of ${QUIRK_LIST}, received ${describeValue(issue.input)}`,
    },
  ),
);

/** The fields of a version-1 scenario file, before the cross-field checks. */
const ScenarioV1Fields = strictFields(
  {
    /** Format version; files of older versions are migrated first (migrate.ts). */
    version: numberOneOf([1]),
    /** Short name shown in lists. */
    name: text(100),
    /** What the scenario is for. */
    description: text(2000).optional(),
    /** Root seed of the episode stream (spawning, HDV draws, supervisor; docs/spec/horm.md §5.4). */
    seed: numberIn(0, 2 ** 32 - 1, '', { integer: true }),
    /** Episode time limit [s]; docs/spec/horm.md §2.3 (20 s = 100 policy steps at 5 Hz). */
    durationS: numberIn(0.2, 3600, 's').default(DEFAULT_DURATION_S),
    /** Segment lengths (docs/spec/horm.md §1.1). */
    road: RoadSchema.prefault({}),
    /** Who is on the road at the start. */
    traffic: TrafficSchema,
    /** Safety supervisor on CAV actions (docs/spec/horm.md §3.6; on in STEER's setup). */
    supervisor: flag().default(true),
    /** "reference": bicycle model integrated as the spec gives it; "dynamic": planck forces. */
    physics: oneOf(['reference', 'dynamic']).default('reference'),
    /** Reference bugs to restore (docs/spec/horm.md §10); default none: the correct behaviour. */
    referenceQuirks: ReferenceQuirksSchema.prefault(false),
    /**
     * Who leads whom in STEER's leader–follower order: "index" (agent number, the reference),
     * "main-road-first" (main-road CAVs before ramp CAVs) or "closest-to-merge-first".
     */
    priority: oneOf(['index', 'main-road-first', 'closest-to-merge-first']).default('index'),
    /** Reward weights (docs/spec/horm.md §7.1). */
    rewardWeights: RewardWeightsSchema.prefault({}),
  },
  'a scenario',
);

type ScenarioV1Data = z.output<typeof ScenarioV1Fields>;
type ScenarioVehicleData = z.output<typeof ScenarioVehicleSchema>;

// --- cross-field checks ---

/** Why a lane ends where it does, for messages. */
function laneEndNote(lane: ScenarioLane): string {
  return lane === 'b-c-1'
    ? `the lane length less ${VEHICLE_LENGTH_M / 2 + OBSTACLE_LENGTH_M / 2} m for the obstacle at its end`
    : 'the lane length';
}

/** Largest centre position on a lane that keeps the vehicle clear of the lane's end [m]. */
function maxPositionM(road: RoadLengths, lane: ScenarioLane): number {
  const length = laneLengthM(road, lane);
  return lane === 'b-c-1' ? length - VEHICLE_LENGTH_M / 2 - OBSTACLE_LENGTH_M / 2 : length;
}

/** A number for messages: at most 3 decimals. */
function formatM(value: number): string {
  return String(Number(value.toFixed(3)));
}

/** A vehicle of the list with its index, for issue paths. */
interface IndexedVehicle {
  readonly vehicle: ScenarioVehicleData;
  readonly i: number;
}

/** Whether an issue already sits at or under `prefix` (a field path). */
function hasIssue(ctx: z.RefinementCtx, ...prefix: PropertyKey[]): boolean {
  return ctx.issues.some((issue) => prefix.every((key, k) => issue.path?.[k] === key));
}

/** The path of vehicle i's field: `traffic.vehicles[i].field`. */
function vehiclePath(i: number, ...field: string[]): PropertyKey[] {
  return ['traffic', 'vehicles', i, ...field];
}

/**
 * Checks that need more than one field: density traffic fits the road; each vehicle lies within
 * its lane; vehicles of one line of traffic do not overlap; at least one CAV; CAV priorities.
 * Each issue carries the path of the field to change. zod runs this even when some field is out of
 * range (range issues do not stop parsing), so a check is skipped when a field it reads already
 * has an issue: one problem, one line. The steps run in this order, which is the order of the
 * issues.
 */
function checkScenario(scenario: ScenarioV1Data, ctx: z.RefinementCtx): void {
  const { road, traffic } = scenario;
  const roadOk = !hasIssue(ctx, 'road');
  if (roadOk && traffic.density !== undefined) checkRoadFitsDensity(road, ctx);
  const vehicles = traffic.vehicles;
  if (vehicles === undefined) return;
  // Vehicles whose place is known: valid road, position in range (decided before the steps below
  // add issues of their own).
  const placed = roadOk
    ? vehicles.flatMap((vehicle, i) =>
        hasIssue(ctx, ...vehiclePath(i, 'positionM')) ? [] : [{ vehicle, i }],
      )
    : [];
  checkWithinLanes(road, placed, ctx);
  checkNoOverlaps(road, placed, ctx);
  const cavs = vehicles.flatMap((vehicle, i) => (vehicle.kind === 'cav' ? [{ vehicle, i }] : []));
  checkSomeCav(vehicles, cavs, ctx);
  checkPriorities(vehicles, cavs, ctx);
}

/** Density traffic spawns ramp vehicles up to 206.5 m along j-k-0: the ramp straight must hold them. */
function checkRoadFitsDensity(road: RoadLengths, ctx: z.RefinementCtx): void {
  if (road.beforeMergeM >= DENSITY_MIN_BEFORE_MERGE_M) return;
  ctx.addIssue({
    code: 'custom',
    path: ['road', 'beforeMergeM'],
    input: road.beforeMergeM,
    message: `expected number in [${DENSITY_MIN_BEFORE_MERGE_M}, ${MAX_SEGMENT_M}] m with density traffic (ramp vehicles spawn up to 206.5 m along j-k-0), received ${road.beforeMergeM}`,
  });
}

/** Each placed vehicle's centre lies on its lane, clear of the obstacle at the merge lane's end. */
function checkWithinLanes(road: RoadLengths, placed: readonly IndexedVehicle[], ctx: z.RefinementCtx): void {
  for (const { vehicle, i } of placed) {
    const max = maxPositionM(road, vehicle.lane);
    if (vehicle.positionM > max) {
      ctx.addIssue({
        code: 'custom',
        path: vehiclePath(i, 'positionM'),
        input: vehicle.positionM,
        message: `expected number in [0, ${formatM(max)}] m on lane ${vehicle.lane} (${laneEndNote(vehicle.lane)}), received ${vehicle.positionM}`,
      });
    }
  }
}

/**
 * No overlaps: along each line of traffic, neighbouring centres at least one vehicle length apart.
 * The issue goes to the later vehicle of the list, naming the earlier one.
 */
function checkNoOverlaps(road: RoadLengths, placed: readonly IndexedVehicle[], ctx: z.RefinementCtx): void {
  for (const line of ['main', 'ramp'] as const satisfies readonly TrafficLine[]) {
    const onLine = placed
      .map(({ vehicle, i }) => ({ i, x: laneStartXM(road, vehicle.lane) + vehicle.positionM, vehicle }))
      .filter(({ vehicle }) => trafficLineOf(vehicle.lane) === line)
      .sort((p, q) => p.x - q.x || p.i - q.i);
    for (let k = 1; k < onLine.length; k++) {
      const [p, q] = [onLine[k - 1]!, onLine[k]!];
      const gap = q.x - p.x;
      if (gap >= VEHICLE_LENGTH_M) continue;
      const [first, second] = p.i < q.i ? [p, q] : [q, p];
      ctx.addIssue({
        code: 'custom',
        path: vehiclePath(second.i, 'positionM'),
        input: second.vehicle.positionM,
        message: `overlaps traffic.vehicles[${first.i}] on the ${line === 'main' ? 'main road' : 'ramp'}: centres ${formatM(gap)} m apart, expected at least ${VEHICLE_LENGTH_M} m (the vehicle length)`,
      });
    }
  }
}

/** At least one CAV: the CAVs are the agents. */
function checkSomeCav(
  vehicles: readonly ScenarioVehicleData[],
  cavs: readonly IndexedVehicle[],
  ctx: z.RefinementCtx,
): void {
  if (cavs.length > 0) return;
  ctx.addIssue({
    code: 'custom',
    path: ['traffic', 'vehicles'],
    input: vehicles,
    message: `expected at least one vehicle of kind "cav" (the agents), received ${vehicles.length} of kind "hdv"`,
  });
}

/** Priorities: CAVs only; all CAVs or none; distinct. A priority with an issue of its own is skipped. */
function checkPriorities(
  vehicles: readonly ScenarioVehicleData[],
  cavs: readonly IndexedVehicle[],
  ctx: z.RefinementCtx,
): void {
  vehicles.forEach((vehicle, i) => {
    if (
      vehicle.kind === 'hdv' &&
      vehicle.priority !== undefined &&
      !hasIssue(ctx, ...vehiclePath(i, 'priority'))
    ) {
      ctx.addIssue({
        code: 'custom',
        path: vehiclePath(i, 'priority'),
        input: vehicle.priority,
        message: `expected no priority on an "hdv" (only CAVs are agents), received ${vehicle.priority}`,
      });
    }
  });
  const withPriority = cavs.filter(
    ({ vehicle, i }) => vehicle.priority !== undefined && !hasIssue(ctx, ...vehiclePath(i, 'priority')),
  );
  checkAllOrNoPriorities(cavs, withPriority, ctx);
  checkDistinctPriorities(withPriority, ctx);
}

/** Once one CAV has a priority, every CAV needs one: the order must be total. */
function checkAllOrNoPriorities(
  cavs: readonly IndexedVehicle[],
  withPriority: readonly IndexedVehicle[],
  ctx: z.RefinementCtx,
): void {
  const example = withPriority[0];
  if (example === undefined || withPriority.length >= cavs.length) return;
  for (const { i } of cavs.filter(({ vehicle }) => vehicle.priority === undefined)) {
    ctx.addIssue({
      code: 'custom',
      path: vehiclePath(i, 'priority'),
      input: undefined,
      message: `expected an integer in [0, 1000] on every CAV once one has a priority (traffic.vehicles[${example.i}] has ${example.vehicle.priority}), received ${describeValue(undefined)}`,
    });
  }
}

/** No two CAVs share a priority; the issue goes to the later one, naming the first. */
function checkDistinctPriorities(withPriority: readonly IndexedVehicle[], ctx: z.RefinementCtx): void {
  const firstWith = new Map<number, number>();
  for (const { vehicle, i } of withPriority) {
    const priority = vehicle.priority!;
    const earlier = firstWith.get(priority);
    if (earlier === undefined) {
      firstWith.set(priority, i);
      continue;
    }
    ctx.addIssue({
      code: 'custom',
      path: vehiclePath(i, 'priority'),
      input: priority,
      message: `expected a priority distinct from the other CAVs', received ${priority}, already used by traffic.vehicles[${earlier}]`,
    });
  }
}

/** Puts the traffic in its resolved form: exactly one of density or vehicles. */
function resolveTraffic(traffic: ScenarioV1Data['traffic']): ScenarioTraffic {
  return traffic.vehicles !== undefined ? { vehicles: traffic.vehicles } : { density: traffic.density! };
}

// --- the schema ---

/** A scenario file of format version 1; parses to a resolved `Scenario` (defaults filled). */
export const ScenarioV1 = ScenarioV1Fields.superRefine(checkScenario).transform(
  (data): ScenarioV1Resolved => ({ ...data, traffic: resolveTraffic(data.traffic) }),
);

/** Reference traffic density (docs/spec/horm.md §5.1). */
export type TrafficDensity = 1 | 2 | 3;
/** One vehicle of an explicit list. */
export type ScenarioVehicle = ScenarioVehicleData;
/** Resolved traffic: a reference density or an explicit list. */
export type ScenarioTraffic = { readonly density: TrafficDensity } | { readonly vehicles: ScenarioVehicle[] };
/** A resolved version-1 scenario: every default filled in. */
export type ScenarioV1Resolved = Omit<ScenarioV1Data, 'traffic'> & { traffic: ScenarioTraffic };
/** What a version-1 file may contain (optional fields may be left out). */
export type ScenarioV1Input = z.input<typeof ScenarioV1>;
/** Agent priority rule. */
export type PriorityRule = ScenarioV1Resolved['priority'];
/** Physics mode. */
export type PhysicsMode = ScenarioV1Resolved['physics'];
/** Reference-quirk switches by name, every name filled in. */
export type ReferenceQuirks = ScenarioV1Resolved['referenceQuirks'];
/** Reward weights by term. */
export type RewardWeights = ScenarioV1Resolved['rewardWeights'];
/** A resolved scenario of the current format version. */
export type Scenario = ScenarioV1Resolved;

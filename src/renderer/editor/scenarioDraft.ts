/**
 * The scenario being edited, as plain data, and the edits the editor makes to it: place a vehicle
 * on a lane, drag it along or between lanes (clamped to the lane), delete it, change a field.
 * Pure functions over a `ScenarioDraft`; no DOM, so they are unit-tested in Node.
 *
 * A draft holds what the user typed, not only valid values: a number field that does not parse is
 * kept as its text, so the schema's own message names it ("expected number in [0, 40] m/s,
 * received "fast""). It serialises to a scenario document (`draftToDocument`) that is validated
 * with the core validator as the user types (`validateDraft`), exactly as `steer scenario
 * validate` checks a file.
 */
import {
  CURRENT_SCENARIO_VERSION,
  DEFAULT_DURATION_S,
  DEFAULT_REWARD_WEIGHTS,
  DEFAULT_ROAD,
  laneLengthM,
  OBSTACLE_LENGTH_M,
  parseScenario,
  type RoadLengths,
  RoadSchema,
  SCENARIO_LANES,
  type ScenarioIssue,
  type ScenarioLane,
  VEHICLE_LENGTH_M,
} from '../../core/scenario/index.js';

/** A number field as typed: a number, or the text when it is not one (the validator names it). */
export type FieldNumber = number | string;

/** Vehicle kinds. */
export type VehicleKind = 'cav' | 'hdv';

/** One vehicle of the explicit list. */
export interface DraftVehicle {
  kind: VehicleKind;
  lane: ScenarioLane;
  /** Centre position along the lane from its start [m]. */
  positionM: FieldNumber;
  /** Initial speed [m/s]. */
  speedMps: FieldNumber;
  /** CAV priority (agents numbered by increasing priority), or null for none. */
  priority: FieldNumber | null;
}

/** Segment lengths as typed [m]. */
export type DraftRoad = { -readonly [K in keyof RoadLengths]: FieldNumber };

/** Reward weights as typed. */
export type DraftRewardWeights = { -readonly [K in keyof typeof DEFAULT_REWARD_WEIGHTS]: FieldNumber };

/** The scenario being edited: every field of a version-1 file, traffic in both forms. */
export interface ScenarioDraft {
  name: string;
  /** Empty: no description field in the file. */
  description: string;
  seed: FieldNumber;
  durationS: FieldNumber;
  road: DraftRoad;
  /** Which traffic the file gets; the other form is kept while editing. */
  trafficMode: 'density' | 'vehicles';
  density: FieldNumber;
  vehicles: DraftVehicle[];
  supervisor: boolean;
  physics: string;
  priority: string;
  rewardWeights: DraftRewardWeights;
  /** Top-level fields of the file the editor has no control for, written back unchanged. */
  extra: Record<string, unknown>;
}

/** Speed of a newly placed vehicle [m/s] (the reference's spawn speeds are 25–27 m/s, §5.2). */
export const NEW_VEHICLE_SPEED_MPS = 25;

/** Fields the draft models; anything else in a file goes to `extra`. */
const MODELLED_FIELDS = new Set([
  'version',
  'name',
  'description',
  'seed',
  'durationS',
  'road',
  'traffic',
  'supervisor',
  'physics',
  'priority',
  'rewardWeights',
]);

/** A new scenario: reference road and settings, an empty vehicle list to fill by clicking. */
export function blankDraft(): ScenarioDraft {
  return {
    name: 'Untitled scenario',
    description: '',
    seed: 0,
    durationS: DEFAULT_DURATION_S,
    road: { ...DEFAULT_ROAD },
    trafficMode: 'vehicles',
    density: 1,
    vehicles: [],
    supervisor: true,
    physics: 'reference',
    priority: 'index',
    rewardWeights: { ...DEFAULT_REWARD_WEIGHTS },
    extra: {},
  };
}

/** A number field from a typed text: the number when it is one, else the text as it is. */
export function parseFieldNumber(text: string): FieldNumber {
  const trimmed = text.trim();
  if (trimmed === '') return text;
  const value = Number(trimmed);
  return Number.isFinite(value) ? value : text;
}

/** What a document value becomes in a number field (a number, or its JSON text). */
function fieldNumberOf(value: unknown, fallback: number): FieldNumber {
  if (value === undefined) return fallback;
  if (typeof value === 'number') return value;
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** A plain object, or an empty one. */
function objectOf(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

/**
 * A draft of a file's document (as parsed from its JSON). Lenient: a missing field takes its
 * default, a wrong one is kept as text where it can be so that validation still names it.
 */
export function draftFromDocument(document: Record<string, unknown>): ScenarioDraft {
  const blank = blankDraft();
  const road = objectOf(document.road);
  const weights = objectOf(document.rewardWeights);
  const traffic = objectOf(document.traffic);
  const list = Array.isArray(traffic.vehicles) ? traffic.vehicles : [];
  const vehicles = list.map((raw): DraftVehicle => {
    const v = objectOf(raw);
    const lane = (SCENARIO_LANES as readonly unknown[]).includes(v.lane) ? (v.lane as ScenarioLane) : 'a-b-0';
    return {
      kind: v.kind === 'hdv' ? 'hdv' : 'cav',
      lane,
      positionM: fieldNumberOf(v.positionM, 0),
      speedMps: fieldNumberOf(v.speedMps, NEW_VEHICLE_SPEED_MPS),
      priority: v.priority === undefined ? null : fieldNumberOf(v.priority, 0),
    };
  });
  const extra: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(document)) if (!MODELLED_FIELDS.has(key)) extra[key] = value;
  const roadField = (key: keyof DraftRoad) => fieldNumberOf(road[key], DEFAULT_ROAD[key]);
  const weight = (key: keyof DraftRewardWeights) => fieldNumberOf(weights[key], DEFAULT_REWARD_WEIGHTS[key]);
  return {
    name: typeof document.name === 'string' ? document.name : blank.name,
    description: typeof document.description === 'string' ? document.description : '',
    seed: fieldNumberOf(document.seed, 0),
    durationS: fieldNumberOf(document.durationS, DEFAULT_DURATION_S),
    road: {
      beforeMergeM: roadField('beforeMergeM'),
      convergingM: roadField('convergingM'),
      mergeM: roadField('mergeM'),
      afterMergeM: roadField('afterMergeM'),
    },
    trafficMode: traffic.vehicles !== undefined || traffic.density === undefined ? 'vehicles' : 'density',
    density: fieldNumberOf(traffic.density, 1),
    vehicles,
    supervisor: typeof document.supervisor === 'boolean' ? document.supervisor : true,
    physics: typeof document.physics === 'string' ? document.physics : 'reference',
    priority: typeof document.priority === 'string' ? document.priority : 'index',
    rewardWeights: {
      collision: weight('collision'),
      highSpeed: weight('highSpeed'),
      mergingLaneCost: weight('mergingLaneCost'),
      headwayCost: weight('headwayCost'),
    },
    extra,
  };
}

/** The scenario document of a draft, in the field order of the bundled files. */
export function draftToDocument(draft: ScenarioDraft): Record<string, unknown> {
  const traffic =
    draft.trafficMode === 'density'
      ? { density: draft.density }
      : {
          vehicles: draft.vehicles.map((v) => ({
            kind: v.kind,
            lane: v.lane,
            positionM: v.positionM,
            speedMps: v.speedMps,
            ...(v.priority === null ? {} : { priority: v.priority }),
          })),
        };
  return {
    version: CURRENT_SCENARIO_VERSION,
    name: draft.name,
    ...(draft.description === '' ? {} : { description: draft.description }),
    seed: draft.seed,
    durationS: draft.durationS,
    road: { ...draft.road },
    traffic,
    supervisor: draft.supervisor,
    physics: draft.physics,
    priority: draft.priority,
    rewardWeights: { ...draft.rewardWeights },
    ...draft.extra,
  };
}

/** The validator's issues for the draft (empty: it would save and run). */
export function validateDraft(draft: ScenarioDraft): ScenarioIssue[] {
  const parsed = parseScenario(JSON.stringify(draftToDocument(draft)), 'editor');
  return parsed.ok ? [] : [...parsed.issues];
}

// --- lanes and positions ---

/**
 * The draft's segment lengths where the schema accepts them, else `fallback`'s [m]: the road the
 * editor draws. A length out of its range is drawn as the last valid road had it (pass that road as
 * `fallback`), so typing 1e9 shows the old road and its message, not a road a million lanes long
 * that freezes the tab; with no valid road yet the reference's.
 */
export function usableRoad(road: DraftRoad, fallback: RoadLengths = DEFAULT_ROAD): RoadLengths {
  const pick = (key: keyof RoadLengths) => {
    const value = road[key];
    return typeof value === 'number' && RoadSchema.shape[key].safeParse(value).success
      ? value
      : fallback[key];
  };
  return {
    beforeMergeM: pick('beforeMergeM'),
    convergingM: pick('convergingM'),
    mergeM: pick('mergeM'),
    afterMergeM: pick('afterMergeM'),
  };
}

/**
 * Largest centre position on `lane` the schema accepts [m]: the lane length, less half a vehicle
 * and half the obstacle on the merge lane b-c-1 (docs/spec/horm.md §1.6).
 */
export function maxPositionM(road: RoadLengths, lane: ScenarioLane): number {
  const length = laneLengthM(road, lane);
  return lane === 'b-c-1' ? length - VEHICLE_LENGTH_M / 2 - OBSTACLE_LENGTH_M / 2 : length;
}

/** `positionM` clamped onto `lane` and rounded to 0.1 m (what a click or drag places). */
export function clampToLane(road: RoadLengths, lane: ScenarioLane, positionM: number): number {
  const clamped = Math.min(Math.max(positionM, 0), maxPositionM(road, lane));
  return Math.round(clamped * 10) / 10;
}

/** The next free priority among the CAVs (one more than the largest numeric one; 0 if none). */
function nextPriority(vehicles: readonly DraftVehicle[]): number {
  let max = -1;
  for (const v of vehicles) if (typeof v.priority === 'number') max = Math.max(max, v.priority);
  return max + 1;
}

/** Whether the CAVs carry priorities (then a new CAV needs one too). */
function usesPriorities(vehicles: readonly DraftVehicle[]): boolean {
  return vehicles.some((v) => v.kind === 'cav' && v.priority !== null);
}

/**
 * Adds a vehicle at `positionM` along `lane` (clamped onto the lane) and returns its index. A new
 * CAV gets the next free priority when the others have priorities.
 */
export function placeVehicle(
  draft: ScenarioDraft,
  lane: ScenarioLane,
  positionM: number,
  kind: VehicleKind,
  speedMps: number = NEW_VEHICLE_SPEED_MPS,
): number {
  const priority = kind === 'cav' && usesPriorities(draft.vehicles) ? nextPriority(draft.vehicles) : null;
  draft.vehicles.push({
    kind,
    lane,
    positionM: clampToLane(usableRoad(draft.road), lane, positionM),
    speedMps,
    priority,
  });
  return draft.vehicles.length - 1;
}

/** Moves vehicle `index` to `positionM` along `lane`, clamped onto that lane. */
export function moveVehicle(
  draft: ScenarioDraft,
  index: number,
  lane: ScenarioLane,
  positionM: number,
): void {
  const vehicle = draft.vehicles[index];
  if (vehicle === undefined)
    throw new RangeError(`moveVehicle: no vehicle ${index} of ${draft.vehicles.length}`);
  vehicle.lane = lane;
  vehicle.positionM = clampToLane(usableRoad(draft.road), lane, positionM);
}

/** Removes vehicle `index`. */
export function deleteVehicle(draft: ScenarioDraft, index: number): void {
  if (index < 0 || index >= draft.vehicles.length) {
    throw new RangeError(`deleteVehicle: no vehicle ${index} of ${draft.vehicles.length}`);
  }
  draft.vehicles.splice(index, 1);
}

/**
 * Changes a vehicle's kind: an HDV has no priority; a CAV joining CAVs that have priorities gets
 * the next free one.
 */
export function setVehicleKind(draft: ScenarioDraft, index: number, kind: VehicleKind): void {
  const vehicle = draft.vehicles[index];
  if (vehicle === undefined || vehicle.kind === kind) return;
  const others = draft.vehicles.filter((_, i) => i !== index);
  vehicle.kind = kind;
  vehicle.priority = kind === 'cav' && usesPriorities(others) ? nextPriority(others) : null;
}

/** Issues whose path is `path` or lies below it (`traffic.vehicles[2]` → its fields too). */
export function issuesUnder(issues: readonly ScenarioIssue[], path: string): ScenarioIssue[] {
  return issues.filter(
    (issue) => issue.path === path || issue.path.startsWith(`${path}.`) || issue.path.startsWith(`${path}[`),
  );
}

/**
 * The agent number of each vehicle (−1 for an HDV): CAVs numbered by increasing priority when
 * every CAV has a numeric one, else in list order (docs/scenarios.md, `priority`).
 */
export function agentNumbers(vehicles: readonly DraftVehicle[]): number[] {
  const cavs = vehicles.flatMap((v, i) => (v.kind === 'cav' ? [i] : []));
  const byPriority = cavs.every((i) => typeof vehicles[i]!.priority === 'number');
  const order = byPriority
    ? [...cavs].sort((a, b) => (vehicles[a]!.priority as number) - (vehicles[b]!.priority as number) || a - b)
    : cavs;
  const out = vehicles.map(() => -1);
  order.forEach((i, agent) => {
    out[i] = agent;
  });
  return out;
}

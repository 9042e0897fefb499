/**
 * The JSON parts of a replay (layout.ts): the header, written before the first frame, and the
 * footer of the end block with its chunk index and episode summary. Both schemas are strict, so a
 * field added later needs a new format version (docs/replays.md "Versions").
 */
import { z } from 'zod';
import { MAX_AGENTS, MAX_CHUNK_FRAMES, NO_LANE } from './layout.js';

/** A JSON value (the scenario document is kept as plain JSON). */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
const JsonValueSchema: z.ZodType<JsonValue> = z.lazy(() =>
  z.union([
    z.string(),
    z.number(),
    z.boolean(),
    z.null(),
    z.array(JsonValueSchema),
    z.record(z.string(), JsonValueSchema),
  ]),
);

const label = (max: number) => z.string().min(1).max(max);
const PATH_CHARS = 4096;

/** Segment lengths of the merge road [m] (docs/spec/horm.md §1.1; scenario `road`). */
export const ReplayRoadSchema = z.strictObject({
  beforeMergeM: z.number().positive(),
  convergingM: z.number().positive(),
  mergeM: z.number().positive(),
  afterMergeM: z.number().positive(),
});

/** What chose the actions (HORM and MuJoCo headers alike). */
export const ReplayModelSchema = z.strictObject({
  /** Short name: "steer", "random", "idle", a baseline's name. */
  name: label(200),
  /** Run folder, e.g. "runs/demo". */
  run: z.string().max(PATH_CHARS).optional(),
  /** Checkpoint directory. */
  checkpoint: z.string().max(PATH_CHARS).optional(),
  /** Training updates done when the checkpoint was saved. */
  update: z.int().nonnegative().optional(),
  /** Greedy (argmax) actions rather than sampled ones. */
  deterministic: z.boolean().optional(),
  /** Seed of the action sampler. */
  seed: z.int().optional(),
});

/** The header: everything fixed for the episode, written before the first frame. */
export const ReplayHeaderSchema = z.strictObject({
  /** Env registry name, e.g. "horm:density-3". */
  env: label(200),
  /** The scenario that made the episode. */
  scenario: z.strictObject({
    /** Name shown in lists ("HORM hard", or the env name when there is no scenario file). */
    name: label(200),
    /** Seed of the episode (`env.reset(seed)`, docs/spec/horm.md §5.4). */
    seed: z.int(),
    /** Reference traffic density when traffic was drawn by density (docs/spec/horm.md §5.1). */
    density: z.union([z.literal(1), z.literal(2), z.literal(3)]).optional(),
    /** Scenario file, as the user gave it. */
    file: z.string().max(PATH_CHARS).optional(),
    /** The resolved scenario (src/core/scenario), so a player can show and rebuild it. */
    document: z.record(z.string(), JsonValueSchema).optional(),
  }),
  /** What chose the actions. */
  model: ReplayModelSchema,
  /** Number of agents A (the first A vehicles of every frame). */
  agents: z.int().min(1).max(MAX_AGENTS),
  /** Road the episode ran on. */
  road: ReplayRoadSchema,
  /** Lane byte → lane id "from-to-index" (docs/spec/horm.md §1.2), e.g. ["a-b-0", "b-c-0", …]. */
  lanes: z.array(label(40)).max(NO_LANE),
  /** Kind byte → vehicle kind, e.g. ["cav", "hdv"]. */
  kinds: z.array(label(40)).min(1).max(255),
  /** Action byte → meta-action name (docs/spec/horm.md §3.1), e.g. ["LANE_LEFT", "IDLE", …]. */
  actions: z.array(label(40)).min(1).max(127),
  /** Duration of one decision step [s] (1 / policy frequency, docs/spec/horm.md §2.3). */
  stepS: z.number().positive().max(3600),
  /** Reward each agent received: "regional", "local" or "global" (docs/spec/horm.md §7). */
  rewardType: label(40),
  /** Whether the safety supervisor could replace actions (docs/spec/horm.md §3.6). */
  supervisor: z.boolean(),
  /** Agent priority rule behind the ranks ("index", "mainRoadFirst", "closestToMerge"). */
  priorityRule: label(40),
  /** When the recording was made (ISO 8601), supplied by the caller: the core reads no clock. */
  createdAt: z.iso.datetime({ offset: true }),
  /** Program that wrote the file, e.g. "steer-studio 0.1.0". */
  generator: z.string().max(200).optional(),
});

/** A replay header. */
export type ReplayHeader = z.output<typeof ReplayHeaderSchema>;

/** Episode totals, computed by the writer from the frames. */
export const ReplaySummarySchema = z.strictObject({
  /** Decision frames (policy steps taken). */
  steps: z.int().nonnegative(),
  /** Sum of each agent's rewards over the decisions (null if not finite). */
  returns: z.array(z.number().nullable()),
  /** Agents whose vehicle is crashed in some frame, ascending. */
  crashedAgents: z.array(z.int().nonnegative()),
  /** First frame in which an agent is crashed, or null. */
  crashFrame: z.int().nonnegative().nullable(),
  /** Decisions the safety supervisor changed (agent entries with executed ≠ proposed). */
  supervisorChanges: z.int().nonnegative(),
  /** Largest vehicle count of any frame. */
  maxVehicles: z.int().nonnegative(),
});

/** Episode totals. */
export type ReplaySummary = z.output<typeof ReplaySummarySchema>;

/** The footer: chunk index and summary, written after the last frame. */
export const ReplayFooterSchema = z.strictObject({
  /** Number of frames in the file. */
  frames: z.int().nonnegative(),
  /** One entry per chunk, in file order: [byte offset of its block header, first frame, frames]. */
  chunks: z.array(
    z.tuple([z.int().nonnegative(), z.int().nonnegative(), z.int().min(1).max(MAX_CHUNK_FRAMES)]),
  ),
  summary: ReplaySummarySchema,
});

/** A replay footer. */
export type ReplayFooter = z.output<typeof ReplayFooterSchema>;

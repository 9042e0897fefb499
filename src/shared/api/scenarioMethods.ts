/**
 * The scenario editor's part of the API contract (contract.ts spreads these into API_METHODS):
 * listing, opening, validating and saving scenario files, listing the models a scenario can be
 * run with, and simulating one episode for the player (docs/app.md "Scenario editor").
 *
 * Where the files live, relative to the project root (the folder holding samples/ and runs/):
 * - `scenarios/*.json`: the bundled scenarios, read-only through the API;
 * - `runs/scenarios/*.json`: the user's scenarios, the only place `scenarios.save` writes
 *   (runs/ is the user's data folder, ignored by git, like the replays under runs/).
 * Editor runs that are recorded go to `runs/replays/editor/`, where the player's list finds them.
 *
 * Platform-free: zod and core only (the renderer imports contract.ts, which imports this file).
 */
import { z } from 'zod';
import { BASELINE_POLICIES } from '../../core/envs/horm/baselinePolicies.js';
import { MAX_SCENARIO_FILE_BYTES } from '../../core/scenario/index.js';

/** Folder of the bundled scenarios (read-only through the API). */
export const BUNDLED_SCENARIO_DIR = 'scenarios';
/** Folder of the user's scenarios: `scenarios.save` writes here and nowhere else. */
export const USER_SCENARIO_DIR = 'runs/scenarios';
/** Folder the editor's recorded runs are written to (listed by `replays.list` under runs/). */
export const EDITOR_REPLAY_DIR = 'runs/replays/editor';
/** Folders searched for models: the bundled ones, and training runs. */
export const MODEL_ROOTS = Object.freeze(['models', 'runs'] as const);

/** Longest path the scenario methods accept [characters]. */
const MAX_PATH_CHARS = 1024;
/**
 * Longest scenario text `scenarios.validate` checks [characters]. Its UTF-8 must also fit the size
 * limit of a scenario file (MAX_SCENARIO_FILE_BYTES), as a file on disk must.
 */
export const MAX_SCENARIO_TEXT_CHARS = MAX_SCENARIO_FILE_BYTES;

const utf8 = new TextEncoder();
/** A file name the editor may save under: letters, digits, '.', '_', '-'; 1–80 characters + .json. */
const SCENARIO_FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,79}\.json$/;
/** A run or model folder name (one path segment). */
const FOLDER_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** Which folder a scenario path is in. */
export type ScenarioSource = 'bundled' | 'user';

/**
 * Where a scenario path points: `scenarios/x.json` → bundled, `runs/scenarios/x.json` → user;
 * null for anything else (other folders, subfolders, `..`, backslashes, other extensions).
 */
export function scenarioSourceOf(path: string): ScenarioSource | null {
  const segments = path.split('/');
  const name = segments.at(-1)!;
  if (!SCENARIO_FILE_NAME.test(name) || name.includes('..')) return null;
  const folder = segments.slice(0, -1).join('/');
  if (folder === BUNDLED_SCENARIO_DIR) return 'bundled';
  if (folder === USER_SCENARIO_DIR) return 'user';
  return null;
}

/** A scenario path as the API names it (see scenarioSourceOf). */
export const ScenarioPathSchema = z
  .string()
  .min(1)
  .max(MAX_PATH_CHARS)
  .refine((path) => scenarioSourceOf(path) !== null, {
    message: `expected a path like "${BUNDLED_SCENARIO_DIR}/horm-easy.json" or "${USER_SCENARIO_DIR}/my-merge.json": "/"-separated, directly in one of those folders, a name of letters, digits, ".", "_" or "-" ending in .json`,
  });

/** A path for `scenarios.save`: in the user folder only. */
export const UserScenarioPathSchema = ScenarioPathSchema.refine((path) => scenarioSourceOf(path) === 'user', {
  message: `expected a path in ${USER_SCENARIO_DIR}/: the bundled ${BUNDLED_SCENARIO_DIR}/ are read-only (save a copy under a new name)`,
});

/** Whether `path` names a model folder: `models/<name>` or `runs/<name>`. */
export function isModelPath(path: string): boolean {
  const segments = path.split('/');
  return (
    segments.length === 2 &&
    (MODEL_ROOTS as readonly string[]).includes(segments[0]!) &&
    FOLDER_NAME.test(segments[1]!) &&
    !segments[1]!.includes('..')
  );
}

/** A model folder path: a run folder made by `steer train` (bundled under models/ or in runs/). */
export const ModelPathSchema = z
  .string()
  .min(1)
  .max(MAX_PATH_CHARS)
  .refine(isModelPath, {
    message: `expected a run folder like "models/horm-easy" or "runs/my-run": ${MODEL_ROOTS.join(' or ')}, then one folder name`,
  });

/** One problem with a scenario: a JSON path (`traffic.vehicles[0].speedMps`, `(root)`) and the message. */
export const ScenarioIssueSchema = z.strictObject({ path: z.string(), message: z.string() });

/** A JSON object (a scenario document, as parsed or resolved). */
const JsonObjectSchema = z.record(z.string(), z.unknown());

/** One scenario file of the list. */
export const ScenarioEntrySchema = z.strictObject({
  /** ScenarioPathSchema path. */
  path: z.string(),
  source: z.enum(['bundled', 'user']),
  /** The scenario's `name`, or null when the file does not validate. */
  name: z.string().nullable(),
  /** Problems found when listing (0 for a good file). */
  issueCount: z.int().nonnegative(),
  fileBytes: z.int().nonnegative(),
  modifiedAt: z.string(),
});

/** A scenario list entry. */
export type ScenarioEntry = z.output<typeof ScenarioEntrySchema>;

/** What a model can be in `sim.run`: a trained run folder or a scripted baseline. */
export const SimModelSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('run'), path: ModelPathSchema }),
  z.strictObject({ kind: z.literal('baseline'), policy: z.enum(BASELINE_POLICIES) }),
]);

/** A model choice. */
export type SimModel = z.output<typeof SimModelSchema>;

/** The request of `sim.run` and `sim.start`. */
const SimRunRequestSchema = z.strictObject({
  scenario: JsonObjectSchema,
  model: SimModelSchema,
  /** Env seed of the episode; default the scenario's seed. */
  seed: z
    .int()
    .min(0)
    .max(2 ** 32 - 1)
    .optional(),
  record: z.boolean().default(false),
});

/** One played episode (sim.run's answer, and sim.poll's at the end, without the bytes). */
const SimEpisodeSchema = z.strictObject({
  /** Where the replay was written (record: true), else null. */
  path: z.string().nullable(),
  fileBytes: z.int().nonnegative(),
  env: z.string(),
  seed: z.int(),
  /** Decisions played. */
  steps: z.int().nonnegative(),
  crashed: z.boolean(),
  /** Mean over agents of the undiscounted return. */
  meanReturn: z.number(),
});

/** Replay file bytes. */
const ReplayBytesSchema = z.custom<Uint8Array>((value) => value instanceof Uint8Array, {
  message: 'expected the replay bytes (a Uint8Array)',
});

/** A live session's id, as `sim.start` returns it. */
const LiveSessionIdSchema = z.string().regex(/^live-[0-9a-f-]{36}$/, {
  message: 'expected a session id returned by sim.start ("live-" and a UUID)',
});

/**
 * Why a live episode failed: an ApiError as data (contract.ts ApiErrorDataSchema, restated here
 * because contract.ts imports this file).
 */
const LiveErrorSchema = z.strictObject({
  code: z.string(),
  message: z.string(),
  issues: z.array(ScenarioIssueSchema).optional(),
});

/** The scenario editor's methods. */
export const SCENARIO_METHODS = {
  'scenarios.list': {
    summary: 'the scenario files: bundled (scenarios/, read-only) and the user’s (runs/scenarios/)',
    request: z.strictObject({}),
    response: z.strictObject({
      scenarios: z.array(ScenarioEntrySchema),
      /** Where `scenarios.save` writes. */
      userDir: z.string(),
    }),
  },
  'scenarios.open': {
    summary:
      "one scenario file: its text, and the resolved scenario or the validator's issues (a bad file is not an error)",
    request: z.strictObject({ path: ScenarioPathSchema }),
    response: z.strictObject({
      path: z.string(),
      source: z.enum(['bundled', 'user']),
      text: z.string(),
      modifiedAt: z.string(),
      /** The file as parsed JSON, or null when it is not a JSON object. */
      document: JsonObjectSchema.nullable(),
      /** The scenario with every default filled in, or null when the file does not validate. */
      scenario: JsonObjectSchema.nullable(),
      /** What `steer scenario validate` prints for the file (empty for a good one). */
      issues: z.array(ScenarioIssueSchema),
    }),
  },
  'scenarios.validate': {
    summary: "a scenario (file text or object) checked by the schema: the validator's issues with JSON paths",
    request: z
      .strictObject({
        /** The text of a file. */
        text: z
          .string()
          .max(MAX_SCENARIO_TEXT_CHARS)
          .refine((text) => utf8.encode(text).length <= MAX_SCENARIO_FILE_BYTES, {
            message: `expected a scenario text of at most ${MAX_SCENARIO_FILE_BYTES} bytes in UTF-8, as a scenario file`,
          })
          .optional(),
        /** A scenario document (as the editor holds it). */
        scenario: JsonObjectSchema.optional(),
      })
      .refine((r) => (r.text === undefined) !== (r.scenario === undefined), {
        message: 'expected text or scenario, exactly one of them',
      }),
    response: z.strictObject({
      ok: z.boolean(),
      issues: z.array(ScenarioIssueSchema),
      /** The resolved scenario when ok. */
      scenario: JsonObjectSchema.nullable(),
    }),
  },
  'scenarios.save': {
    summary: `validates a scenario and writes it atomically to ${USER_SCENARIO_DIR}/<name>.json`,
    request: z.strictObject({
      path: UserScenarioPathSchema,
      scenario: JsonObjectSchema,
      /** Replace an existing file; without it an existing file is refused. */
      overwrite: z.boolean().default(false),
    }),
    response: z.strictObject({
      path: z.string(),
      fileBytes: z.int().nonnegative(),
      modifiedAt: z.string(),
      /** Whether a file was replaced. */
      replaced: z.boolean(),
    }),
  },
  'sim.models': {
    summary: 'what sim.run can play: the baseline policies and the run folders under models/ and runs/',
    request: z.strictObject({}),
    response: z.strictObject({
      baselines: z.array(z.enum(BASELINE_POLICIES)),
      runs: z.array(
        z.strictObject({
          path: z.string(),
          /** Env it was trained on, e.g. "horm:density-1". */
          env: z.string(),
          /** Agents (CAVs) its policy controls: it plays scenarios with exactly as many. */
          agents: z.int().nonnegative(),
          /** Its scenario's name. */
          scenario: z.string(),
        }),
      ),
    }),
  },
  'sim.run': {
    summary:
      'plays one episode of a scenario with a model and returns the replay bytes; record: true also writes it under runs/replays/editor/',
    request: SimRunRequestSchema,
    response: SimEpisodeSchema.extend({ bytes: ReplayBytesSchema }),
  },
  'sim.start': {
    summary:
      'starts one episode like sim.run (same request) in a live session; sim.poll returns its replay bytes as they are made',
    request: SimRunRequestSchema,
    response: z.strictObject({
      /** Names the session in sim.poll. */
      sessionId: LiveSessionIdSchema,
    }),
  },
  'sim.poll': {
    summary:
      "a live session's replay bytes past sinceByte and whether the episode is over; the poll that reports the end ends the session",
    request: z.strictObject({
      sessionId: LiveSessionIdSchema,
      /** Bytes of the replay the window already has (0 at first): the answer holds the ones after. */
      sinceByte: z.int().nonnegative(),
    }),
    response: z.strictObject({
      /** The replay file's bytes from sinceByte on: preamble and header, chunks, at the end the footer. */
      bytes: ReplayBytesSchema,
      /** Bytes made so far (the next poll's sinceByte). */
      totalBytes: z.int().nonnegative(),
      /** The episode is over: with `result` the bytes so far are the whole file, with `error` it failed. */
      done: z.boolean(),
      error: LiveErrorSchema.nullable(),
      /** sim.run's answer without the bytes, once done. */
      result: SimEpisodeSchema.nullable(),
    }),
  },
} as const;

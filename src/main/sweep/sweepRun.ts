/**
 * One run of a sweep as plain, serialisable data: what `expandSweep` makes of a sweep file and what
 * an executor trains. Everything a process needs to train the run is here (no reference to the sweep
 * file), so the local pool hands it to a child process and the queue (BullMQ on Redis, for
 * `steer worker` processes) carries it as JSON in a job; `SweepRunSchema` checks such a payload.
 * Paths are as the sweep file gives them, relative to the working directory of the command.
 */
import { z } from 'zod';

/** A training-config override's value, as a sweep file writes it (checked against the config schema). */
export const OverrideValueSchema = z.union([z.number(), z.boolean(), z.string(), z.null()]);

/** A training-config override's value. */
export type OverrideValue = z.infer<typeof OverrideValueSchema>;

/** A HORM scenario a run trains on: the file, and the traffic density to train at instead of its own. */
export const SweepScenarioSchema = z.strictObject({
  /** The scenario file, relative to the working directory. */
  file: z.string().min(1),
  /** 1, 2 or 3; null: the file's own traffic. */
  density: z.union([z.literal([1, 2, 3]), z.null()]),
});

/** A HORM scenario of a sweep run. */
export type SweepScenario = z.infer<typeof SweepScenarioSchema>;

/** One run of a sweep (see the header). */
export const SweepRunSchema = z
  .strictObject({
    /** Stable id, `<algo>/<env-slug>[/set-<hash>]/seed-<n>` (runId.ts); also its folder under runsDir. */
    id: z.string().min(1),
    /** The sweep's name. */
    sweep: z.string().min(1),
    /** The algorithm's registry name. */
    algo: z.string().min(1),
    /** Canonical registry env name, or null for a scenario run. */
    env: z.string().min(1).nullable(),
    /** The scenario of a scenario run, else null. */
    scenario: SweepScenarioSchema.nullable(),
    /** Root seed. */
    seed: z.int().min(0),
    /** PPO updates of the run (the sweep's budget). */
    updates: z.int().min(1),
    /** Training-config overrides, every key checked (as `steer train --set`). */
    overrides: z.record(z.string(), OverrideValueSchema),
    /** Every reference quirk on, before the overrides (`--reference-quirks`). */
    referenceQuirks: z.boolean(),
    /** Save checkpoints/latest every this many updates. */
    checkpointEvery: z.int().min(1),
    /** Scenario and MA-MuJoCo runs: the training-time evaluation (`--eval-every`, `--eval-episodes`); else null. */
    evaluation: z.strictObject({ every: z.int().min(1), episodes: z.int().min(1) }).nullable(),
    /** The sweep's runs folder (scenario copies at another density are written there). */
    runsDir: z.string().min(1),
    /** The run folder: `<runsDir>/<id>`. */
    runDir: z.string().min(1),
  })
  .refine((run) => (run.env === null) !== (run.scenario === null), {
    message: 'expected exactly one of env and scenario',
  });

/** One run of a sweep. */
export type SweepRun = z.infer<typeof SweepRunSchema>;

/**
 * The bundled HORM-easy model (models/horm-easy, a run folder stopped at update 648 of 1250) as the
 * dashboard receives it: its `runs.list` entry, its checkpoint's `runs.checkpoints` entry and its
 * metrics records, read from the folder's own files and checked against the API contract's schemas.
 */
import { readFileSync } from 'node:fs';
import { StoredTrainConfigSchema } from '../../../../src/core/algos/config.js';
import type { CheckpointInfo } from '../../../../src/renderer/dashboard/evaluationText.js';
import type { MetricRecord } from '../../../../src/renderer/dashboard/metricSeries.js';
import type { RunInfo } from '../../../../src/renderer/dashboard/runRows.js';
import { CheckpointInfoSchema, RunInfoSchema } from '../../../../src/shared/api/jobMethods.js';

const folder = new URL('../../../../models/horm-easy/', import.meta.url);
const text = (path: string) => readFileSync(new URL(path, folder), 'utf8');
const json = (path: string) => JSON.parse(text(path));

const config = json('config.json') as { env: string; totalUpdates: number; train: { seed: number } };
/** Its training config as the host reads it (saved before `algo` existed: the stored default fills it in). */
const train = StoredTrainConfigSchema.parse(config.train);
const scenario = json('scenario.json') as { name: string };
const manifest = json('checkpoints/latest/checkpoint.json') as {
  createdAt: string;
  tensorsFile: { bytes: number };
  meta: { update: number };
};

/** The run id the dashboard's e2e test copies the folder to. */
export const BUNDLED_RUN_ID = 'horm-easy';

/** Its scenario's name ("HORM easy"). */
export const BUNDLED_SCENARIO_NAME = scenario.name;

/** Its `runs.list` entry: no job of this session trains it, so the folder's status (partial: checkpoint short of the total). */
export const BUNDLED_RUN: RunInfo = RunInfoSchema.parse({
  runId: BUNDLED_RUN_ID,
  status: manifest.meta.update >= config.totalUpdates ? 'complete' : 'partial',
  algo: train.algo,
  env: config.env,
  scenario: scenario.name,
  seed: config.train.seed,
  totalUpdates: config.totalUpdates,
  update: manifest.meta.update,
  modifiedAt: '2026-11-25T20:10:18.581Z',
});

/** Its checkpoints/latest, as `runs.checkpoints` lists it. */
export const BUNDLED_CHECKPOINT: CheckpointInfo = CheckpointInfoSchema.parse({
  name: 'latest',
  update: manifest.meta.update,
  createdAt: manifest.createdAt,
  tensorBytes: manifest.tensorsFile.bytes,
});

/** Every record of its metrics.jsonl, in file order. */
export const BUNDLED_RECORDS: MetricRecord[] = text('metrics.jsonl')
  .trim()
  .split('\n')
  .map((line) => JSON.parse(line) as MetricRecord);

/**
 * Training jobs for the app (docs/design.md "Training runs where the app is"): each job trains one run
 * folder with `runTraining` inside a worker thread (jobWorker.ts), so the window and the web host
 * stay responsive; several jobs may run at once. Node only, no Electron: the browser host and the
 * Electron main process use the same service.
 *
 * - start: the spec is checked here, before any thread starts (env name, algorithm, scenario file,
 *   config overrides, run id; the run planned by jobPlan.ts), so a typo is an `invalid-request` at
 *   once; the worker then picks the backend and creates runs/<runId>/ (config.json, argv.json with
 *   the equivalent `steer train` command, scenario.json).
 * - stop: the worker's abort signal; it finishes the update in progress, saves checkpoints/latest
 *   and ends "stopped". resume: a new job on the same folder, from that checkpoint.
 * - a worker that throws or dies ends its job "failed", with the message.
 * - progress comes from the worker's messages; metrics from the run's metrics.jsonl (RunCatalog),
 *   so a resumed or earlier run shows its whole history.
 */
import { mkdir } from 'node:fs/promises';
import { ALGORITHM_NAMES, algorithmNamed } from '../../core/algos/registry.js';
import { listEnvNames } from '../../core/envs/registry.js';
import { AUTO_BACKEND, BACKEND_NAMES, type BackendName } from '../../core/nn/backend.js';
import {
  isBundledRun,
  type JobInfo,
  type JobSpec,
  MAX_METRICS_RECORDS,
  RUNS_DIR,
  type RunInfo,
  runFolderOf,
} from '../../shared/api/jobMethods.js';
import { CheckpointError } from '../io/checkpoint.js';
import type { MetricsRecord } from '../io/metricsLog.js';
import { recordsEpisodes } from '../replay/recordable.js';
import { ServiceError } from '../services/serviceError.js';
import { assertNewRunDir, lastRunBackend, type RunConfig, readRunConfig, runPaths } from '../train/runDir.js';
import { type LoadedScenario, loadScenario, ScenarioFileError } from '../train/runEnvironment.js';
import { type NewRunRequest, RUN_DEFAULTS, trainCommandLine } from '../train/runPlan.js';
import { isMissingCheckpoint, readTrainerCheckpoint } from '../train/trainerCheckpoint.js';
import { SlotLimit } from '../workers/slotLimit.js';
import { planJob } from './jobPlan.js';
import type { EvaluateOutcome, EvaluateTask, TrainTask } from './jobWorker.js';
import { evaluateInWorker, startTrainingWorker } from './jobWorkerTasks.js';
import { type CheckpointSummary, RunCatalog, relativeMessage } from './runCatalog.js';
import { forgetAtExit, type StoppableAtExit, stopAtExit } from './stopAtExit.js';
import { TrainingJob, type TrainingJobStart } from './trainingJob.js';

/** Most jobs training at once (each is a thread doing full-speed numerics). */
export const MAX_ACTIVE_JOBS = 4;
/**
 * How long a job asked to stop may take to finish its update, save its checkpoint and end [ms];
 * then its thread is terminated (a model being built, a very long update) and the run keeps its
 * last saved checkpoint. Checkpoints are swapped in atomically, so none is left half written.
 */
export const STOP_GRACE_MS = 10_000;
/** Most evaluations at once (each is a thread playing up to 100 episodes). */
export const MAX_ACTIVE_EVALUATIONS = 2;

/** Options of the service. */
export interface JobServiceOptions {
  /** Folder holding runs/ and scenarios/. */
  readonly projectRoot: string;
  /** Clock for run ids and times; default the wall clock. */
  readonly now?: () => Date;
  /** STOP_GRACE_MS unless a test shortens it. */
  readonly stopGraceMs?: number;
}

/** The training jobs of one project folder. */
export class JobService implements StoppableAtExit {
  readonly catalog: RunCatalog;
  private readonly jobs = new Map<string, TrainingJob>();
  /** Run ids taken by a start in progress (before its folder exists). */
  private readonly reserved = new Set<string>();
  /** A job holds a slot from the moment its start is accepted until it has ended. */
  private readonly jobSlots = new SlotLimit(
    MAX_ACTIVE_JOBS,
    (max, method) =>
      new ServiceError(
        'refused',
        `${method}: ${max} jobs are training already (the most at once); stop one before starting or resuming another`,
      ),
  );
  private readonly evaluationSlots = new SlotLimit(
    MAX_ACTIVE_EVALUATIONS,
    (max) =>
      new ServiceError(
        'refused',
        `runs.evaluate: ${max} evaluations are running already; wait for one to finish`,
      ),
  );
  private readonly now: () => Date;
  private readonly stopGraceMs: number;
  /** Folder holding runs/ and scenarios/. */
  readonly projectRoot: string;

  constructor(options: JobServiceOptions) {
    this.projectRoot = options.projectRoot;
    this.catalog = new RunCatalog(options.projectRoot);
    this.now = options.now ?? (() => new Date());
    this.stopGraceMs = options.stopGraceMs ?? STOP_GRACE_MS;
  }

  /** What a job can train on and with. */
  async options(): Promise<{
    scenarios: { path: string; name: string }[];
    envs: string[];
    algorithms: { name: string; summary: string }[];
    backends: (typeof AUTO_BACKEND | BackendName)[];
  }> {
    return {
      scenarios: await this.catalog.scenarios(),
      envs: listEnvNames(),
      algorithms: ALGORITHM_NAMES.map((name) => ({ name, summary: algorithmNamed(name).summary })),
      backends: [AUTO_BACKEND, ...BACKEND_NAMES],
    };
  }

  /** Every job of this session, newest first. */
  list(): JobInfo[] {
    return [...this.jobs.values()]
      .map((job) => job.info)
      .sort((a, b) => (a.startedAt < b.startedAt ? 1 : a.startedAt > b.startedAt ? -1 : 0));
  }

  /** The job of run `runId`, or null. */
  get(runId: string): JobInfo | null {
    return this.jobs.get(runId)?.info ?? null;
  }

  /**
   * Resolves when the job of `runId` has ended (at once when there is none). While someone waits
   * here the job's worker keeps the process alive (otherwise it would not: see stopAtExit.ts).
   */
  async whenEnded(runId: string): Promise<JobInfo | null> {
    const job = this.jobs.get(runId);
    job?.holdProcess();
    await job?.ended;
    return this.get(runId);
  }

  /** Checks `spec`, reserves runs/<runId>/ and starts training it in a worker. */
  async start(spec: JobSpec): Promise<JobInfo> {
    const releaseSlot = this.jobSlots.take('jobs.start'); // before the first await: calls sent together count
    try {
      return await this.startInSlot(spec, releaseSlot);
    } catch (error) {
      releaseSlot();
      throw error;
    }
  }

  private async startInSlot(spec: JobSpec, releaseSlot: () => void): Promise<JobInfo> {
    const scenario = spec.scenario === undefined ? null : await this.openJobScenario(spec.scenario);
    const request: NewRunRequest = {
      env: scenario ?? spec.env!,
      algo: spec.algo,
      seed: spec.seed,
      updates: spec.updates,
      overrides: spec.config,
      checkpointEvery: spec.checkpointEvery,
    };
    const plan = planJob(request);
    const { run } = plan;

    // --- the run folder: reserved now, filled by the worker ---
    const runId = await this.reserveRunId(spec.runId);
    try {
      const task: TrainTask = {
        kind: 'train',
        runDir: await this.catalog.runDir(runId, 'jobs.start'),
        backend: spec.backend,
        argv: trainCommandLine(plan, request, `${RUNS_DIR}/${runId}`, spec.backend, spec.scenario),
        cwd: this.projectRoot,
        create: plan.scenarioText === null ? { run } : { run, scenarioText: plan.scenarioText },
      };
      return this.launch(runId, task, releaseSlot, {
        algo: run.train.algo,
        env: run.env,
        scenario: run.scenario?.name ?? null,
        seed: run.train.seed,
        totalUpdates: run.totalUpdates,
      });
    } finally {
      this.reserved.delete(runId);
    }
  }

  /** A job's scenario file through the scenario gate; its problems are `request.scenario` issues. */
  private async openJobScenario(path: string): Promise<LoadedScenario> {
    const file = await this.catalog.scenarioFile(path);
    try {
      return await loadScenario(file, path);
    } catch (error) {
      if (!(error instanceof ScenarioFileError)) throw error;
      throw new ServiceError(
        'invalid-request',
        `jobs.start: ${error.lines.join('; ')}`,
        error.lines.map((line) => ({ path: 'request.scenario', message: line })),
      );
    }
  }

  /**
   * Asks the job of `runId` to stop; it ends "stopped" once its checkpoint is saved, or after
   * stopGraceMs with its thread terminated.
   */
  stop(runId: string): JobInfo {
    const job = this.jobs.get(runId);
    if (job === undefined)
      throw new ServiceError('not-found', `jobs.stop: no job trains ${runId} in this session`);
    if (job.finished) {
      throw new ServiceError(
        'refused',
        `jobs.stop: the job of ${runId} has already ended (${job.info.status})`,
      );
    }
    job.stop();
    return job.info;
  }

  /**
   * Continues run `runId` from its latest checkpoint in a new job, on `backend`; without one, on the
   * run's own (the last in its argv.json), as `steer train --resume` does.
   */
  async resume(runId: string, backend?: string): Promise<JobInfo> {
    this.assertIdle(runId, 'jobs.resume');
    const releaseSlot = this.jobSlots.take('jobs.resume'); // before the first await, as in start
    this.reserved.add(runId); // a second resume arriving meanwhile is refused by assertIdle
    try {
      return await this.resumeReserved(runId, backend, releaseSlot);
    } catch (error) {
      releaseSlot();
      throw error;
    } finally {
      this.reserved.delete(runId);
    }
  }

  private async resumeReserved(
    runId: string,
    backend: string | undefined,
    releaseSlot: () => void,
  ): Promise<JobInfo> {
    if (isBundledRun(runId)) {
      // The schema already refuses it; the service never writes into models/ either.
      throw new ServiceError(
        'refused',
        `jobs.resume: ${runId} is a bundled model (read-only); copy it into runs/ to train it`,
      );
    }
    const run = await this.readRun(runId, 'jobs.resume');
    const runDir = await this.catalog.runDir(runId, 'jobs.resume');
    const update = await this.verifiedCheckpointUpdate(runDir, run);
    if (update >= run.totalUpdates) {
      throw new ServiceError(
        'refused',
        `jobs.resume: ${runId} is already complete (${update}/${run.totalUpdates} updates); start a new job to train more`,
      );
    }
    const task: TrainTask = {
      kind: 'train',
      runDir,
      backend: backend ?? (await lastRunBackend(runDir)) ?? AUTO_BACKEND,
      argv: [
        'train',
        '--resume',
        `${RUNS_DIR}/${runId}`,
        ...(backend === undefined ? [] : ['--backend', backend]),
      ],
      cwd: this.projectRoot,
    };
    return this.launch(runId, task, releaseSlot, {
      algo: run.train.algo,
      env: run.env,
      scenario: run.scenario?.name ?? null,
      seed: run.train.seed,
      totalUpdates: run.totalUpdates,
      startUpdate: update,
    });
  }

  /**
   * The update of the run's latest checkpoint, verified as a resume verifies it (checksums,
   * counters against the run's config): 0 without one, `unreadable` naming the file and field for
   * a damaged one, so a tampered counter is not taken for a finished run.
   */
  private async verifiedCheckpointUpdate(runDir: string, run: RunConfig): Promise<number> {
    try {
      return (await readTrainerCheckpoint(runPaths(runDir).checkpoint, run)).meta.update;
    } catch (error) {
      if (isMissingCheckpoint(error)) return 0;
      if (error instanceof CheckpointError) {
        throw new ServiceError('unreadable', `jobs.resume: ${relativeMessage(error, this.projectRoot)}`);
      }
      throw error;
    }
  }

  /** Records of run `runId`'s metrics after index `since`, at most MAX_METRICS_RECORDS. */
  async metrics(
    runId: string,
    since: number,
  ): Promise<{ runId: string; from: number; records: MetricsRecord[]; total: number; more: boolean }> {
    // A job that is starting has no config.json yet: its metrics are empty, not missing.
    if (!this.jobs.has(runId)) await this.readRun(runId, 'jobs.metrics');
    const all = await this.catalog.metrics(runId);
    const from = Math.min(since, all.length);
    const records = all.slice(from, from + MAX_METRICS_RECORDS);
    return { runId, from, records, total: all.length, more: from + records.length < all.length };
  }

  /** The run folders under runs/, with the status of those a job trains now. */
  runs(): Promise<RunInfo[]> {
    return this.catalog.runs((runId) => {
      const status = this.jobs.get(runId)?.info.status;
      if (status === 'starting' || status === 'running') return 'running';
      return status === 'stopping' ? 'stopping' : null;
    });
  }

  /** A run's checkpoints. */
  async checkpoints(runId: string): Promise<CheckpointSummary[]> {
    await this.readRun(runId, 'runs.checkpoints');
    return this.catalog.checkpoints(runId);
  }

  /**
   * Evaluates run `runId`'s latest checkpoint in a worker (the run may be training meanwhile:
   * checkpoints are swapped in atomically). Scenario runs record replays into a new folder per
   * evaluation (RunCatalog.makeEvaluationDir) unless `record` is false.
   */
  async evaluate(
    runId: string,
    options: { episodes: number; seed?: number; record: boolean; backend: string },
  ): Promise<EvaluateOutcome & { runId: string }> {
    return this.evaluationSlots.run(() => this.evaluateInSlot(runId, options));
  }

  private async evaluateInSlot(
    runId: string,
    options: { episodes: number; seed?: number; record: boolean; backend: string },
  ): Promise<EvaluateOutcome & { runId: string }> {
    const run = await this.readRun(runId, 'runs.evaluate');
    const checkpoint = await this.catalog.latestCheckpoint(runId, 'runs.evaluate');
    if (checkpoint === null) {
      throw new ServiceError(
        'not-found',
        `runs.evaluate: ${runId} has no checkpoint yet (checkpoints/latest)`,
      );
    }
    const runDir = await this.catalog.runDir(runId, 'runs.evaluate');
    // Scenario (HORM) and MA-MuJoCo runs record their episodes.
    const record = (run.scenario !== undefined || recordsEpisodes(run.env)) && options.record;
    const recordDir = record ? await this.catalog.makeEvaluationDir(runId, checkpoint.update) : null;
    const task: EvaluateTask = {
      kind: 'evaluate',
      runDir,
      backend: options.backend,
      episodes: options.episodes,
      seed: options.seed ?? RUN_DEFAULTS.evaluationSeed,
      record: recordDir,
      runLabel: runFolderOf(runId).path,
    };
    const outcome = await evaluateInWorker(task, (message) => this.describe(message));
    return { runId, ...outcome };
  }

  /**
   * Process exit (stopAtExit.ts): asks every running job to stop and keeps its worker referenced
   * until it has ended, so the process waits for the checkpoints.
   */
  stopAllForExit(): void {
    for (const job of this.jobs.values()) {
      if (job.finished) continue;
      job.holdProcess();
      job.stop();
    }
    if ([...this.jobs.values()].every((job) => job.finished)) forgetAtExit(this);
  }

  /** Whether a job is starting, training or stopping (so closing would have checkpoints to wait for). */
  hasActiveJobs(): boolean {
    return [...this.jobs.values()].some((job) => !job.finished);
  }

  /** Stops every running job and waits until each has saved its checkpoint and ended. */
  async close(): Promise<void> {
    for (const job of this.jobs.values()) job.stop();
    await Promise.all([...this.jobs.keys()].map((runId) => this.whenEnded(runId)));
    forgetAtExit(this);
  }

  // --- helpers ---

  /** Starts the worker of a job and follows it. */
  private launch(
    runId: string,
    task: TrainTask,
    releaseSlot: () => void,
    known: Omit<TrainingJobStart, 'runId' | 'startUpdate' | 'startedAt'> & { startUpdate?: number },
  ): JobInfo {
    const start = {
      runId,
      ...known,
      startUpdate: known.startUpdate ?? 0,
      startedAt: this.now().toISOString(),
    };
    const job = new TrainingJob(start, startTrainingWorker(task), {
      now: this.now,
      stopGraceMs: this.stopGraceMs,
      describe: (message) => this.describe(message),
      onEnded: releaseSlot, // the thread is gone: its slot is free
    });
    this.jobs.set(runId, job);
    stopAtExit(this);
    return job.info;
  }

  /** A worker's error text with the project root cut from its paths. */
  private describe(message: string): string {
    return relativeMessage(new Error(message), this.projectRoot);
  }

  /** A free run id: the one asked for (refused when taken), or "dash-<yyyymmdd>-<n>". */
  private async reserveRunId(asked: string | undefined): Promise<string> {
    if (asked !== undefined) {
      this.assertIdle(asked, 'jobs.start');
      this.reserved.add(asked); // before the first await: a second start with this id is refused
      try {
        const dir = await this.catalog.runDir(asked, 'jobs.start');
        await assertNewRunDir(dir);
        await mkdir(dir, { recursive: true });
      } catch (error) {
        this.reserved.delete(asked);
        if (error instanceof ServiceError) throw error;
        throw new ServiceError(
          'refused',
          `jobs.start: ${RUNS_DIR}/${asked} already exists; resume it (jobs.resume) or choose another run id`,
        );
      }
      return asked;
    }
    const day = this.now().toISOString().slice(0, 10).replaceAll('-', '');
    await mkdir(`${this.projectRoot}/${RUNS_DIR}`, { recursive: true });
    for (let n = 1; ; n++) {
      const id = `dash-${day}-${n}`;
      if (this.reserved.has(id) || this.jobs.has(id)) continue;
      try {
        await mkdir(await this.catalog.runDir(id, 'jobs.start')); // fails when it exists: the id is taken
      } catch {
        continue;
      }
      this.reserved.add(id);
      return id;
    }
  }

  /** Refuses when a job trains `runId` now. */
  private assertIdle(runId: string, method: string): void {
    if (this.reserved.has(runId)) {
      throw new ServiceError('refused', `${method}: a job for ${runId} is being started; wait for it`);
    }
    const job = this.jobs.get(runId);
    const status = job?.info.status;
    if (job !== undefined && !job.finished) {
      throw new ServiceError(
        'refused',
        `${method}: a job is training ${runId} now (${status}); stop it first`,
      );
    }
  }

  /** The config of run `runId`: `not-found` without the folder, `unreadable` for a bad one. */
  private async readRun(runId: string, method: string): Promise<RunConfig> {
    try {
      return await readRunConfig(await this.catalog.runDir(runId, method));
    } catch (error) {
      if (error instanceof ServiceError) throw error;
      const message = relativeMessage(error, this.projectRoot);
      if (/run folder not found|not a run folder/.test(message)) {
        throw new ServiceError('not-found', `${method}: no run ${runFolderOf(runId).path}`);
      }
      throw new ServiceError('unreadable', `${method}: ${message}`);
    }
  }
}

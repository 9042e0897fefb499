/**
 * `steer worker`'s engine: a BullMQ worker on the sweep queue that trains the runs it takes, each as
 * the local pool does (runSweepRun.ts: a child `steer train`, new or resumed from its checkpoint, a
 * finished run skipped), with the run folders on the shared run store. Per job, in order:
 *
 * 1. the payload is checked, and its code version must be this worker's (else the job goes back
 *    to the queue untouched and the worker stops: one code version per queue, docs/deploy);
 * 2. a run already finished in the run store, or whose folder holds another run, ends at once;
 * 3. the run's lease is taken (runLease.ts); one held by another worker puts the job back, delayed
 *    until that lease's term ends;
 * 4. the child trains while the lease is renewed and the job's progress (update reached) is
 *    reported every few seconds; losing the lease or BullMQ's lock on the job kills the child at
 *    once (no save: another worker may have the run) and puts the job back;
 * 5. the outcome is the job's result (done) or its failure: a child that failed is retried (the
 *    job's attempts, with back-off), a run refused before any child fails for good.
 *
 * A cancelled sweep (`steer sweep cancel`: its mark, sweepCancel.ts) is looked for before a run's
 * lease is taken (a run of a cancelled sweep ends at once, untrained) and every second while it trains
 * (the child gets SIGTERM, saves its run and stops); either way the job fails for good with a
 * reason the readers show as queued, and the run stays resumable. The worker itself goes on.
 *
 * Stopping (`stop`, the command's Ctrl-C or SIGTERM) takes no new job, makes each child save its
 * run and stop, and hands the jobs back to the queue, where any worker resumes them. The children
 * die with the worker even when it is killed (steerChildren.ts `exitWithParent`), and a killed
 * worker's jobs are taken up again by BullMQ's stalled-job check once their lock has expired.
 */
import {
  DelayedError,
  isNotConnectionError,
  type Job,
  UnrecoverableError,
  WaitingError,
  Worker,
} from 'bullmq';
import type { Redis } from 'ioredis';
import { zodIssueLines } from '../../io/fileIssues.js';
import { decideSweepRun, runSweepRun, type SweepRunSettings } from '../runSweepRun.js';
import type { SweepRunOutcome } from '../sweepExecutor.js';
import type { SweepRun } from '../sweepRun.js';
import {
  openScenarioTarget,
  type PathResolver,
  type RunTarget,
  registryTarget,
  scenarioKey,
} from '../sweepTargets.js';
import { RUN_QUEUE_NAME, type RunJob, RunJobSchema, type RunProgress } from './runJob.js';
import { acquireRunLease, type RunLease, runLeasePath } from './runLease.js';
import { CANCEL_CHECK_MS, cancelledReason, sweepCancelMark } from './sweepCancel.js';
import { watchRun } from './watchRun.js';

/** How a worker trains. */
export interface SweepWorkerOptions {
  /** An open connection to the queue's Redis (connection.ts); the worker does not close it. */
  readonly connection: Redis;
  /** Runs at once. */
  readonly jobs: number;
  /** Concrete backend of every child. */
  readonly backend: string;
  /** `--update-threads` of every child. */
  readonly updateThreads: number;
  /** A job's paths (relative to the sweep's working directory) → paths on this machine. */
  readonly resolvePath: PathResolver;
  /** This worker's code version (codeVersion.ts). */
  readonly codeVersion: string;
  /** Term of a run's lease and of BullMQ's job lock [ms]; renewed every third of it. */
  readonly leaseMs: number;
  /** Who this worker is, in leases and messages ("steer worker, process 4242 on node-a"). */
  readonly holder: string;
  /** One line per event (run started, done, failed, handed back). */
  readonly log: (line: string) => void;
  /** How often progress is reported [ms]; default 2000. */
  readonly progressMs?: number;
  /** How often a training run's sweep is looked for a cancel [ms]; default CANCEL_CHECK_MS. */
  readonly cancelCheckMs?: number;
}

/** How long stopping waits for the queue once the children have ended [ms]. */
const STOP_GRACE_MS = 5000;

/** A job of a cancelled sweep: it fails without another attempt (its reason: sweepCancel.ts). */
class RunCancelledError extends UnrecoverableError {}

/** Why a worker stopped: asked to (`stop`), or it met a job of another code version. */
export type SweepWorkerEnd =
  | { readonly kind: 'stopped' }
  | { readonly kind: 'refused'; readonly reason: string };

/** A worker on the sweep queue (see the header). */
export class SweepWorker {
  private readonly worker: Worker<unknown, SweepRunOutcome>;
  /** Aborted by `stop`: every child saves its run and stops. */
  private readonly stopping = new AbortController();
  /** Per job id being trained: aborting it kills that job's child. */
  private readonly kills = new Map<string, AbortController>();
  /** Scenario targets opened so far, by runs folder and scenario. */
  private readonly targets = new Map<string, RunTarget>();
  /** Why it will have stopped. */
  private end: SweepWorkerEnd = { kind: 'stopped' };
  /** `stop` in progress or done. */
  private closing: Promise<void> | null = null;
  /** Resolves with `end` once stopped. */
  private readonly stopped: Promise<SweepWorkerEnd>;
  private resolveStopped: (end: SweepWorkerEnd) => void = () => {};
  private lastError = { line: '', at: 0 };

  constructor(private readonly options: SweepWorkerOptions) {
    this.stopped = new Promise((resolve) => {
      this.resolveStopped = resolve;
    });
    this.worker = new Worker<unknown, SweepRunOutcome>(
      RUN_QUEUE_NAME,
      (job, token) => this.processLogged(job, token),
      {
        connection: options.connection,
        concurrency: options.jobs,
        lockDuration: options.leaseMs,
        stalledInterval: Math.max(1000, Math.round(options.leaseMs / 2)),
        maxStalledCount: 5, // a run resumes from its checkpoint: a few stalls (killed workers) are no harm
        autorun: false,
      },
    );
    this.worker.on('error', (error) => this.reportError(error));
    this.worker.on('lockRenewalFailed', (ids) => {
      for (const id of ids) this.kills.get(id)?.abort(`lost the queue's lock on job ${id}`);
    });
  }

  /** Starts taking jobs; resolves once the worker has stopped, saying why. */
  run(): Promise<SweepWorkerEnd> {
    this.worker.run().catch((error: unknown) => this.reportError(error as Error));
    return this.stopped;
  }

  /**
   * Takes no new job; every child saves its run and stops; their jobs go back to the queue. Once the
   * children have ended, handing the jobs back may wait for Redis at most STOP_GRACE_MS: a worker
   * stopped while Redis is away leaves then, and its jobs go back when their locks expire.
   */
  stop(): Promise<void> {
    this.closing ??= (async () => {
      this.stopping.abort();
      const closed = this.worker.close().then(
        () => true,
        (error: unknown) => {
          this.reportError(error as Error);
          return true;
        },
      );
      const late = this.childrenEnded().then(() => delay(STOP_GRACE_MS).then(() => false));
      if (!(await Promise.race([closed, late]))) {
        this.options.log('the queue does not answer: leaving; its jobs go back when their locks expire');
        await Promise.race([this.worker.close(true).catch(() => {}), delay(1000)]);
      }
      this.resolveStopped(this.end);
    })();
    return this.closing;
  }

  /** Resolves once no child of this worker trains. */
  private async childrenEnded(): Promise<void> {
    while (this.kills.size > 0) await delay(100);
  }

  /** `process`, with a line for a job that failed. */
  private async processLogged(
    job: Job<unknown, SweepRunOutcome>,
    token: string | undefined,
  ): Promise<SweepRunOutcome> {
    try {
      return await this.process(job, token);
    } catch (error) {
      const logged = error instanceof RunCancelledError; // said where it was thrown
      if (!(logged || error instanceof DelayedError || error instanceof WaitingError)) {
        const retried =
          !(error instanceof UnrecoverableError) && job.attemptsMade + 1 < (job.opts.attempts ?? 1);
        this.options.log(
          `${job.id}: failed${retried ? ' (to be retried)' : ''}: ${(error as Error).message}`,
        );
      }
      throw error;
    }
  }

  /** One job (see the header); its result is the run's outcome. */
  private async process(
    job: Job<unknown, SweepRunOutcome>,
    token: string | undefined,
  ): Promise<SweepRunOutcome> {
    const parsed = RunJobSchema.safeParse(job.data);
    if (!parsed.success) {
      throw new UnrecoverableError(
        `job ${job.id}: not a sweep run: ${zodIssueLines(parsed.error.issues).join('; ')}`,
      );
    }
    const { run, codeVersion } = parsed.data;
    if (codeVersion !== this.options.codeVersion || this.stopping.signal.aborted) {
      await handBack(() => job.moveToWait(token));
      if (codeVersion !== this.options.codeVersion) this.refuse(run, parsed.data);
      throw new WaitingError();
    }
    let target: RunTarget;
    try {
      target = await this.targetOf(run);
    } catch (error) {
      throw new UnrecoverableError(`${run.id}: ${(error as Error).message}`);
    }
    const settings = this.settings(target);
    const decision = await decideSweepRun(run, settings);
    if (decision.kind === 'ended') return this.result(run, decision.outcome);
    const mark = await sweepCancelMark(this.options.connection, run.sweep);
    if (mark !== null) {
      this.options.log(`${run.id}: not started: sweep ${run.sweep} is cancelled`);
      throw new RunCancelledError(cancelledReason(mark));
    }
    const attempt = await acquireRunLease(runLeasePath(this.options.resolvePath(run.runDir)), {
      run: run.id,
      holder: this.options.holder,
      termMs: this.options.leaseMs,
    });
    if (!attempt.ok) {
      await handBack(() => job.moveToDelayed(attempt.retryAt + 1000, token));
      this.options.log(
        `${run.id}: held by ${attempt.holder} until ${new Date(attempt.retryAt).toISOString()}; back on the queue until then`,
      );
      throw new DelayedError();
    }
    return this.train(job, token, run, attempt.lease, settings);
  }

  /** Trains `run` under `lease` (steps 4 and 5 of the header). */
  private async train(
    job: Job<unknown, SweepRunOutcome>,
    token: string | undefined,
    run: SweepRun,
    lease: RunLease,
    settings: SweepRunSettings,
  ): Promise<SweepRunOutcome> {
    const kill = new AbortController();
    const cancel = new AbortController(); // the sweep was cancelled: the child saves and stops
    const id = job.id ?? run.id;
    this.kills.set(id, kill);
    const { connection } = this.options;
    const watch = watchRun({
      lease,
      kill,
      runDir: this.options.resolvePath(run.runDir),
      updates: run.updates,
      report: (progress: RunProgress) => job.updateProgress(progress),
      everyMs: this.options.progressMs ?? 2000,
      cancelled: async () => {
        const mark = await sweepCancelMark(connection, run.sweep);
        return mark === null ? null : cancelledReason(mark);
      },
      cancel,
      cancelEveryMs: this.options.cancelCheckMs ?? CANCEL_CHECK_MS,
      log: this.options.log,
    });
    let outcome: SweepRunOutcome | null;
    try {
      outcome = await runSweepRun(
        run,
        { ...settings, signal: AbortSignal.any([this.stopping.signal, cancel.signal]), kill: kill.signal },
        {
          onStart: (_run, action) => {
            this.options.log(`${run.id}: ${action === 'resumed' ? 'resuming' : 'training'}`);
            watch.started(action === 'resumed' ? 'resumed' : 'trained');
          },
          onStopped: (_run, update) => this.options.log(`${run.id}: saved at update ${update}`),
        },
      );
    } finally {
      await watch.stop();
      this.kills.delete(id);
      await lease.release();
    }
    if (kill.signal.aborted) {
      this.options.log(`${run.id}: stopped its training: ${String(kill.signal.reason)}`);
      await handBack(() => job.moveToDelayed(Date.now() + this.options.leaseMs, token));
      throw new DelayedError();
    }
    if (outcome === null && cancel.signal.aborted) {
      this.options.log(
        `${run.id}: stopped: sweep ${run.sweep} is cancelled; the job ends, the run is resumable`,
      );
      throw new RunCancelledError(String(cancel.signal.reason));
    }
    if (outcome === null) {
      await handBack(() => job.moveToWait(token)); // stopped by `stop`: saved, for any worker to resume
      throw new WaitingError();
    }
    return this.result(run, outcome);
  }

  /** The result of a run that ended: its outcome when done; a failure otherwise (see the header). */
  private result(run: SweepRun, outcome: SweepRunOutcome): SweepRunOutcome {
    if (outcome.status === 'done') {
      this.options.log(`${run.id}: done (${outcome.action}, update ${outcome.update})`);
      return outcome;
    }
    const error = outcome.error ?? 'failed';
    throw outcome.action === 'skipped' ? new UnrecoverableError(error) : new Error(error);
  }

  /** The child settings of a run on `target`. */
  private settings(target: RunTarget): SweepRunSettings {
    return {
      backend: this.options.backend,
      updateThreads: this.options.updateThreads,
      resolvePath: this.options.resolvePath,
      targetOf: () => target,
      signal: this.stopping.signal,
      exitWithParent: true,
    };
  }

  /** The env or scenario `run` trains on; a scenario that cannot be opened throws its located problem. */
  private async targetOf(run: SweepRun): Promise<RunTarget> {
    if (run.scenario === null) return registryTarget(run.env!);
    const key = `${run.runsDir}\n${scenarioKey(run.scenario)}`;
    const known = this.targets.get(key);
    if (known !== undefined) return known;
    const { resolvePath } = this.options;
    const opened = await openScenarioTarget(run.scenario, 0, resolvePath(run.runsDir), resolvePath);
    if ('message' in opened) throw new Error(`scenario ${run.scenario.file}: ${opened.message}`);
    this.targets.set(key, opened);
    return opened;
  }

  /** A job of another code version: this worker stops (after handing the job back). */
  private refuse(run: SweepRun, job: RunJob): void {
    this.end = {
      kind: 'refused',
      reason:
        `run ${run.id} of sweep ${run.sweep} was queued by code version ${job.codeVersion}, and this worker ` +
        `runs ${this.options.codeVersion}; run one code version on every worker and where sweeps are queued ` +
        '(docs/deploy/README.md); the job stays on the queue',
    };
    void this.stop();
  }

  /**
   * Prints a worker error once per 30 s per message; connection errors not at all (the connection
   * reports a lost Redis once, connection.ts).
   */
  private reportError(error: Error): void {
    if (!isNotConnectionError(error)) return;
    const line = `queue: ${error.message}`;
    const now = Date.now();
    if (line === this.lastError.line && now - this.lastError.at < 30_000) return;
    this.lastError = { line, at: now };
    this.options.log(line);
  }
}

/**
 * Puts a job back on the queue (`move`). When this worker no longer holds the job's lock the move
 * fails, and the job is left to BullMQ's stalled-job check, which puts it back once the lock is gone.
 */
async function handBack(move: () => Promise<unknown>): Promise<void> {
  try {
    await move();
  } catch {
    // the lock is lost: see above
  }
}

/** Resolves after `ms`; the timer does not keep the process alive (a stopped worker exits at once). */
function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

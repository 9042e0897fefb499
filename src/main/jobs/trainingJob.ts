/**
 * One training job of the job service (jobService.ts): its worker thread (jobWorker.ts), the
 * public JobInfo its messages keep current, and its end, whatever causes it — the worker's `done`
 * or `failed` message, a crash, an exit, or a stop that outlived its grace period, after which the
 * thread is terminated (the run keeps its last saved checkpoint: checkpoints are swapped in
 * atomically, so none is left half written). The worker is unreferenced: a job never keeps the
 * process alive on its own unless someone waits for it (`holdProcess`).
 */
import type { Worker } from 'node:worker_threads';
import type { JobInfo } from '../../shared/api/jobMethods.js';
import type { JobWorkerMessage } from './jobWorker.js';

/** Statuses a job no longer leaves. */
export const FINISHED_STATUSES: ReadonlySet<JobInfo['status']> = new Set(['stopped', 'completed', 'failed']);

/** What a job knows before its worker speaks. */
export interface TrainingJobStart {
  readonly runId: string;
  /** The algorithm, a registry name. */
  readonly algo: string;
  readonly env: string;
  readonly scenario: string | null;
  readonly seed: number;
  readonly totalUpdates: number;
  /** Updates done before this session (a resume). */
  readonly startUpdate: number;
  /** ISO time the job starts. */
  readonly startedAt: string;
}

/** How a job talks to the rest of the service. */
export interface TrainingJobHooks {
  /** The wall clock, for `endedAt`. */
  readonly now: () => Date;
  /** How long a stop may take before the thread is terminated [ms]. */
  readonly stopGraceMs: number;
  /** The worker's error text made readable (paths relative to the project). */
  readonly describe: (message: string) => string;
  /** Called once the thread is gone (its slot may be reused). */
  readonly onEnded: () => void;
}

/** One job and its worker. */
export class TrainingJob {
  private readonly state: JobInfo;
  private worker: Worker | null;
  private markEnded: () => void = () => {};
  /** Resolves once the job has ended and its thread is gone. */
  readonly ended: Promise<void>;

  constructor(
    start: TrainingJobStart,
    worker: Worker,
    private readonly hooks: TrainingJobHooks,
  ) {
    this.state = {
      ...start,
      status: 'starting',
      update: start.startUpdate,
      backend: null,
      endedAt: null,
      error: null,
    };
    this.ended = new Promise<void>((resolve) => {
      this.markEnded = () => {
        hooks.onEnded();
        resolve();
      };
    });
    this.worker = worker;
    worker.on('message', (message: JobWorkerMessage) => this.hear(message));
    worker.on('error', (error) => this.finish('failed', `the training worker crashed: ${error.message}`));
    worker.on('exit', (code) =>
      this.finish('failed', `the training worker exited (code ${code}) before the job ended`),
    );
    // After the listeners: adding a 'message' listener references the worker's port again.
    worker.unref();
  }

  /** A copy of the job's public info. */
  get info(): JobInfo {
    return { ...this.state };
  }

  /** Whether the job has ended. */
  get finished(): boolean {
    return FINISHED_STATUSES.has(this.state.status);
  }

  /**
   * Asks the worker to stop (it finishes its update and saves a checkpoint); after the grace period
   * the thread is terminated. Asking again does nothing more.
   */
  stop(): void {
    if (this.finished || this.state.status === 'stopping') return;
    this.state.status = 'stopping';
    this.worker?.postMessage({ type: 'stop' });
    const timer = setTimeout(() => this.terminate(), this.hooks.stopGraceMs);
    timer.unref(); // never what keeps the process alive
    void this.ended.then(() => clearTimeout(timer));
  }

  /** Keeps the process alive until the job has ended (someone waits for it). */
  holdProcess(): void {
    this.worker?.ref();
  }

  /** Updates the info from one message of the worker. */
  private hear(message: JobWorkerMessage): void {
    const info = this.state;
    switch (message.type) {
      case 'backend':
        info.backend = message.name;
        break;
      case 'start':
        info.startUpdate = message.startUpdate;
        info.update = message.startUpdate;
        info.totalUpdates = message.totalUpdates;
        if (info.status === 'starting') info.status = 'running';
        break;
      case 'update':
        info.update = message.update;
        break;
      case 'done':
        info.update = message.update;
        this.finish(message.status === 'completed' ? 'completed' : 'stopped', null);
        break;
      case 'failed':
        this.finish('failed', this.hooks.describe(message.message));
        break;
      case 'evaluated':
        break;
    }
  }

  /** A stop that outlived its grace period: the thread is ended now. */
  private terminate(): void {
    const seconds = Number((this.hooks.stopGraceMs / 1000).toFixed(1));
    this.finish(
      'stopped',
      `the job did not stop within ${seconds} s and its thread was ended; the run keeps its last saved checkpoint`,
    );
  }

  /** Ends the job (once) and lets its thread go. */
  private finish(status: 'stopped' | 'completed' | 'failed', error: string | null): void {
    if (this.finished) return;
    this.state.status = status;
    this.state.error = error;
    this.state.endedAt = this.hooks.now().toISOString();
    const worker = this.worker;
    this.worker = null;
    if (worker === null) {
      this.markEnded();
      return;
    }
    worker.removeAllListeners();
    worker.on('error', () => {}); // errors while it winds down are no longer news
    void worker.terminate().finally(this.markEnded);
  }
}

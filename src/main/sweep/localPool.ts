/**
 * The embedded executor: a sweep's runs trained on this machine by at most `jobs` child processes at
 * once (src/main/workers/steerChildren.ts, as `steer table1` and `steer compare` train theirs), the
 * cores split among them (each child gets `--update-threads ⌊cores / jobs⌋`). One Ctrl-C starts no
 * new run and makes each child save its run and stop; the same command continues.
 */
import { runBounded, threadsPerJob } from '../workers/steerChildren.js';
import { runSweepRun, type SweepRunSettings } from './runSweepRun.js';
import type { SweepEvents, SweepExecutor, SweepRunOutcome } from './sweepExecutor.js';
import type { SweepRun } from './sweepRun.js';

/** How the local pool trains. */
export interface LocalPoolOptions extends Omit<SweepRunSettings, 'signal' | 'updateThreads'> {
  /** Child processes at once. */
  readonly jobs: number;
  /** `--update-threads` of each child; default the cores split among `jobs`. */
  readonly updateThreads?: number;
}

/** Runs sweeps with child processes on this machine. */
export class LocalPool implements SweepExecutor {
  readonly description: string;

  constructor(private readonly options: LocalPoolOptions) {
    this.description = `local pool of ${options.jobs} process${options.jobs === 1 ? '' : 'es'}`;
  }

  execute(runs: readonly SweepRun[], events: SweepEvents, signal?: AbortSignal): Promise<SweepRunOutcome[]> {
    const { jobs } = this.options;
    const settings: SweepRunSettings = {
      ...this.options,
      updateThreads: this.options.updateThreads ?? threadsPerJob(jobs),
      ...(signal !== undefined && { signal }),
    };
    return runBounded(
      runs,
      jobs,
      async (run) => {
        const outcome = await runSweepRun(run, settings, events);
        if (outcome !== null) events.onOutcome?.(run, outcome);
        return outcome;
      },
      signal === undefined ? {} : { signal },
    );
  }
}

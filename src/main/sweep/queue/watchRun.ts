/**
 * What runs beside a worker's training child: the run's lease renewed every third of its term (a
 * lease that is lost kills the child at once, through `kill`), the job's progress, the last update
 * the run's metrics.jsonl logged, reported whenever it has moved, and the sweep's cancel mark
 * (sweepCancel.ts) looked for every `cancelEveryMs` (a mark found stops the child with SIGTERM, through
 * `cancel`: it saves the run). Each is a loop of timers that never overlaps itself; `stop` ends them
 * and waits for a renewal in flight (not for a report or a look at the mark, which may be waiting for
 * a lost Redis).
 */
import { loggedUpdate } from '../statusTable.js';
import type { RunProgress } from './runJob.js';
import type { RunLease } from './runLease.js';

/** What a watch needs. */
export interface RunWatchOptions {
  readonly lease: RunLease;
  /** Aborted (with the reason) when the lease is lost. */
  readonly kill: AbortController;
  /** The run folder on this machine. */
  readonly runDir: string;
  /** PPO updates of the run. */
  readonly updates: number;
  /** Reports progress (job.updateProgress); a failure (Redis away) is tried again next time. */
  readonly report: (progress: RunProgress) => Promise<void>;
  /** How often progress is read [ms]. */
  readonly everyMs: number;
  /** The reason the run's sweep was cancelled, or null when it was not (Redis away: rejects). */
  readonly cancelled: () => Promise<string | null>;
  /** Aborted (with the reason) when the sweep's cancel mark is found. */
  readonly cancel: AbortController;
  /** How often the mark is looked for [ms]. */
  readonly cancelEveryMs: number;
  readonly log: (line: string) => void;
}

/** A running watch. */
export interface RunWatch {
  /** The child started: progress is reported from now on. */
  started(action: RunProgress['action']): void;
  /** Ends the loops, after the step in flight. */
  stop(): Promise<void>;
}

/** A loop calling `step` every `everyMs` until stopped, never two at once. */
function loop(everyMs: number, step: () => Promise<void>): { stop(): Promise<void> } {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  let stopped = false;
  const schedule = () => {
    timer = setTimeout(() => {
      running = step().finally(() => {
        if (!stopped) schedule();
      });
    }, everyMs);
  };
  schedule();
  return {
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}

/** Starts watching (see the header). */
export function watchRun(options: RunWatchOptions): RunWatch {
  const { lease, kill } = options;
  let renewalProblem: string | null = null;
  const renewal = loop(Math.max(100, Math.floor(lease.termMs / 3)), async () => {
    if (kill.signal.aborted) return;
    try {
      if (!(await lease.renew())) kill.abort(lease.lost);
      renewalProblem = null;
    } catch (error) {
      // still held until its term ends; the next renewal tries again, and one past the term loses it
      const problem = (error as Error).message;
      if (problem !== renewalProblem) options.log(problem);
      renewalProblem = problem;
    }
  });
  let action: RunProgress['action'] | null = null;
  let reported = -1;
  let reporting = false; // not awaited: a report waiting for a lost Redis must not hold up `stop`
  const progress = loop(options.everyMs, async () => {
    if (action === null || reporting) return;
    const update = (await loggedUpdate(options.runDir)) ?? 0;
    if (update === reported) return;
    reporting = true;
    options
      .report({ action, update, updates: options.updates })
      .then(
        () => {
          reported = update;
        },
        () => {}, // the queue is away: reported again next time
      )
      .finally(() => {
        reporting = false;
      });
  });
  let looking = false; // not awaited either, for the same reason
  const cancelCheck = loop(options.cancelEveryMs, async () => {
    if (looking || options.cancel.signal.aborted || kill.signal.aborted) return;
    looking = true;
    options
      .cancelled()
      .then(
        (reason) => {
          if (reason !== null) options.cancel.abort(reason);
        },
        () => {}, // the queue is away: looked for again next time
      )
      .finally(() => {
        looking = false;
      });
  });
  return {
    started: (started) => {
      action = started;
    },
    stop: async () => {
      await Promise.all([renewal.stop(), progress.stop(), cancelCheck.stop()]);
    },
  };
}

/**
 * A batch of sweep runs trained with a status file and a progress line, on this machine's pool of
 * child processes or through a queue: what `steer sweep run` does with a sweep file's runs, and
 * what `steer table1` and `steer compare` do with theirs. Those two make their runs as sweep runs
 * (same ids, same executors, same status file, so the Training tab lists them and `--queue` hands
 * them to `steer worker` processes) but keep their own folder layouts, so runs trained before they
 * were sweeps are found and continued.
 *
 * One process follows a runs folder at a time (`assertBatchFree`): a second one on the same folder
 * is refused while the first lives, as is a folder holding another sweep's status, and a folder
 * whose runs were queued continued on this machine while they may still be on the queue.
 */
import { hostname } from 'node:os';
import { basename } from 'node:path';
import type { TextSink } from '../cli/context.js';
import { CliError, errorLine } from '../cli/errors.js';
import { batchProgress, createProgress, type Progress } from '../cli/progress.js';
import { LocalPool } from './localPool.js';
import {
  closeRedis,
  codeVersion,
  connectRedis,
  DEFAULT_RUN_ATTEMPTS,
  parseQueueAddress,
  type QueueAddress,
  QueueExecutor,
} from './queue/index.js';
import type { SweepEvents, SweepExecutor, SweepRunOutcome } from './sweepExecutor.js';
import type { SweepRun } from './sweepRun.js';
import {
  readSweepStatus,
  runnerAlive,
  type SweepStatus,
  SweepStatusRecorder,
  sweepStatusPath,
} from './sweepStatus.js';
import type { PathResolver, RunTarget } from './sweepTargets.js';

/** Runs to train together, and what they are. */
export interface SweepBatch {
  /** The sweep's name: in the status file and in the queue's job ids (no ':'). */
  readonly name: string;
  /** What made the runs, as the status file records it: the sweep file, or the command ("steer table1"). */
  readonly file: string;
  /** The runs folder as the user gave it (relative to the working directory). */
  readonly runsDir: string;
  readonly runs: readonly SweepRun[];
  /** The env or scenario each run trains on. */
  readonly targetOf: (run: SweepRun) => RunTarget;
  /** What to do about a folder holding another run (default: a sweep file's remedy). */
  readonly otherRunRemedy?: string;
}

/** This machine's pool of `jobs` child processes. */
export interface LocalPlace {
  readonly kind: 'local';
  readonly jobs: number;
  /** Concrete backend name given to every child. */
  readonly backend: string;
}

/** The `steer worker` processes of a queue; each run tried `attempts` times. */
export interface QueuePlace {
  readonly kind: 'queue';
  readonly address: QueueAddress;
  readonly attempts: number;
}

/** Where the runs are trained. */
export type BatchPlace = LocalPlace | QueuePlace;

/** What the batch reads and writes outside itself. */
export interface BatchIo {
  readonly stderr: TextSink;
  /** A path as the batch gives it → a path for file operations here. */
  readonly resolvePath: PathResolver;
  /** Ctrl-C: no run starts; the pool's children save and stop, the queue is no longer followed. */
  readonly signal?: AbortSignal;
  /** The progress line's label ("sweep", "table1", "compare"). */
  readonly label: string;
  /** After each run that ended (done or failed; finished runs too), in the order they end. */
  readonly onOutcome?: (run: SweepRun, outcome: SweepRunOutcome) => void;
  /** Appended to the progress line after each run (e.g. "converged 3/4"). */
  readonly note?: () => string;
}

/**
 * The sweep name of a command's runs folder (status file, queue job ids): the folder's name as a
 * name (anything but letters, digits, '.', '_', '-' as '-'), or `fallback` for a folder without one.
 */
export function batchSweepName(runsDir: string, fallback: string): string {
  const name = basename(runsDir)
    .replace(/[^\w.-]+/g, '-')
    .slice(0, 80);
  return name === '' || /^\.+$/.test(name) ? fallback : name;
}

/** `--queue <url>` as a place, one clear line when the address is not one. */
export function queuePlace(url: string, attempts = DEFAULT_RUN_ATTEMPTS): QueuePlace {
  try {
    return { kind: 'queue', address: parseQueueAddress(url), attempts };
  } catch (error) {
    throw new CliError(errorLine(error));
  }
}

/** The status file of `runsDir` (resolved), or null; a damaged one is a CliError saying what to do. */
export async function readBatchStatus(
  runsDir: string,
  resolvePath: PathResolver,
): Promise<SweepStatus | null> {
  try {
    return await readSweepStatus(sweepStatusPath(resolvePath(runsDir)));
  } catch (error) {
    throw new CliError(`${(error as Error).message}; move it away to start the status afresh`);
  }
}

/**
 * Refuses a runs folder another live process is following, one holding another sweep's status, and
 * continuing here (`queue` null) a batch whose runs were queued and may still be on the queue.
 * `again` is the command that continues the batch, for the messages.
 */
export function assertBatchFree(
  previous: SweepStatus | null,
  batch: Pick<SweepBatch, 'name' | 'runsDir'>,
  queue: string | null,
  statusCommand: string,
): void {
  if (previous === null) return;
  const { name, runsDir } = batch;
  const runner = previous.runner;
  if (runner !== null && runner.pid !== process.pid && runnerAlive(runner)) {
    throw new CliError(
      `${runsDir}: sweep ${previous.sweep} is being run by process ${runner.pid} on ${runner.host} since ` +
        `${runner.startedAt}; wait for it or stop it (Ctrl-C there saves its runs). If that process is ` +
        `gone, remove ${runsDir}/sweep-status.json (the run folders keep every run's state)`,
    );
  }
  if (previous.sweep !== name) {
    throw new CliError(
      `${runsDir} holds the runs of sweep "${previous.sweep}", not "${name}"; give this one another runs folder`,
    );
  }
  if (previous.queue !== null && queue === null) {
    throw new CliError(
      `${runsDir}: sweep ${name} was queued on ${previous.queue}; continue it with --queue ${previous.queue}. ` +
        `To train it on this machine instead, once '${statusCommand}' shows no run queued or ` +
        `running there, remove ${runsDir}/sweep-status.json (the run folders keep every run's state)`,
    );
  }
}

/** The executor of `place`, and what to close after it. */
async function openExecutor(
  place: BatchPlace,
  batch: SweepBatch,
  io: BatchIo,
): Promise<{ executor: SweepExecutor; close: () => Promise<void> }> {
  if (place.kind === 'local') {
    const executor = new LocalPool({
      jobs: place.jobs,
      backend: place.backend,
      resolvePath: io.resolvePath,
      targetOf: batch.targetOf,
      ...(batch.otherRunRemedy !== undefined && { otherRunRemedy: batch.otherRunRemedy }),
    });
    return { executor, close: async () => {} };
  }
  const log = (line: string) => io.stderr.write(`${line}\n`);
  const version = await codeVersion();
  const connection = await connectRedis(place.address, { log });
  const executor = new QueueExecutor({
    connection,
    address: place.address,
    codeVersion: version,
    attempts: place.attempts,
    resolvePath: io.resolvePath,
    targetOf: batch.targetOf,
    ...(batch.otherRunRemedy !== undefined && { otherRunRemedy: batch.otherRunRemedy }),
    log,
  });
  return { executor, close: () => closeRedis(connection) };
}

/** What a batch did: the runs that ended (in run order) and whether it was interrupted. */
export interface BatchResult {
  readonly outcomes: SweepRunOutcome[];
  readonly interrupted: boolean;
  /** The status as last recorded. */
  readonly status: SweepStatus;
}

/**
 * Trains `batch` at `place`, recording `<runsDir>/sweep-status.json` (a folder that cannot be
 * written stops it before any run) and drawing a progress line. The caller checks the folder first
 * (`readBatchStatus`, `assertBatchFree`) and passes what it read as `previous`.
 */
export async function runSweepBatch(
  batch: SweepBatch,
  place: BatchPlace,
  previous: SweepStatus | null,
  io: BatchIo,
): Promise<BatchResult> {
  const { executor, close } = await openExecutor(place, batch, io);
  try {
    const statusPath = sweepStatusPath(io.resolvePath(batch.runsDir));
    const runner = {
      pid: process.pid,
      host: hostname(),
      executor: executor.description,
      startedAt: new Date().toISOString(),
    };
    const queue = place.kind === 'queue' ? place.address.label : null;
    const recorder = new SweepStatusRecorder(
      statusPath,
      { name: batch.name, file: batch.file, runs: batch.runs, ...(queue !== null && { queue }) },
      runner,
      previous,
    );
    try {
      await recorder.flush(); // a runs folder that cannot be written stops the batch before any run
    } catch (error) {
      throw new CliError(`cannot write ${statusPath}: ${errorLine(error)}; nothing was run`);
    }
    io.stderr.write(
      `${io.label} ${batch.name}: ${batch.runs.length} runs, ${executor.description}, in ${batch.runsDir}\n`,
    );
    let outcomes: SweepRunOutcome[];
    try {
      outcomes = await executeWithProgress(executor, batch.runs, recorder, io);
    } finally {
      await recorder.finish(); // no process follows the runs any more, whatever ended it (a cancel)
    }
    return { outcomes, interrupted: io.signal?.aborted === true, status: recorder.current };
  } finally {
    await close();
  }
}

/** Runs the batch with a progress line of runs ended out of all, recording every event. */
async function executeWithProgress(
  executor: SweepExecutor,
  runs: readonly SweepRun[],
  recorder: SweepStatusRecorder,
  io: BatchIo,
): Promise<SweepRunOutcome[]> {
  const progress: Progress = createProgress(io.stderr, io.label);
  const tally = batchProgress(progress, runs.length, io.note);
  const events: SweepEvents = {
    onStart: (run, action) => recorder.started(run, action),
    onStopped: (run, update) => recorder.stopped(run, update),
    onOutcome: (run, outcome) => {
      recorder.ended(outcome);
      io.onOutcome?.(run, outcome);
      tally.record(outcome);
    },
  };
  try {
    return await executor.execute(runs, events, io.signal);
  } finally {
    progress.stop();
    await recorder.flush();
  }
}

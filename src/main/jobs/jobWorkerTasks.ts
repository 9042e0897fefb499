/**
 * Starting the job worker (jobWorker.ts) on a task: a training job's long-lived thread, or an
 * evaluation's one-shot thread whose outcome comes back as a value (its failure as a
 * ServiceError: `unreadable` for a damaged run folder or checkpoint, `internal` for anything else).
 */
import type { Worker } from 'node:worker_threads';
import { ServiceError } from '../services/serviceError.js';
import { runTsWorkerTask, startTsWorker } from '../workers/tsWorker.js';
import type { EvaluateOutcome, EvaluateTask, JobTask, JobWorkerMessage, TrainTask } from './jobWorker.js';

/** The worker entry, next to this file. */
const WORKER_ENTRY = new URL('./jobWorker.ts', import.meta.url);

/** A worker training `task` (its messages: jobWorker.ts). */
export function startTrainingWorker(task: TrainTask): Worker {
  return startTsWorker(WORKER_ENTRY, task);
}

/**
 * Evaluates in a one-shot worker. `describe` makes the worker's error text readable (paths
 * relative to the project); failures are ServiceErrors prefixed with `runs.evaluate: `.
 */
export function evaluateInWorker(
  task: EvaluateTask,
  describe: (message: string) => string,
): Promise<EvaluateOutcome> {
  return runTsWorkerTask<JobTask, JobWorkerMessage, EvaluateOutcome>(
    WORKER_ENTRY,
    task,
    'runs.evaluate',
    (message) => {
      if (message.type === 'evaluated') return { result: message.outcome };
      if (message.type !== 'failed') return null;
      const text = `runs.evaluate: ${describe(message.message)}`;
      return { error: new ServiceError(message.fileProblem ? 'unreadable' : 'internal', text) };
    },
  );
}

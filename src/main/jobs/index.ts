/**
 * Training jobs in worker threads and the run folders they write (the training dashboard's main
 * side; docs/app.md "Training dashboard").
 */
export {
  JobService,
  type JobServiceOptions,
  MAX_ACTIVE_JOBS,
} from './jobService.js';
export type { EvaluateOutcome } from './jobWorker.js';
export { type CheckpointSummary, RunCatalog } from './runCatalog.js';

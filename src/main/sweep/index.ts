/**
 * Sweeps (docs/sweeps.md; src/main/commands/sweep.ts is the command): a sweep file (JSON or YAML)
 * checked with located errors, expanded into serialisable runs with stable ids, run by an executor
 * (the local pool of child processes, or a BullMQ queue that `steer worker` processes take runs
 * from: queue/) that records a status file. Import from here, not from the files; the executors
 * with their status file and progress line, for `steer sweep run`, `steer table1` and `steer compare`,
 * from sweepBatch.ts (it loads the queue's client, BullMQ).
 */

export {
  type CancelSite,
  isSweepRunCommand,
  type LocalCancelPlan,
  localCancelPlan,
  processCommandLine,
  processEnded,
  stopRunner,
} from './cancelLocalSweep.js';
export { expandSweep } from './expandSweep.js';
export { LocalPool, type LocalPoolOptions } from './localPool.js';
export { MAX_SWEEP_FILE_BYTES, type OpenedSweep, openSweep, readSweepFile, targetOf } from './openSweep.js';
export { envSlug, overridesHash, sweepRunId } from './runId.js';
export {
  decideSweepRun,
  runSweepRun,
  type SweepRunDecision,
  type SweepRunSettings,
  sweepTrainArguments,
} from './runSweepRun.js';
export {
  formatCounts,
  formatStatusTable,
  loggedUpdate,
  progressBar,
  type SweepStatusRow,
  stateCounts,
  statusFileRows,
  sweepStatusRows,
} from './statusTable.js';
export {
  SWEEP_RUN_STATES,
  type SweepEvents,
  type SweepExecutor,
  type SweepRunAction,
  type SweepRunOutcome,
  type SweepRunState,
} from './sweepExecutor.js';
export {
  DEFAULT_SWEEP_JOBS,
  MAX_SWEEP_JOBS,
  parseSweep,
  SWEEP_FILE_VERSION,
  SWEEPS_DIR,
  type SweepFile,
  SweepFileSchema,
} from './sweepFile.js';
export {
  findSweepFolders,
  MAX_LISTED_SWEEPS,
  readSweepFolder,
  SWEEPS_SUBDIR,
  type SweepFolder,
  type SweepFolderRun,
} from './sweepFolders.js';
export { SweepFileError, type SweepIssue } from './sweepIssues.js';
export { type SweepRun, SweepRunSchema, type SweepScenario } from './sweepRun.js';
export {
  readSweepStatus,
  runnerAlive,
  SWEEP_STATUS_FILE,
  type SweepRunner,
  type SweepStatus,
  SweepStatusRecorder,
  SweepStatusSchema,
  sweepStatusPath,
} from './sweepStatus.js';
export { type PathResolver, type RunTarget, registryTarget } from './sweepTargets.js';

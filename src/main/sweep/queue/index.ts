/**
 * Sweeps on a queue (docs/sweeps.md "On a queue", docs/deploy/): the executor that hands a sweep's
 * runs to BullMQ on Redis, the worker that trains them (`steer worker`), the run lease that keeps
 * two workers off one run folder, the code version every worker must share, the status of a
 * queued sweep, and its cancel (`steer sweep cancel`: a mark every worker and follower looks for).
 * Import from here, not from the files.
 */

export { CODE_VERSION_ENV, codeHash, codeVersion } from '../../build/codeVersion.js';
export { QueueExecutor, type QueueExecutorOptions, SweepCancelledError } from './bullmqExecutor.js';
export { cancelQueuedSweep, type QueuedCancelOptions, type QueuedCancelResult } from './cancelQueuedSweep.js';
export { type ConnectOptions, closeRedis, connectRedis, DEFAULT_CONNECT_MS } from './connection.js';
export { parseQueueAddress, type QueueAddress } from './queueAddress.js';
export { QueueError } from './queueError.js';
export { queueStatusRows, runState } from './queueStatus.js';
export { freePort, REDIS_SERVER, RedisServer } from './redisServer.js';
export {
  DEFAULT_RUN_ATTEMPTS,
  RUN_JOB_NAME,
  RUN_QUEUE_NAME,
  type RunJob,
  RunJobSchema,
  type RunProgress,
  runJobId,
} from './runJob.js';
export { acquireRunLease, LeaseError, RunLease, type RunLeaseFile, runLeasePath } from './runLease.js';
export {
  CANCEL_CHECK_MS,
  CANCELLED_REASON,
  type CancelMark,
  cancelledReason,
  cancelMarkKey,
  clearSweepCancel,
  describeCancelMark,
  isCancelledReason,
  markSweepCancelled,
  parseCancelMark,
  sweepCancelMark,
} from './sweepCancel.js';
export { SweepWorker, type SweepWorkerEnd, type SweepWorkerOptions } from './worker.js';

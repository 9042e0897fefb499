/**
 * Handlers of the training dashboard's methods (jobMethods.ts), spread into createApiHandlers
 * (handlers.ts): jobs and run folders through one JobService (src/main/jobs) per handler set.
 */

import type { ApiHandlers } from '../../shared/api/contract.js';
import type { JOB_METHODS } from '../../shared/api/jobMethods.js';
import { JobService } from '../jobs/index.js';

/** The handlers of the job methods for the project folder `projectRoot` (or the given service). */
export function createJobHandlers(
  options: { readonly projectRoot: string },
  service: JobService = new JobService({ projectRoot: options.projectRoot }),
): Pick<ApiHandlers, keyof typeof JOB_METHODS> {
  return {
    'jobs.options': async () => service.options(),
    'jobs.list': async () => ({ jobs: service.list() }),
    'jobs.start': async (request) => ({ job: await service.start(request) }),
    'jobs.stop': async (request) => ({ job: service.stop(request.runId) }),
    'jobs.resume': async (request) => ({ job: await service.resume(request.runId, request.backend) }),
    'jobs.metrics': async (request) => service.metrics(request.runId, request.since),
    'runs.list': async () => ({ runs: await service.runs() }),
    'runs.checkpoints': async (request) => ({
      runId: request.runId,
      checkpoints: await service.checkpoints(request.runId),
    }),
    'runs.evaluate': async (request) => service.evaluate(request.runId, request),
  };
}

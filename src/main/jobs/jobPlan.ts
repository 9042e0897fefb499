/**
 * The run a `jobs.start` asks for, planned as `steer train` plans it (src/main/train/runPlan.ts):
 * a request that cannot become a run is an `invalid-request` ServiceError whose issue names the
 * request field (`request.env`, `request.algo`, `request.config`, …).
 */
import { ServiceError } from '../services/serviceError.js';
import { type NewRunRequest, planNewRun, type RunPlan, RunPlanError } from '../train/runPlan.js';

/** The request field each part of a plan comes from. */
const REQUEST_PATHS = {
  env: 'request.env',
  algo: 'request.algo',
  config: 'request.config',
  seed: 'request.config.seed',
  evaluation: 'request',
} as const;

/** The plan of `request`; problems name the request field. */
export function planJob(request: NewRunRequest): RunPlan {
  try {
    return planNewRun(request);
  } catch (error) {
    if (!(error instanceof RunPlanError)) throw error;
    const where = error.field === 'env' || error.field === 'algo' ? `${error.field}: ` : '';
    throw new ServiceError('invalid-request', `jobs.start: ${where}${error.message}`, [
      { path: REQUEST_PATHS[error.field], message: error.message },
    ]);
  }
}

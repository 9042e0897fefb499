/**
 * The main side of the API contract (contract.ts): one handler per method, on Node. The browser
 * host (src/main/web/server.ts) serves them over WebSocket; the Electron main process registers
 * the same handlers on IPC channels `steer:<method>`, each through `dispatchApiCall`. The services
 * behind them throw ServiceErrors; here those become the contract's ApiErrors.
 */
import { SUPPORTED_REPLAY_VERSIONS } from '../../core/replay/index.js';
import { ApiError, type ApiHandlers, REPLAY_ROOTS } from '../../shared/api/contract.js';
import type { JobService } from '../jobs/index.js';
import { ReplayLibrary } from '../library/replayLibrary.js';
import { ServiceError } from '../services/serviceError.js';
import { createJobHandlers } from './jobHandlers.js';
import { createScenarioHandlers } from './scenarioHandlers.js';
import { createSweepHandlers } from './sweepHandlers.js';

/** What the handlers need to know about where they run. */
export interface ApiHandlerOptions {
  /** Folder holding samples/ and runs/. */
  readonly projectRoot: string;
  /** Which main side serves them. */
  readonly host: 'web' | 'electron';
  /** App version (package.json). */
  readonly version: string;
  /**
   * The training jobs' service, when the host must reach it too (the Electron main process stops
   * the jobs before quitting); default a new one for projectRoot.
   */
  readonly jobs?: JobService;
}

/** The handlers of every API method, each turning a service's ServiceError into the contract's ApiError. */
export function createApiHandlers(options: ApiHandlerOptions): ApiHandlers {
  return speakingTheContract(serviceHandlers(options));
}

/**
 * `handlers` with every ServiceError they throw turned into the ApiError of the same code, message
 * and issues (anything else stays as it is: dispatchApiCall reports it as `internal`).
 */
export function speakingTheContract(handlers: ApiHandlers): ApiHandlers {
  const wrapped: Record<string, (request: never) => Promise<unknown>> = {};
  for (const [method, handler] of Object.entries(handlers) as [
    string,
    (request: never) => Promise<unknown>,
  ][]) {
    wrapped[method] = async (request) => {
      try {
        return await handler(request);
      } catch (error) {
        if (error instanceof ServiceError) throw new ApiError(error.code, error.message, error.issues);
        throw error;
      }
    };
  }
  return wrapped as unknown as ApiHandlers;
}

/** The services behind each method. */
function serviceHandlers(options: ApiHandlerOptions): ApiHandlers {
  const library = new ReplayLibrary(options.projectRoot);
  return {
    'app.info': async () => ({
      name: 'STEER Studio',
      version: options.version,
      host: options.host,
      replayRoots: [...REPLAY_ROOTS],
      replayFormatVersions: [...SUPPORTED_REPLAY_VERSIONS],
    }),
    'replays.list': async (request) => library.list(request.root),
    'replays.open': async (request) => library.open(request.path),
    ...createScenarioHandlers(options),
    ...createJobHandlers(options, options.jobs),
    ...createSweepHandlers(options),
  };
}

/**
 * The main side of the API contract (contract.ts): one handler per method, on Node. The browser
 * host (src/main/web/server.ts) serves them over WebSocket; the Electron main process registers
 * the same handlers on IPC channels `steer:<method>`, each through `dispatchApiCall`.
 */
import { SUPPORTED_REPLAY_VERSIONS } from '../../core/replay/index.js';
import { type ApiHandlers, REPLAY_ROOTS } from '../../shared/api/contract.js';
import type { JobService } from '../jobs/index.js';
import { createJobHandlers } from './jobHandlers.js';
import { ReplayLibrary } from './replayLibrary.js';
import { createScenarioHandlers } from './scenarioHandlers.js';

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

/** The handlers of every API method. */
export function createApiHandlers(options: ApiHandlerOptions): ApiHandlers {
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
  };
}

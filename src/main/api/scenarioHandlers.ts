/**
 * Handlers of the scenario editor's methods (scenarioMethods.ts), spread into createApiHandlers
 * (handlers.ts): scenario files through ScenarioLibrary, episodes through src/main/sim/editorSim.ts
 * (live ones through src/main/sim/liveSessions.ts).
 */
import { BASELINE_POLICIES } from '../../core/envs/horm/baselinePolicies.js';
import type { ApiHandlers } from '../../shared/api/contract.js';
import { type SCENARIO_METHODS, USER_SCENARIO_DIR } from '../../shared/api/scenarioMethods.js';
import { checkScenarioDocument, checkScenarioText, ScenarioLibrary } from '../library/scenarioLibrary.js';
import { ServiceError } from '../services/serviceError.js';
import { listPlayableRuns, openEpisodeRequest, runEditorEpisode } from '../sim/editorSim.js';
import { LiveSimSessions, MAX_LIVE_SESSIONS } from '../sim/liveSessions.js';
import { SlotLimit } from '../workers/slotLimit.js';

/** Most `sim.run` episodes playing at once (each is a worker thread), as many as live runs. */
export const MAX_SIM_RUNS = MAX_LIVE_SESSIONS;

/** The handlers of the scenario methods, for the project folder `projectRoot`. */
export function createScenarioHandlers(options: {
  readonly projectRoot: string;
}): Pick<ApiHandlers, keyof typeof SCENARIO_METHODS> {
  const library = new ScenarioLibrary(options.projectRoot);
  const live = new LiveSimSessions({ projectRoot: options.projectRoot });
  const runs = new SlotLimit(
    MAX_SIM_RUNS,
    (max) => new ServiceError('refused', `sim.run: ${max} episodes are playing already; wait for one to end`),
  );
  return {
    'scenarios.list': async () => ({ scenarios: await library.list(), userDir: USER_SCENARIO_DIR }),
    'scenarios.open': async (request) => library.open(request.path),
    'scenarios.validate': async (request) =>
      request.text !== undefined
        ? checkScenarioText(request.text, '(text)')
        : checkScenarioDocument(request.scenario!, '(scenario)'),
    'scenarios.save': async (request) => library.save(request.path, request.scenario, request.overwrite),
    'sim.models': async () => ({
      baselines: [...BASELINE_POLICIES],
      runs: await listPlayableRuns(options.projectRoot),
    }),
    'sim.run': async (request) =>
      runs.run(() => runEditorEpisode(options.projectRoot, openEpisodeRequest(request, 'sim.run'))),
    'sim.start': async (request) => live.start(request),
    'sim.poll': async (request) => live.poll(request.sessionId, request.sinceByte),
  };
}

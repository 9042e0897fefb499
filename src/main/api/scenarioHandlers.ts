/**
 * Handlers of the scenario editor's methods (scenarioMethods.ts), spread into createApiHandlers
 * (handlers.ts): scenario files through ScenarioLibrary, episodes through src/main/sim/editorSim.ts
 * (live ones through src/main/sim/liveSessions.ts).
 */
import { BASELINE_POLICIES } from '../../core/envs/horm/baselinePolicies.js';
import { listPlayableRuns, runEditorEpisode } from '../sim/editorSim.js';
import { LiveSimSessions } from '../sim/liveSessions.js';
import type { ApiHandlers } from './contract.js';
import { checkScenarioDocument, checkScenarioText, ScenarioLibrary } from './scenarioLibrary.js';
import { type SCENARIO_METHODS, USER_SCENARIO_DIR } from './scenarioMethods.js';

/** The handlers of the scenario methods, for the project folder `projectRoot`. */
export function createScenarioHandlers(options: {
  readonly projectRoot: string;
}): Pick<ApiHandlers, keyof typeof SCENARIO_METHODS> {
  const library = new ScenarioLibrary(options.projectRoot);
  const live = new LiveSimSessions({ projectRoot: options.projectRoot });
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
    'sim.run': async (request) => runEditorEpisode(options.projectRoot, request),
    'sim.start': async (request) => live.start(request),
    'sim.poll': async (request) => live.poll(request.sessionId, request.sinceByte),
  };
}

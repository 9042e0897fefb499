/**
 * Whether ▶ Run can be pressed, and why not: the draft must validate, the host be connected, and
 * a trained model must have been trained with as many CAVs as the scenario has (the host would
 * refuse it: a policy plays only the shape of env it learned on). Plain TypeScript, no DOM.
 */
import type { ApiRequest, ApiResponse } from '../../shared/api/contract.js';
import type { ScenarioDraft } from './scenarioDraft.js';

/** A model choice of `sim.run`. */
type SimModel = ApiRequest<'sim.run'>['model'];
/** A trained run `sim.models` lists. */
type TrainedRun = ApiResponse<'sim.models'>['runs'][number];

/** Run's tooltip when it can run. */
export const RUN_TITLE = 'Simulate one episode and watch it in the player';

/** The CAVs (agents) of the draft: the density + 1 for density traffic, −1 when the density is not a number. */
export function draftCavCount(draft: ScenarioDraft): number {
  if (draft.trafficMode === 'density') return typeof draft.density === 'number' ? draft.density + 1 : -1;
  return draft.vehicles.filter((v) => v.kind === 'cav').length;
}

/** What Run needs to know. */
export interface RunReadinessInput {
  /** The validator's problems in the draft. */
  readonly issueCount: number;
  /** Whether the host's API is connected. */
  readonly connected: boolean;
  /** The model selected (null while none is listed). */
  readonly model: SimModel | null;
  /** The trained runs listed. */
  readonly runs: readonly TrainedRun[];
  /** The draft's CAVs (draftCavCount). */
  readonly cavs: number;
}

/** Whether Run is disabled, and its tooltip (the reason when it is). */
export function runReadiness(input: RunReadinessInput): { disabled: boolean; title: string } {
  const { issueCount: count, connected, model, runs, cavs } = input;
  if (count > 0) {
    return {
      disabled: true,
      title: `${RUN_TITLE} (fix the ${count} problem${count === 1 ? '' : 's'} first)`,
    };
  }
  if (!connected) return { disabled: true, title: `${RUN_TITLE} (not connected to the host)` };
  if (model?.kind === 'run') {
    const run = runs.find((r) => r.path === model.path);
    if (run !== undefined && run.agents !== cavs) {
      const has = cavs < 0 ? 'an unknown number of' : String(cavs);
      return {
        disabled: true,
        title: `${model.path} was trained with ${run.agents} CAV${run.agents === 1 ? '' : 's'}; this scenario has ${has}. Give it ${run.agents}, or pick another model`,
      };
    }
  }
  return { disabled: false, title: RUN_TITLE };
}

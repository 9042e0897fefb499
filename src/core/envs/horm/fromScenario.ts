/**
 * Scenario file → HormEnv options (docs/scenarios.md, spec/horm.md): traffic density, safety
 * supervisor, priority rule, reward weights, episode length and seed. A scenario the simulator cannot
 * run yet (explicit vehicle list, other road lengths or duration, "dynamic" physics) is refused with
 * one issue per field, in the validator's shape (`path`, `message`), so the CLI prints it the same
 * way: `file: path: message`. Nothing is approximated.
 */

import { DEFAULT_ROAD, type PriorityRule, type Scenario, type ScenarioIssue } from '../../scenario/index.js';
import { EPISODE_STEPS, POLICY_FREQUENCY_HZ, type TrafficDensity } from '../../sim/horm/index.js';
import { HormEnv, type HormEnvConfig, type HormPriorityRule } from './hormEnv.js';

/** What a scenario sets on a HormEnv. */
export interface HormScenarioOptions {
  /** Traffic density 1, 2 or 3 (spec/horm.md §5.1): density + 1 agents. */
  readonly density: TrafficDensity;
  /** Overrides of DEFAULT_HORM_ENV_CONFIG (supervisor, priority, reward weights). */
  readonly config: Partial<HormEnvConfig>;
  /**
   * The scenario's root seed (spec/horm.md §5.4). The env takes a seed per episode, so this is
   * where a consumer starts the stream: `steer train --scenario` uses it as the run's default
   * `--seed`.
   */
  readonly seed: number;
}

/** The options, or why the scenario cannot be run (one issue per field). */
export type HormScenarioResult =
  | { readonly ok: true; readonly options: HormScenarioOptions }
  | { readonly ok: false; readonly issues: readonly ScenarioIssue[] };

/** Scenario priority rule → env priority rule (same three rules, camelCase names). */
const PRIORITY_RULES: Readonly<Record<PriorityRule, HormPriorityRule>> = {
  index: 'index',
  'main-road-first': 'mainRoadFirst',
  'closest-to-merge-first': 'closestToMerge',
};

/** The simulator's fixed episode length [s]: 100 policy steps at 5 Hz (spec/horm.md §2.3). */
const SIM_DURATION_S = EPISODE_STEPS / POLICY_FREQUENCY_HZ;

/** HormEnv options for `scenario`, or the fields the simulator does not support yet. */
export function hormOptionsFromScenario(scenario: Scenario): HormScenarioResult {
  const issues: ScenarioIssue[] = [];
  const unsupported = (path: string, message: string) => {
    issues.push({ path, message: `not supported by the HORM simulator yet: ${message}` });
  };
  if ('vehicles' in scenario.traffic) {
    unsupported(
      'traffic.vehicles',
      'HormEnv starts every episode from a traffic density (spec/horm.md §5.1) and has no reset from an ' +
        `explicit vehicle list; use "traffic": {"density": 1 | 2 | 3}, received a list of ${scenario.traffic.vehicles.length} vehicles`,
    );
  }
  if (Math.abs(scenario.durationS - SIM_DURATION_S) > 1e-9) {
    unsupported(
      'durationS',
      `episodes last ${SIM_DURATION_S} s (${EPISODE_STEPS} policy steps, spec/horm.md §2.3), received ${scenario.durationS}`,
    );
  }
  for (const key of Object.keys(DEFAULT_ROAD) as (keyof typeof DEFAULT_ROAD)[]) {
    if (scenario.road[key] !== DEFAULT_ROAD[key]) {
      unsupported(
        `road.${key}`,
        `the road has the reference lengths (${DEFAULT_ROAD[key]} m here, spec/horm.md §1.1), received ${scenario.road[key]}`,
      );
    }
  }
  if (scenario.physics !== 'reference') {
    unsupported(
      'physics',
      `only "reference" (the kinematic bicycle model, spec/horm.md §2.2), received "${scenario.physics}"`,
    );
  }
  if (issues.length > 0 || !('density' in scenario.traffic)) return { ok: false, issues };
  const w = scenario.rewardWeights;
  return {
    ok: true,
    options: {
      density: scenario.traffic.density,
      seed: scenario.seed,
      config: {
        safetySupervisor: scenario.supervisor,
        priority: PRIORITY_RULES[scenario.priority],
        rewardWeights: {
          collision: w.collision,
          highSpeed: w.highSpeed,
          mergingLane: w.mergingLaneCost,
          headway: w.headwayCost,
        },
      },
    },
  };
}

/**
 * A HormEnv for `scenario`. Throws an Error listing every unsupported field (one `path: message`
 * line each) when the simulator cannot run it.
 */
export function hormEnvFromScenario(scenario: Scenario): HormEnv {
  const result = hormOptionsFromScenario(scenario);
  if (!result.ok) {
    throw new Error(
      `scenario "${scenario.name}" cannot be simulated:\n${result.issues.map((i) => `${i.path}: ${i.message}`).join('\n')}`,
    );
  }
  return new HormEnv(result.options.density, result.options.config);
}

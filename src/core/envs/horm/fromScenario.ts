/**
 * Scenario file → HormEnv options (docs/scenarios.md, docs/spec/horm.md): traffic (a density, or an
 * explicit vehicle list with its CAV priorities), segment lengths, episode length, seed, safety
 * supervisor, physics mode, reference quirks, priority rule and reward weights. What the simulator
 * cannot run (a setting its geometry cannot use) is refused with one issue per field, in the
 * validator's shape (`path`, `message`), so the CLI prints it the same way: `file: path: message`.
 * Nothing is approximated.
 */

import {
  laneIndexOf,
  type PriorityRule,
  type Scenario,
  type ScenarioIssue,
  type ScenarioVehicle,
} from '../../scenario/index.js';
import {
  episodeStepsForDuration,
  hormSimConfigIssues,
  resolveHormSimConfig,
  type SceneVehicle,
  type TrafficDensity,
} from '../../sim/horm/index.js';
import { HormEnv, type HormEnvConfig, type HormPriorityRule } from './hormEnv.js';

/** What a scenario sets on a HormEnv. */
export interface HormScenarioOptions {
  /**
   * HormEnv's first argument: a traffic density 1, 2 or 3 (docs/spec/horm.md §5.1: density + 1 agents),
   * or the explicit vehicle list (agents = its CAVs, numbered by increasing priority when given).
   */
  readonly traffic: TrafficDensity | readonly SceneVehicle[];
  /**
   * Overrides of DEFAULT_HORM_ENV_CONFIG: supervisor, physics mode, reference quirks, priority
   * rule, reward weights, segment lengths (`road`) and the time limit in policy steps
   * (`episodeSteps`, from `durationS`).
   */
  readonly config: Partial<HormEnvConfig>;
  /**
   * The scenario's root seed (docs/spec/horm.md §5.4). The env takes a seed per episode, so this is
   * where a consumer starts the stream: `steer train --scenario` uses it as the run's default
   * `--seed`. It drives the spawn draws of density traffic and the supervisor's noise.
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

/** A scenario vehicle as the simulator places it: lane "j-k-0" → (j, k, 0). */
function sceneVehicle(v: ScenarioVehicle): SceneVehicle {
  const placed = { kind: v.kind, lane: laneIndexOf(v.lane), positionM: v.positionM, speedMps: v.speedMps };
  return v.priority === undefined ? placed : { ...placed, priority: v.priority };
}

/** The scenario field behind a simulator config path ("vehicles[2].lane" → "traffic.vehicles[2].lane"). */
function scenarioPath(simPath: string): string {
  if (simPath.startsWith('vehicles')) return `traffic.${simPath}`;
  if (simPath === 'density') return 'traffic.density';
  if (simPath === 'episodeSteps') return 'durationS';
  return simPath; // road.* has the same names
}

/** HormEnv options for `scenario`, or the fields the simulator cannot run. */
export function hormOptionsFromScenario(scenario: Scenario): HormScenarioResult {
  const issues: ScenarioIssue[] = [];
  const traffic =
    'density' in scenario.traffic ? scenario.traffic.density : scenario.traffic.vehicles.map(sceneVehicle);
  const w = scenario.rewardWeights;
  const config: Partial<HormEnvConfig> = {
    safetySupervisor: scenario.supervisor,
    physics: scenario.physics,
    quirks: { ...scenario.referenceQuirks }, // same names as HormQuirks (docs/spec/horm.md §10)
    priority: PRIORITY_RULES[scenario.priority],
    rewardWeights: {
      collision: w.collision,
      highSpeed: w.highSpeed,
      mergingLane: w.mergingLaneCost,
      headway: w.headwayCost,
    },
    road: { ...scenario.road },
    episodeSteps: episodeStepsForDuration(scenario.durationS), // 20 s at 5 Hz → 100 (§2.3)
  };
  // The schema bounds every field; this catches what the simulator's geometry still cannot use.
  const sim = resolveHormSimConfig({
    ...config,
    ...(typeof traffic === 'number' ? { density: traffic } : { vehicles: traffic }),
  });
  for (const issue of hormSimConfigIssues(sim)) {
    issues.push({
      path: scenarioPath(issue.path),
      message: `the HORM simulator cannot run it: ${issue.message}`,
    });
  }
  if (issues.length > 0) return { ok: false, issues };
  return { ok: true, options: { traffic, seed: scenario.seed, config } };
}

/**
 * A HormEnv for `scenario`. Throws an Error listing every field the simulator cannot run (one
 * `path: message` line each).
 */
export function hormEnvFromScenario(scenario: Scenario): HormEnv {
  const result = hormOptionsFromScenario(scenario);
  if (!result.ok) {
    throw new Error(
      `scenario "${scenario.name}" cannot be simulated:\n${result.issues.map((i) => `${i.path}: ${i.message}`).join('\n')}`,
    );
  }
  return new HormEnv(result.options.traffic, result.options.config);
}

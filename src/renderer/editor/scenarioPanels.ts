/**
 * The side panels with the scenario file's fields (Scenario, Traffic, Road, Reward weights), each a
 * form row bound to the draft; the Traffic panel holds the vehicle list and the selected vehicle.
 */

import { DENSITY_MIN_BEFORE_MERGE_M } from '../../core/scenario/index.js';
import { panel } from '../ui/dom.js';
import type { FieldForm } from './fieldForm.js';
import type { ScenarioDraft } from './scenarioDraft.js';

/**
 * The reference-quirks select's value for the file's `referenceQuirks` (docs/spec/horm.md §10):
 * "false" (absent or false), "true", or the JSON of an object naming some (kept as it is).
 */
function quirksChoice(value: unknown): string {
  if (value === undefined || value === false) return 'false';
  return value === true ? 'true' : JSON.stringify(value);
}

/** Sets `referenceQuirks` from the select: none leaves the field out (its default). */
function setQuirksChoice(draft: ScenarioDraft, choice: string): void {
  if (choice === 'false') delete draft.extra.referenceQuirks;
  else draft.extra.referenceQuirks = JSON.parse(choice) as unknown;
}

/** The field panels, in the order the side panel shows them, and the rows the editor toggles. */
export interface ScenarioPanels {
  readonly scenario: HTMLElement;
  readonly traffic: HTMLElement;
  readonly road: HTMLElement;
  readonly reward: HTMLElement;
  /** The density row (shown for density traffic). */
  readonly densityRow: HTMLElement;
}

/**
 * Builds the field panels over `fields`, reading the current draft through `draft()` (the editor
 * replaces it when a file is opened); `vehicles` is the vehicle section put in the Traffic panel.
 * The panels are built in the order their fields join `fields.bindings`: Scenario, Road, Traffic,
 * Reward weights.
 */
export function buildScenarioPanels(
  doc: Document,
  fields: FieldForm,
  draft: () => ScenarioDraft,
  vehicles: HTMLElement,
): ScenarioPanels {
  const scenario = scenarioPanel(doc, fields, draft);
  const road = roadPanel(doc, fields, draft);
  const { traffic, densityRow } = trafficPanel(doc, fields, draft, vehicles);
  const reward = rewardPanel(doc, fields, draft);
  return { scenario, traffic, road, reward, densityRow };
}

/** Scenario: name, description, seed, duration, physics, priority rule, supervisor, reference quirks. */
function scenarioPanel(doc: Document, fields: FieldForm, draft: () => ScenarioDraft): HTMLElement {
  const scenario = panel(doc, 'Scenario');
  scenario.append(
    fields.textField(
      'name',
      'name',
      () => draft().name,
      (v) => (draft().name = v),
    ),
    fields.textField(
      'description',
      'description',
      () => draft().description,
      (v) => (draft().description = v),
      true,
    ),
    fields.numberField(
      'seed',
      'seed',
      '',
      () => draft().seed,
      (v) => (draft().seed = v),
    ),
    fields.numberField(
      'duration',
      'durationS',
      's',
      () => draft().durationS,
      (v) => (draft().durationS = v),
    ),
    ...scenarioChoices(fields, draft),
  );
  return scenario;
}

/** The Scenario panel's choices: physics, priority rule, supervisor, reference quirks. */
function scenarioChoices(fields: FieldForm, draft: () => ScenarioDraft): HTMLElement[] {
  return [
    fields.selectField(
      'physics',
      'physics',
      [
        ['reference', 'reference (kinematic bicycle, spec)'],
        ['dynamic', 'dynamic (planck forces)'],
      ],
      () => draft().physics,
      (v) => (draft().physics = v),
    ),
    fields.selectField(
      'priority rule',
      'priority',
      [
        ['index', 'index (agent number)'],
        ['main-road-first', 'main road first'],
        ['closest-to-merge-first', 'closest to merge first'],
      ],
      () => draft().priority,
      (v) => (draft().priority = v),
    ),
    fields.checkField(
      'supervisor',
      'supervisor',
      'safety supervisor on CAV actions',
      () => draft().supervisor,
      (v) => (draft().supervisor = v),
    ),
    fields.selectField(
      'reference quirks',
      'referenceQuirks',
      [
        ['false', 'none (correct behaviour)'],
        ['true', 'all (the reference as published)'],
      ],
      () => quirksChoice(draft().extra.referenceQuirks),
      (v) => setQuirksChoice(draft(), v),
    ),
  ];
}

/** Road: the segment lengths [m]. */
function roadPanel(doc: Document, fields: FieldForm, draft: () => ScenarioDraft): HTMLElement {
  const road = panel(doc, 'Road');
  road.append(
    ...(
      [
        ['before merge', 'beforeMergeM'],
        ['converging', 'convergingM'],
        ['merge zone', 'mergeM'],
        ['after merge', 'afterMergeM'],
      ] as const
    ).map(([label, key]) =>
      fields.numberField(
        label,
        `road.${key}`,
        'm',
        () => draft().road[key],
        (v) => (draft().road[key] = v),
      ),
    ),
  );
  return road;
}

/** Traffic: explicit list or density, the density row, and the vehicle section. */
function trafficPanel(
  doc: Document,
  fields: FieldForm,
  draft: () => ScenarioDraft,
  vehicles: HTMLElement,
): { traffic: HTMLElement; densityRow: HTMLElement } {
  const traffic = panel(doc, 'Traffic');
  traffic.id = 'editor-traffic';
  const mode = fields.selectField(
    'traffic',
    'traffic',
    [
      ['vehicles', 'explicit vehicle list'],
      ['density', 'density (random spawns)'],
    ],
    () => draft().trafficMode,
    (v) => (draft().trafficMode = v as 'density' | 'vehicles'),
  );
  const densityRow = fields.selectField(
    'density',
    'traffic.density',
    [
      ['1', `1 · 2 CAVs, 1–3 HDVs`],
      ['2', `2 · 3 CAVs, 2–4 HDVs`],
      ['3', `3 · 4 CAVs, 3–5 HDVs`],
    ],
    () => String(draft().density),
    (v) => (draft().density = Number(v)),
  );
  densityRow.title = `Reference spawning (docs/spec/horm.md §5.1); needs before merge ≥ ${DENSITY_MIN_BEFORE_MERGE_M} m`;
  traffic.append(mode, densityRow, vehicles);
  return { traffic, densityRow };
}

/** Reward weights: one number per reward term. */
function rewardPanel(doc: Document, fields: FieldForm, draft: () => ScenarioDraft): HTMLElement {
  const reward = panel(doc, 'Reward weights');
  reward.append(
    ...(
      [
        ['collision', 'collision'],
        ['high speed', 'highSpeed'],
        ['merging lane', 'mergingLaneCost'],
        ['headway', 'headwayCost'],
      ] as const
    ).map(([label, key]) =>
      fields.numberField(
        label,
        `rewardWeights.${key}`,
        '',
        () => draft().rewardWeights[key],
        (v) => (draft().rewardWeights[key] = v),
      ),
    ),
  );
  return reward;
}

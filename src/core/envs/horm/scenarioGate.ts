/**
 * The one gate a scenario passes to become an env, wherever it comes from (a file, the editor's
 * document, a run folder's copy): validated by the schema (src/core/scenario), then checked against
 * what the simulator can build (hormOptionsFromScenario), or refused with the located issues of
 * the first stage that refused it. Each process opens a scenario once; a worker thread that receives
 * one already opened rebuilds its env with `reopenScenario`, without validating it again.
 */
import {
  type ParseScenarioResult,
  parseScenario,
  type Scenario,
  type ScenarioIssue,
  validateScenarioDocument,
} from '../../scenario/index.js';
import { hormEnvFromScenario, hormOptionsFromScenario } from './fromScenario.js';
import { HormEnv } from './hormEnv.js';

/** An opened scenario as plain data: what may cross to a worker thread. */
export interface OpenedScenarioData {
  /** How messages and replay headers name it: the file as the user gave it, or a label. */
  readonly file: string;
  /** The text it was read from (a document's is its JSON), copied into run folders. */
  readonly text: string;
  /** The validated scenario, every default resolved. */
  readonly scenario: Scenario;
  /** Registry name of the env it builds, e.g. "horm:density-1" or "horm:vehicles-3-cavs". */
  readonly envName: string;
}

/** A scenario that passed the gate. */
export interface OpenedScenario extends OpenedScenarioData {
  /** A new env for it (one per rollout thread or episode). */
  readonly makeEnv: () => HormEnv;
}

/** The gate's verdict. */
export type ScenarioGateResult =
  | {
      readonly ok: true;
      readonly opened: OpenedScenario;
      /** The format version the text was written in (older ones are migrated on the way in). */
      readonly fromVersion: number;
    }
  | { readonly ok: false; readonly file: string; readonly issues: readonly ScenarioIssue[] };

/** Opens the text of a scenario file; `file` names it in the issues. Never throws. */
export function openScenario(text: string, file: string): ScenarioGateResult {
  return passGate(parseScenario(text, file), text);
}

/** Opens a scenario document (an object, as the editor holds it). Never throws. */
export function openScenarioDocument(document: Record<string, unknown>, file: string): ScenarioGateResult {
  const validated = validateScenarioDocument(document, file);
  return passGate(validated, validated.ok ? JSON.stringify(document) : '');
}

/** An env factory again for a scenario opened elsewhere (another thread): no second validation. */
export function reopenScenario(data: OpenedScenarioData): OpenedScenario {
  return { ...data, makeEnv: () => hormEnvFromScenario(data.scenario) };
}

/** The plain data of an opened scenario (drops the env factory). */
export function openedScenarioData(opened: OpenedScenarioData): OpenedScenarioData {
  return { file: opened.file, text: opened.text, scenario: opened.scenario, envName: opened.envName };
}

/** The simulator's check of a validated scenario, and the name of the env it builds. */
function passGate(validated: ParseScenarioResult, text: string): ScenarioGateResult {
  if (!validated.ok) return { ok: false, file: validated.file, issues: validated.issues };
  const scenario = validated.scenario;
  const options = hormOptionsFromScenario(scenario);
  if (!options.ok) return { ok: false, file: validated.file, issues: options.issues };
  const envName = new HormEnv(options.options.traffic, options.options.config).spec.name;
  const opened = reopenScenario({ file: validated.file, text, scenario, envName });
  return { ok: true, opened, fromVersion: validated.fromVersion };
}

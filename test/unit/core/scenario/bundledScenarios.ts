/** The scenario files bundled in scenarios/, read once for the scenario tests. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** One bundled file: its label (as the CLI would show it), text and parsed JSON. */
export interface BundledScenario {
  readonly file: string;
  readonly text: string;
  readonly json: Record<string, unknown>;
}

const SCENARIO_DIR = join(import.meta.dirname, '../../../../scenarios');

/** Every scenarios/*.json, sorted by name. */
export const BUNDLED: readonly BundledScenario[] = readdirSync(SCENARIO_DIR)
  .filter((name) => name.endsWith('.json'))
  .sort()
  .map((name) => {
    const text = readFileSync(join(SCENARIO_DIR, name), 'utf8');
    return { file: `scenarios/${name}`, text, json: JSON.parse(text) as Record<string, unknown> };
  });

/** A bundled file by name ("horm-easy.json"). */
export function bundled(name: string): BundledScenario {
  const found = BUNDLED.find((scenario) => scenario.file === `scenarios/${name}`);
  if (found === undefined) throw new Error(`no bundled scenario ${name}`);
  return found;
}

/** A scenario document that tests poke values into, wrong ones included. */
// biome-ignore lint/suspicious/noExplicitAny: the tests write arbitrary (also ill-typed) JSON into it
export type MutableDocument = Record<string, any>;

/** A deep copy of a bundled file's JSON, to mutate. */
export function copyOf(name: string): MutableDocument {
  return structuredClone(bundled(name).json) as MutableDocument;
}

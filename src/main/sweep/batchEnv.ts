/**
 * The one env a batch of runs trains on (`steer compare`'s --env/--scenario/--density, and each
 * scenario of a sweep file, src/main/sweep/sweepTargets.ts): a registry name (`--env matrix:penalty-100`) or a HORM
 * scenario file (`--scenario scenarios/horm-easy.json`), optionally at another traffic density
 * (`--density 2`, for a scenario whose traffic is a density rather than a vehicle list: the
 * scenario is rewritten with that density into the runs folder, and the runs train on that copy).
 * Everything is checked before any backend starts or any run is trained.
 */
import { mkdir } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { openScenario } from '../../core/envs/horm/index.js';
import { canonicalEnvName } from '../../core/envs/registry.js';
import { formatIssues } from '../../core/scenario/index.js';
import { CliError } from '../cli/errors.js';
import { writeFileAtomic } from '../io/atomicWrite.js';
import { readScenarioText } from '../io/scenarioFile.js';

/** The env of a comparison. */
export interface CompareEnv {
  /** Canonical env name (a run's config.json `env`). */
  readonly envName: string;
  /** How the card and charts name it: the registry name, or the scenario's name and file. */
  readonly label: string;
  /** A HORM scenario (held-out evaluation), or a registry env (one greedy episode). */
  readonly horm: boolean;
  /** For file names: "matrix-penalty-100", "horm-easy", "horm-easy-density-2". */
  readonly slug: string;
  /**
   * `steer train` arguments naming it. A scenario with --density names a copy that
   * `prepareCompareEnv` writes into the runs folder (`scenarioCopy`).
   */
  readonly envArgs: readonly string[];
  /** The rewritten scenario to write before training: path (as given to children) and text. */
  readonly scenarioCopy: { readonly path: string; readonly text: string } | null;
}

/** A registry env, by any of its names; an unknown one is a CliError naming --env. */
export function registryCompareEnv(name: string): CompareEnv {
  let envName: string;
  try {
    envName = canonicalEnvName(name);
  } catch (error) {
    throw new CliError(`--env ${name}: ${(error as Error).message}`);
  }
  return {
    envName,
    label: envName,
    horm: false,
    slug: envName.replace(/[^\w.-]+/g, '-'),
    envArgs: ['--env', name],
    scenarioCopy: null,
  };
}

/** The scenario's text with `traffic.density` replaced, or a CliError naming --density. */
export function withDensity(text: string, file: string, density: number): string {
  const document = JSON.parse(text) as { name?: unknown; traffic?: { density?: unknown } };
  if (document.traffic === undefined || document.traffic.density === undefined) {
    throw new CliError(
      `--density ${density}: ${file} lists its vehicles (traffic.vehicles), it has no traffic density to change`,
    );
  }
  document.traffic.density = density;
  if (typeof document.name === 'string') document.name = `${document.name} (density ${density})`;
  return `${JSON.stringify(document, null, 2)}\n`;
}

/**
 * A scenario file (as typed, and its path to read), at `density` if given; its problems are a
 * CliError of one line per issue (`file: path: message`). `runsDir` (resolved): where a rewritten
 * copy goes; the children are given resolved paths.
 */
export async function scenarioCompareEnv(
  file: string,
  path: string,
  density: number | undefined,
  runsDir: string,
): Promise<CompareEnv> {
  const read = await readScenarioText(path);
  if (!read.ok) throw new CliError(`--scenario ${file}: ${read.problem}`);
  const stem = basename(file).replace(/\.json$/i, '');
  let text = read.text;
  let copy: CompareEnv['scenarioCopy'] = null;
  if (density !== undefined) {
    const source = openScenario(text, file); // a broken file is reported as itself, not as the copy
    if (!source.ok) throw new CliError(formatIssues(file, source.issues).join('\n'));
    text = withDensity(text, file, density);
    copy = { path: join(runsDir, `${stem}-density-${density}.json`), text };
  }
  const gate = openScenario(text, copy === null ? file : `${file} with --density ${density}`);
  if (!gate.ok) throw new CliError(formatIssues(gate.file, gate.issues).join('\n'));
  const shownFile = copy === null ? file : `${file}, density ${density}`;
  return {
    envName: gate.opened.envName,
    label: `"${gate.opened.scenario.name}" (${shownFile})`,
    horm: true,
    slug: density === undefined ? stem : `${stem}-density-${density}`,
    envArgs: ['--scenario', copy?.path ?? path],
    scenarioCopy: copy,
  };
}

/** Writes the rewritten scenario, if any, into the runs folder (atomically). */
export async function prepareCompareEnv(env: CompareEnv): Promise<void> {
  if (env.scenarioCopy === null) return;
  await mkdir(dirname(env.scenarioCopy.path), { recursive: true });
  await writeFileAtomic(env.scenarioCopy.path, env.scenarioCopy.text);
}

/**
 * Env registry: builds a MultiAgentEnv from its registry name "<family>:<game>", e.g.
 * "matrix:penalty-100" or "nstep:coordination" (docs/spec/steer.md §c.1–§c.4), "horm:density-1" or
 * the continuous-action test game "cont:target", or an MA-MuJoCo env "mujoco:HalfCheetah-6x1"
 * (docs/envs/mujoco.md). Other env families join by adding an entry to `FAMILIES`.
 *
 * A family whose engine loads asynchronously (MuJoCo's wasm module) says so with `prepare`: callers
 * `await prepareEnv(name)` once per thread before `makeEnv(name)`.
 *
 * Families whose envs run in Python servers behind the bridge (`pettingzoo:…`, docs/envs/bridge.md)
 * are named here (names checked, canonical forms) but built by the Node side: `bridgedEnvRequest`
 * says what to ask the server for, and `makeEnv` refuses them.
 */

import {
  type BridgedEnvRequest,
  canonicalPettingZooGame,
  PETTINGZOO_ENV_PREFIX,
  parsePettingZooGame,
} from './bridged/bridgedEnvName.js';
import { CONTINUOUS_ENV_PREFIX, CONTINUOUS_GAMES, TargetGame } from './continuous/index.js';
import { HORM_ENV_PREFIX, HORM_GAMES, HormEnv } from './horm/index.js';
import {
  findMatrixGame,
  MATRIX_ENV_PREFIX,
  MATRIX_GAME_ALIASES,
  MatrixGame,
  matrixGameNames,
  NSTEP_ENV_PREFIX,
  NSTEP_SCENARIOS,
  NStepMatrixGame,
} from './matrix/index.js';
import {
  checkMujocoGame,
  loadMujoco,
  MUJOCO_ENV_PREFIX,
  MUJOCO_GAMES,
  makeMujocoEnv,
  parseMujocoGame,
} from './mujoco/index.js';
import type { MultiAgentEnv } from './types.js';

/** One env family: the games it knows and how to build one. */
interface EnvFamily {
  /** Canonical game names, in display order. */
  readonly games: () => readonly string[];
  /** Extra accepted game names → canonical name. */
  readonly aliases: Readonly<Record<string, string>>;
  /** True when `game` (canonical or alias) exists. */
  readonly has: (game: string) => boolean;
  readonly make: (game: string) => MultiAgentEnv;
  /** Loads what `make` needs (once per thread); absent when nothing has to be loaded. */
  readonly prepare?: () => Promise<unknown>;
  /**
   * The canonical game name, or a thrown Error saying what is wrong, without building the env (for
   * families whose envs need `prepare`); absent = build one and read its spec.
   */
  readonly canonical?: (game: string) => string;
  /** For a family whose envs run behind the bridge: what to ask the Python server for. */
  readonly bridged?: (game: string) => BridgedEnvRequest;
}

/** Tells why `makeEnv` cannot build an env that lives in a Python server. */
function bridgedOnly(prefix: string): (game: string) => never {
  return (game) => {
    throw new Error(
      `${prefix}:${game} runs in a Python server: it is opened through the bridge (steer train and ` +
        'the CLI do this; docs/envs/bridge.md), not built in this thread',
    );
  };
}

const FAMILIES: Readonly<Record<string, EnvFamily>> = {
  // Single-step games (docs/spec/steer.md §c.1, §c.2).
  [MATRIX_ENV_PREFIX]: {
    games: matrixGameNames,
    aliases: MATRIX_GAME_ALIASES,
    has: (game) => findMatrixGame(game) !== undefined,
    make: (game) => new MatrixGame(game),
  },
  // Multi-step games (docs/spec/steer.md §c.3).
  [NSTEP_ENV_PREFIX]: {
    games: () => Object.keys(NSTEP_SCENARIOS),
    aliases: {},
    has: (game) => Object.hasOwn(NSTEP_SCENARIOS, game),
    make: (game) => new NStepMatrixGame(game),
  },
  // Highway on-ramp merging, N = density + 1 agents (docs/spec/horm.md §5.1).
  [HORM_ENV_PREFIX]: {
    games: () => HORM_GAMES,
    aliases: {},
    has: (game) => HORM_GAMES.includes(game),
    make: (game) => new HormEnv(Number(game.slice('density-'.length)) as 1 | 2 | 3),
  },
  // A one-step continuous-action game for tests and quick checks (docs/algos/README.md).
  [CONTINUOUS_ENV_PREFIX]: {
    games: () => CONTINUOUS_GAMES,
    aliases: {},
    has: (game) => CONTINUOUS_GAMES.includes(game),
    make: () => new TargetGame(),
  },
  // MA-MuJoCo: gym's MuJoCo tasks split among agents (docs/envs/mujoco.md). Any partition and depth
  // of the name's shape is accepted here; `make` names what is wrong with a bad one.
  [MUJOCO_ENV_PREFIX]: {
    games: () => MUJOCO_GAMES,
    aliases: {},
    has: (game) => parseMujocoGame(game) !== null,
    make: makeMujocoEnv,
    prepare: loadMujoco,
    canonical: checkMujocoGame,
  },
  // Any PettingZoo ParallelEnv, in Python servers behind the bridge (docs/envs/bridge.md); the names
  // listed are the ones the tests train on. Any game is accepted here; `canonical` and `bridged`
  // name what is wrong with a bad one.
  [PETTINGZOO_ENV_PREFIX]: {
    games: () => ['mpe:simple_spread_v3', 'mpe:simple_spread_v3?continuous_actions=true'],
    aliases: {},
    has: (game) => game !== '',
    make: bridgedOnly(PETTINGZOO_ENV_PREFIX),
    canonical: canonicalPettingZooGame,
    bridged: parsePettingZooGame,
  },
};

/**
 * What the bridge's Python server must build for `name` when its family runs behind the bridge
 * (`pettingzoo:…`), else null. Throws as `makeEnv` for an unknown name.
 */
export function bridgedEnvRequest(name: string): BridgedEnvRequest | null {
  const { family, game } = familyOf(name);
  return family.bridged?.(game) ?? null;
}

/** Every canonical registry name, e.g. "matrix:penalty-100", "nstep:cooperation" (aliases excluded). */
export function listEnvNames(): string[] {
  return Object.entries(FAMILIES).flatMap(([prefix, family]) =>
    family.games().map((game) => `${prefix}:${game}`),
  );
}

/**
 * Builds the env named `name` ("<family>:<game>"). Aliases are accepted ("matrix:mixing",
 * "matrix:penalty-0"); the env's `spec.name` is then the canonical name. An unknown name throws an
 * Error that lists every valid name.
 */
export function makeEnv(name: string): MultiAgentEnv {
  const { family, game } = familyOf(name);
  return family.make(game);
}

/**
 * The canonical registry name of `name` ("matrix:penalty-0" → "matrix:penalty0"), checked as
 * `makeEnv` checks it (same errors), without loading any engine.
 */
export function canonicalEnvName(name: string): string {
  const { family, game } = familyOf(name);
  if (family.canonical !== undefined) return `${name.slice(0, name.indexOf(':'))}:${family.canonical(game)}`;
  const env = family.make(game);
  env.close?.();
  return env.spec.name;
}

/**
 * Loads what envs of `name`'s family need before `makeEnv(name)` can build one (the MuJoCo engine);
 * resolves at once for the other families. Throws as `makeEnv` for an unknown name.
 */
export async function prepareEnv(name: string): Promise<void> {
  await familyOf(name).family.prepare?.();
}

function familyOf(name: string): { family: EnvFamily; game: string } {
  const colon = name.indexOf(':');
  const prefix = colon < 0 ? '' : name.slice(0, colon);
  const game = colon < 0 ? '' : name.slice(colon + 1);
  const family = Object.hasOwn(FAMILIES, prefix) ? FAMILIES[prefix] : undefined;
  if (family === undefined || !family.has(game)) {
    const aliases = Object.entries(FAMILIES).flatMap(([p, f]) =>
      Object.entries(f.aliases).map(([alias, target]) => `${p}:${alias} → ${p}:${target}`),
    );
    throw new Error(
      `Unknown env "${name}": expected "<family>:<game>". Valid names: ${listEnvNames().join(', ')}. ` +
        `Aliases: ${aliases.join(', ')}`,
    );
  }
  return { family, game };
}

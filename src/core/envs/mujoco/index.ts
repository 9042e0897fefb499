/**
 * The MA-MuJoCo env family (docs/envs/mujoco.md): gym's v2 MuJoCo tasks split among agents as the
 * reference splits them, on the official MuJoCo WebAssembly build.
 */

import { buildAgentLayout } from './graph/index.js';
import { MujocoEnv } from './mujocoEnv.js';
import { canonicalMujocoGame, MUJOCO_ENV_PREFIX, parseMujocoGame } from './mujocoEnvName.js';
import { loadedMujoco } from './mujocoModule.js';
import { mujocoTask } from './tasks/index.js';
import type { AgentLayout, MujocoTask } from './types.js';

export { MujocoEnv, type MujocoEnvOptions, type MujocoSnapshot } from './mujocoEnv.js';
export {
  MUJOCO_ENV_PREFIX,
  MUJOCO_GAMES,
  MUJOCO_TASKS,
  type MujocoGame,
  parseMujocoGame,
} from './mujocoEnvName.js';
export {
  compileModel,
  loadedMujoco,
  loadMujoco,
  MujocoModelError,
  type MujocoModule,
} from './mujocoModule.js';

/** Steps per episode for every task (the reference's `episode_limit`). */
export const MUJOCO_EPISODE_LIMIT = 1000;

/** The task, partition and layout of "mujoco:<game>"; throws a clear Error naming what is wrong. */
function describeMujocoGame(game: string): {
  readonly name: string;
  readonly task: MujocoTask;
  readonly layout: AgentLayout;
} {
  const name = `${MUJOCO_ENV_PREFIX}:${game}`;
  const parsed = parseMujocoGame(game);
  if (parsed === null) {
    throw new Error(
      `${name}: expected mujoco:<task>-<partition>[-k<depth>|-full], e.g. mujoco:HalfCheetah-6x1`,
    );
  }
  try {
    return {
      name: `${MUJOCO_ENV_PREFIX}:${canonicalMujocoGame(parsed)}`,
      task: mujocoTask(parsed.scenario, parsed.agentConf),
      layout: buildAgentLayout(parsed.scenario, parsed.agentConf, parsed.agentObsk),
    };
  } catch (error) {
    throw new Error(`${name}: ${(error as Error).message}`);
  }
}

/**
 * The canonical form of `game` ("HalfCheetah-6x1-k1" → "HalfCheetah-6x1") when it names a buildable
 * env (no engine needed); throws as `makeMujocoEnv` otherwise.
 */
export function checkMujocoGame(game: string): string {
  return describeMujocoGame(game).name.slice(MUJOCO_ENV_PREFIX.length + 1);
}

/**
 * Builds "mujoco:<game>" on the loaded engine (`loadMujoco()` first). Throws a clear Error for an
 * unknown task or partition, a depth out of range, or a model MuJoCo rejects.
 */
export function makeMujocoEnv(game: string): MujocoEnv {
  const { name, task, layout } = describeMujocoGame(game);
  return new MujocoEnv(loadedMujoco(), task, layout, {
    name,
    episodeLimit: MUJOCO_EPISODE_LIMIT,
    contactForces: 'zero',
  });
}

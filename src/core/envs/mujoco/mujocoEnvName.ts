/**
 * Registry names of the MA-MuJoCo envs (docs/envs/mujoco.md "Names"):
 *
 *   mujoco:<task>-<partition>[-k<depth>|-full]
 *
 * e.g. "mujoco:HalfCheetah-6x1" (k = 1, the reference's preset), "mujoco:Ant-4x2-k2",
 * "mujoco:manyagent_swimmer-10x2", "mujoco:Hopper-3x1-full". Without a suffix k is 1. As in the
 * reference's training script, k = 2 selects the "state" variant and k = 0 or 1 the "local" one.
 */

/** Registry prefix of the family, as in "mujoco:HalfCheetah-6x1". */
export const MUJOCO_ENV_PREFIX = 'mujoco';

/** Our task names → the reference's scenario names. */
export const MUJOCO_TASKS: Readonly<Record<string, string>> = {
  HalfCheetah: 'HalfCheetah-v2',
  Ant: 'Ant-v2',
  Hopper: 'Hopper-v2',
  Walker2d: 'Walker2d-v2',
  Swimmer: 'Swimmer-v2',
  manyagent_swimmer: 'manyagent_swimmer',
  manyagent_ant: 'manyagent_ant',
};

/** The names listed by `steer envs`: every partition the issue and the reference name, k = 1. */
export const MUJOCO_GAMES: readonly string[] = [
  'HalfCheetah-2x3',
  'HalfCheetah-6x1',
  'HalfCheetah-3x2-k2',
  'Ant-2x4',
  'Ant-2x4d',
  'Ant-4x2',
  'Ant-8x1',
  'Hopper-3x1',
  'Walker2d-2x3',
  'Walker2d-6x1',
  'Walker2d-3x2-k2',
  'Swimmer-2x1',
  'manyagent_swimmer-4x2',
  'manyagent_swimmer-10x2',
  'manyagent_ant-2x3',
  'manyagent_ant-3x1',
];

/** A parsed game name. */
export interface MujocoGame {
  /** The reference's scenario, e.g. "HalfCheetah-v2". */
  readonly scenario: string;
  /** Partition label, e.g. "6x1". */
  readonly agentConf: string;
  /** Neighbourhood depth, or null for full observability. */
  readonly agentObsk: number | null;
}

const GAME = /^([A-Za-z0-9_]+?)-(\d+x\d+d?)(?:-(k\d+|full))?$/;

/** The canonical game name of a parsed one: k = 1 written as no suffix ("HalfCheetah-6x1-k1" → "HalfCheetah-6x1"). */
export function canonicalMujocoGame(game: MujocoGame): string {
  const task = Object.keys(MUJOCO_TASKS).find((name) => MUJOCO_TASKS[name] === game.scenario)!;
  const depth = game.agentObsk === 1 ? '' : game.agentObsk === null ? '-full' : `-k${game.agentObsk}`;
  return `${task}-${game.agentConf}${depth}`;
}

/** Parses "<task>-<partition>[-k<depth>|-full]"; null when the text has another shape or task. */
export function parseMujocoGame(game: string): MujocoGame | null {
  const match = GAME.exec(game);
  if (match === null) return null;
  const [, task, agentConf, depth] = match;
  const scenario = Object.hasOwn(MUJOCO_TASKS, task!) ? MUJOCO_TASKS[task!] : undefined;
  if (scenario === undefined) return null;
  const agentObsk = depth === undefined ? 1 : depth === 'full' ? null : Number(depth.slice(1));
  return { scenario, agentConf: agentConf!, agentObsk };
}

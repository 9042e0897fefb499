/**
 * Which runs' evaluations record replays: scenario (HORM) runs, and MA-MuJoCo runs
 * (episodesReplays.ts). A file of its own so that the job service asks without loading the
 * evaluation code.
 */
import { MUJOCO_ENV_PREFIX } from '../../core/envs/mujoco/index.js';

/** Whether seeded-episode evaluations of runs on `env` can be recorded (MA-MuJoCo envs). */
export function recordsEpisodes(env: string): boolean {
  return env.startsWith(`${MUJOCO_ENV_PREFIX}:`);
}

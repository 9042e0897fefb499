/**
 * Greedy evaluation of a run evaluated over seeded episodes (MA-MuJoCo, docs/envs/mujoco.md) that
 * can record each episode as a MuJoCo replay (docs/replays.md "MuJoCo replays"): the env the
 * evaluation plays is wrapped in a MujocoRecordingEnv, so the evaluation itself is unchanged. Shared
 * by `steer eval --record` and the app's evaluations (jobs/jobWorker.ts).
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { MujocoEnv } from '../../core/envs/mujoco/index.js';
import { MujocoRecordingEnv } from '../../core/replay/index.js';
import { replayFileName } from '../io/replayFile.js';
import {
  EPISODES_WAVE,
  type EpisodesEvaluation,
  type EpisodesSettings,
  evaluateEpisodes,
} from '../train/episodesEvaluate.js';
import { withRunPolicy } from '../train/evaluateRun.js';
import { runModel } from '../train/replayObserver.js';
import { type RunConfig, RunDirError, runPaths } from '../train/runDir.js';

const VERSION = (createRequire(import.meta.url)('../../../package.json') as { version: string }).version;

/** Where the replays go and how their headers name the run. */
export interface EpisodesRecording {
  /** Folder the files are meant for (their paths are joined to it; the caller writes them). */
  readonly dir: string;
  /** The run folder as the user names it ("runs/demo"), for the header's model. */
  readonly runLabel: string;
}

/** One recorded episode, not yet written. */
export interface RecordedEpisode {
  /** `dir` joined with the file name (episode-<i>-seed-<seed>.replay). */
  readonly file: string;
  /** The file name alone. */
  readonly name: string;
  readonly bytes: Uint8Array;
}

/** An episodes run's evaluation and the replays recorded. */
export interface EpisodesRunEvaluation {
  readonly run: RunConfig;
  readonly update: number;
  readonly evaluation: EpisodesEvaluation;
  /** In episode order; empty without `record`. */
  readonly replays: RecordedEpisode[];
}

/**
 * Plays `settings.episodes` greedy episodes of the policy in `<runDir>/checkpoints/latest`, up to
 * EPISODES_WAVE side by side; with `record`, each is recorded (replays in episode order). Throws
 * RunDirError for a run whose env cannot be recorded.
 */
export async function evaluateEpisodesRun(
  runDir: string,
  settings: EpisodesSettings,
  record: EpisodesRecording | null,
): Promise<EpisodesRunEvaluation> {
  return withRunPolicy(runDir, ({ run, update, policy, env, makeEnv }) => {
    const more = Array.from({ length: Math.min(settings.episodes, EPISODES_WAVE) - 1 }, makeEnv);
    try {
      const envs = [env, ...more];
      if (record === null) {
        return { run, update, evaluation: evaluateEpisodes(policy, envs, settings), replays: [] };
      }
      const replays: RecordedEpisode[] = [];
      const model = runModel(run, {
        label: record.runLabel,
        checkpoint: runPaths(record.runLabel).checkpoint,
        update,
      });
      const recording = envs.map((played) => {
        if (!(played instanceof MujocoEnv)) {
          throw new RunDirError(
            `${runDir}: episodes of ${run.env} cannot be recorded (only HORM and MuJoCo envs)`,
          );
        }
        return new MujocoRecordingEnv(played, {
          info: (seed) => ({
            seed,
            model,
            createdAt: new Date().toISOString(),
            generator: `steer-studio ${VERSION}`,
          }),
          onReplay: (seed, bytes) => {
            const name = replayFileName(seed - settings.seed, seed, settings.episodes);
            replays.push({ file: join(record.dir, name), name, bytes });
          },
        });
      });
      const evaluation = evaluateEpisodes(policy, recording, settings);
      for (const played of recording) played.finishEpisode(); // an episode cut at the step limit
      replays.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      return { run, update, evaluation, replays };
    } finally {
      for (const extra of more) extra.close?.();
    }
  });
}

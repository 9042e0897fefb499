/**
 * The Training tab's jobs on an MA-MuJoCo env (src/main/jobs): a tiny HalfCheetah 6x1 job trains in
 * a worker to its budget, and `runs.evaluate` plays seeded episodes (mean, max and min return) and
 * records each as a MuJoCo replay under the run folder that the player's reader opens, its return
 * the evaluation's.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeMujocoReplay } from '../../../../src/core/replay/index.js';
import { JobService } from '../../../../src/main/jobs/index.js';
import { JobSpecSchema } from '../../../../src/shared/api/jobMethods.js';

let root: string;
let service: JobService;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'steer-jobs-mujoco-'));
  service = new JobService({ projectRoot: root, now: () => new Date('2026-12-08T01:02:03Z') });
});

afterAll(async () => {
  await service?.close();
  await rm(root, { recursive: true, force: true });
});

describe('JobService on MA-MuJoCo', () => {
  it('trains a tiny HalfCheetah job, then evaluates it with a recorded MuJoCo replay per episode', async () => {
    const started = await service.start(
      JobSpecSchema.parse({
        env: 'mujoco:HalfCheetah-6x1',
        backend: 'wasm',
        updates: 1,
        runId: 'cheetah',
        config: { numEnvs: 2, episodeLength: 10, numMinibatches: 1, ppoEpochs: 1 },
      }),
    );
    expect(started).toMatchObject({ runId: 'cheetah', env: 'mujoco:HalfCheetah-6x1' });
    const job = (await service.whenEnded('cheetah'))!;
    expect(job).toMatchObject({ status: 'completed', update: 1, error: null });

    const result = await service.evaluate('cheetah', { episodes: 2, record: true, backend: 'wasm' });
    expect(result).toMatchObject({ env: 'mujoco:HalfCheetah-6x1', update: 1, episodes: 2 });
    expect(Object.keys(result.metrics)).toEqual([
      'meanReturn',
      'maxReturn',
      'minReturn',
      'meanEpisodeLength',
    ]);
    expect(result.metrics.meanEpisodeLength).toBe(1000);
    expect(result.replays).toEqual([
      'runs/cheetah/replays/update-1/eval-1/episode-0-seed-10000.replay',
      'runs/cheetah/replays/update-1/eval-1/episode-1-seed-10001.replay',
    ]);
    const returns = await Promise.all(
      result.replays.map(async (path) => {
        const replay = decodeMujocoReplay(await readFile(join(root, ...path.split('/'))));
        expect(replay.header.model).toMatchObject({ name: 'steer', run: 'runs/cheetah', update: 1 });
        expect(replay.frames).toHaveLength(1001);
        return replay.footer.summary.return!;
      }),
    );
    expect(Math.max(...returns)).toBeCloseTo(result.metrics.maxReturn!, 6);
    expect(Math.min(...returns)).toBeCloseTo(result.metrics.minReturn!, 6);

    const unrecorded = await service.evaluate('cheetah', { episodes: 1, record: false, backend: 'wasm' });
    expect(unrecorded.replays).toEqual([]);
  }, 180_000);
});

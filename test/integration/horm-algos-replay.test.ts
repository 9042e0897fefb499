/**
 * A HORM run of every algorithm but STEER (whose path horm-train-eval.test.ts covers) is evaluated,
 * recorded and played like a STEER run: `steer eval --record` writes a replay whose header names the
 * run's algorithm and which the stream reader the player uses (ReplayReader) reads to its last frame
 * and footer, and the editor's Run with a model (src/main/sim/editorSimWorker.ts, a worker thread)
 * loads the run's checkpoint and plays it. What the player's panel makes of the header is
 * test/unit/renderer/player/panelText.test.ts's. In process on the cpu backend, one tiny update per
 * run: nothing here is about learning.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALGORITHM_NAMES } from '../../src/core/algos/registry.js';
import { decodeReplay, ReplayReader } from '../../src/core/replay/index.js';
import { openEpisodeRequest, runEditorEpisode } from '../../src/main/sim/editorSim.js';
import { steer } from '../unit/main/cli/runCliInProcess.js';

const ROOT = join(import.meta.dirname, '../..');
const EASY = join(ROOT, 'scenarios/horm-easy.json');
/** Every algorithm of the registry but STEER: the baselines and the ablations. */
const OTHERS = ALGORITHM_NAMES.filter((name) => name !== 'steer');

/** One update of 2 envs × 10 steps, a 1-episode evaluation after it. */
const TINY = [
  '--backend',
  'cpu',
  '--updates',
  '1',
  '--set',
  'numEnvs=2',
  '--set',
  'episodeLength=10',
  '--eval-episodes',
  '1',
  '--quiet',
];

let cwd: string;
beforeAll(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'steer-horm-algos-'));
});
afterAll(async () => {
  await rm(cwd, { recursive: true, force: true });
});

describe('replays of HORM runs of every algorithm', () => {
  it('lists the baselines among the algorithms checked', () => {
    expect(OTHERS).toEqual(expect.arrayContaining(['mappo', 'happo', 'mat', 'step']));
  });

  it.each(OTHERS)(
    '%s: eval --record names it in the replay header, which reads to the end; the editor runs the checkpoint',
    async (algo) => {
      const run = `runs/${algo}`;
      const train = await steer(['train', '--scenario', EASY, '--algo', algo, '--out', run, ...TINY], cwd);
      expect(train.code, train.stderr).toBe(0);
      expect(train.stdout).toMatch(new RegExp(`^algo +${algo}$`, 'm'));

      const record = join(cwd, 'replays', algo);
      const ev = await steer(
        ['eval', run, '--backend', 'cpu', '--episodes', '1', '--record', record, '--json'],
        cwd,
      );
      expect(ev.code, ev.stderr).toBe(0);
      expect(JSON.parse(ev.stdout)).toMatchObject({ algo, env: 'horm:density-1', episodes: 1 });
      const files = await readdir(record);
      expect(files).toEqual(['episode-0-seed-10000.replay']);
      const bytes = new Uint8Array(await readFile(join(record, files[0]!)));
      const reader = ReplayReader.open(bytes);
      expect(reader.header.model).toEqual({
        name: algo,
        run,
        checkpoint: join(run, 'checkpoints', 'latest'),
        update: 1,
        deterministic: true,
      });
      // every frame reads, the last one included, and the footer sums them up
      expect(reader.frameCount).toBeGreaterThan(1);
      const last = reader.frame(reader.frameCount - 1);
      expect(last.vehicleCount).toBeGreaterThan(0);
      expect(reader.footer.summary.steps).toBe(reader.frameCount - 1);

      // the editor's Run with this run's policy: its checkpoint loads in the worker and plays
      const scenario = JSON.parse(await readFile(EASY, 'utf8')) as Record<string, unknown>;
      const request = openEpisodeRequest(
        { scenario, model: { kind: 'run', path: run }, seed: 3, record: false },
        'sim.run',
      );
      const episode = await runEditorEpisode(cwd, request);
      expect(episode.steps).toBeGreaterThan(0);
      expect(decodeReplay(episode.bytes).header.model).toMatchObject({ name: algo, run, update: 1 });
    },
    120_000,
  );
});

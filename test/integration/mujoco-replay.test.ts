/**
 * MuJoCo replays through the CLI (docs/replays.md "MuJoCo replays"): a tiny HalfCheetah run,
 * `steer eval --record` writes one replay per episode whose return is the evaluation's, and
 * `steer replay info` (text and JSON) and `steer replay export` read it back.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { steer } from '../unit/main/cli/runCliInProcess.js';

let cwd: string;
beforeAll(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'steer-mujoco-replay-'));
});
afterAll(async () => {
  await rm(cwd, { recursive: true, force: true });
});

describe('MuJoCo replays on the command line', () => {
  it('eval --record writes a replay per episode that replay info and export read', async () => {
    const trained = await steer(
      [
        'train',
        '--env',
        'mujoco:HalfCheetah-6x1',
        '--updates',
        '1',
        ...[
          '--set',
          'numEnvs=2',
          '--set',
          'episodeLength=10',
          '--set',
          'numMinibatches=1',
          '--set',
          'ppoEpochs=1',
        ],
        '--eval-episodes',
        '1',
        '--out',
        'runs/cheetah',
        '--backend',
        'wasm',
      ],
      cwd,
    );
    expect(trained.code, trained.stderr).toBe(0);

    const evaluated = await steer(
      [
        'eval',
        'runs/cheetah',
        '--episodes',
        '2',
        '--seed',
        '30',
        '--record',
        'replays',
        '--json',
        '--backend',
        'wasm',
      ],
      cwd,
    );
    expect(evaluated.code, evaluated.stderr).toBe(0);
    const report = JSON.parse(evaluated.stdout) as { returns: number[]; record: string };
    expect(report.record).toBe('replays');
    expect((await readdir(join(cwd, 'replays'))).sort()).toEqual([
      'episode-0-seed-30.replay',
      'episode-1-seed-31.replay',
    ]);

    const info = await steer(['replay', 'info', 'replays/episode-1-seed-31.replay', '--json'], cwd);
    expect(info.code, info.stderr).toBe(0);
    const summary = JSON.parse(info.stdout) as {
      kind: string;
      formatVersion: number;
      frames: number;
      fileBytes: number;
      header: {
        env: string;
        seed: number;
        model: { name: string; run: string; update: number };
        agents: unknown[];
      };
      summary: { steps: number; return: number };
    };
    expect(summary).toMatchObject({
      kind: 'mujoco',
      formatVersion: 2,
      frames: 1001,
      header: {
        env: 'mujoco:HalfCheetah-6x1',
        seed: 31,
        model: { name: 'steer', run: 'runs/cheetah', update: 1 },
      },
      summary: { steps: 1000 },
    });
    expect(summary.header.agents).toHaveLength(6);
    // the replay's return is the evaluation's (the reward is shared, so the mean over agents is it)
    expect(summary.summary.return).toBeCloseTo(report.returns[1]!, 6);
    expect(summary.fileBytes).toBe((await readFile(join(cwd, 'replays/episode-1-seed-31.replay'))).length);

    const text = await steer(['replay', 'info', 'replays/episode-0-seed-30.replay'], cwd);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(
      /^file +replays\/episode-0-seed-30\.replay: [\d,]+ bytes \([\d.]+ KiB\) on disk, format version 2$/m,
    );
    expect(text.stdout).toMatch(
      /^env +mujoco:HalfCheetah-6x1 \(HalfCheetah-v2, partition 6x1, k 1\), seed 30$/m,
    );
    expect(text.stdout).toMatch(/^steps +1000 steps, 1001 frames, 50 s \(0\.05 s per step, at most 1000\)$/m);
    expect(text.stdout).toMatch(
      // the partition's joints, and the joint each agent's action drives (docs/spec/bridges.md §1.9)
      /^agents +6, leader first: 0 \(bfoot, drives bthigh\) → 1 \(bshin\) → 2 \(bthigh, drives bfoot\) → 3 \(ffoot, drives fthigh\) → 4 \(fshin\) → 5 \(fthigh, drives ffoot\)$/m,
    );

    const exported = await steer(['replay', 'export', 'replays/episode-0-seed-30.replay'], cwd);
    expect(exported.code, exported.stderr).toBe(0);
    const json = JSON.parse(exported.stdout) as {
      frames: {
        index: number;
        reward: number | null;
        bodies: { name: string }[];
        actions: (number[] | null)[];
      }[];
    };
    expect(json.frames).toHaveLength(1001);
    expect(json.frames[0]!.bodies.map((b) => b.name)).toContain('torso');
    expect(json.frames[0]!.actions).toHaveLength(6);
    expect(json.frames[1000]!).toMatchObject({
      index: 1000,
      reward: null,
      actions: [null, null, null, null, null, null],
    });
  }, 240_000);
});

/**
 * PettingZoo envs through the bridge, end to end with the project's venv (.venv-bridge, set up by
 * test/setup/bridgeVenv.ts as `npm run bridge:setup` does): `steer train` on real MPE
 * simple_spread with discrete and with continuous actions, `steer eval`, and a Python server killed
 * in the middle of training: the run stops within seconds with one error naming the env, keeps a
 * checkpoint, leaves no Python process, and `--resume` continues it with no gap in the metrics.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBridgeReady } from '../../../src/main/bridge/bridgedRunEnv.js';
import { steer } from '../../unit/main/cli/runCliInProcess.js';
import { alive, childrenOf, logged, saved, spawnSteer, upTo, waitFor } from '../queueTestKit.js';

const SPREAD = 'pettingzoo:mpe:simple_spread_v3';
/** Updates of 2 envs × one 25-step episode, one epoch. */
const TINY = ['--set', 'numEnvs=2', '--set', 'ppoEpochs=1', '--eval-episodes', '1', '--backend', 'wasm'];

let cwd: string;
const groups: number[] = [];
beforeAll(async () => {
  assertBridgeReady(SPREAD); // the set-up's failure, if any, as this file's error
  cwd = await mkdtemp(join(tmpdir(), 'steer-bridge-train-'));
});
afterAll(async () => {
  for (const pid of groups) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // ended
    }
  }
  await rm(cwd, { recursive: true, force: true });
});

describe('PettingZoo MPE through the bridge', () => {
  it.each([
    ['discrete', SPREAD, 'steer'],
    ['continuous', `${SPREAD}?continuous_actions=true`, 'mappo'],
  ])('trains and evaluates simple_spread with %s actions (%s, %s)', async (_kind, env, algo) => {
    const out = `runs/${algo}`;
    const trained = await steer(
      ['train', '--env', env, '--algo', algo, '--updates', '2', ...TINY, '--out', out, '--json'],
      cwd,
    );
    expect(trained.code, trained.stderr).toBe(0);
    const summary = JSON.parse(trained.stdout) as {
      env: string;
      updates: number;
      episodes: { episodes: number; meanLength: number };
    };
    expect(summary).toMatchObject({ env, updates: 2 });
    expect(summary.episodes).toMatchObject({ episodes: 1, meanLength: 25 });
    const config = JSON.parse(await readFile(join(cwd, out, 'config.json'), 'utf8')) as {
      env: string;
      train: { episodeLength: number };
    };
    expect(config.env).toBe(env);
    expect(config.train.episodeLength).toBe(25); // the PettingZoo preset: one MPE episode per rollout
    const records = (await readFile(join(cwd, out, 'metrics.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, number>);
    expect(records.map((r) => r.update)).toEqual([1, 2]);
    // 2 envs × 25 steps: one episode each per update, 3 agents each
    expect(records[0]!['train/episodes']).toBe(2);
    expect(records[0]!['train/episodeReturn/agent2']).toBeLessThan(0);
    expect(Number.isFinite(records[1]!['eval/meanReturn'])).toBe(true);
    const evaluated = await steer(['eval', out, '--episodes', '2', '--json'], cwd);
    expect(evaluated.code, evaluated.stderr).toBe(0);
    expect(JSON.parse(evaluated.stdout)).toMatchObject({ env, episodes: 2, meanLength: 25 });
  });

  it('a server killed mid-run stops training with a checkpoint and one error naming the env; --resume continues', async () => {
    const runDir = join(cwd, 'runs/killed');
    const run = spawnSteer(
      [
        'train',
        '--env',
        SPREAD,
        '--updates',
        '40',
        ...TINY,
        '--set',
        'numEnvs=4',
        '--checkpoint-every',
        '100',
        '--out',
        runDir,
      ],
      { cwd, env: {}, groups },
    );
    await waitFor('two updates', () => logged(runDir).length >= 2, 60_000);
    const servers = childrenOf(run.pid, 'steer_bridge.server');
    expect(servers.length).toBeGreaterThanOrEqual(1);
    const victim = servers[Math.floor(Math.random() * servers.length)]!;
    const killedAt = performance.now();
    process.kill(victim, 'SIGKILL');
    const code = await run.exit;
    expect(performance.now() - killedAt).toBeLessThan(10_000);
    expect(code).toBe(1);
    const stderr = run.stderr();
    expect(stderr).toMatch(
      new RegExp(
        `training stopped at update \\d+ \\(checkpoint saved; 'steer train --resume [^']+' continues it\\): ${SPREAD}: python server \\d \\(pid ${victim}\\)`,
      ),
    );
    expect(servers.filter(alive)).toEqual([]);
    const stoppedAt = Number(/training stopped at update (\d+)/.exec(stderr)![1]);
    expect(logged(runDir)).toEqual(upTo(stoppedAt));
    expect(saved(runDir)).toBe(stoppedAt);

    const resumed = await steer(['train', '--resume', runDir, '--updates', '40'].slice(0, 3), cwd);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(logged(runDir)).toEqual(upTo(40));
  });
});

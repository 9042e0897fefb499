/**
 * `steer sweep` end to end with child processes on a tiny budget: a sweep file of two algorithms on
 * matrix:penalty0 planned, run and shown; a rerun that skips every finished run (no child, no file
 * of a run touched); a file whose budget differs refused per run, not mixed in; a run interrupted
 * midway (as one Ctrl-C does: the children save and stop) resumed by the same command; and a bad
 * file refused, one located line per problem, before anything is written.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { steer } from '../unit/main/cli/runCliInProcess.js';

let cwd: string;
beforeAll(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'steer-cli-sweep-'));
});
afterAll(async () => {
  await rm(cwd, { recursive: true, force: true });
});

const TINY = 'overrides: {numEnvs: 1, episodeLength: 4, ppoEpochs: 1}\n';

/** The updates a run folder's metrics.jsonl logged, and the one its checkpoint holds. */
async function loggedAndSaved(runDir: string): Promise<{ logged: number[]; saved: number }> {
  const lines = (await readFile(join(runDir, 'metrics.jsonl'), 'utf8')).trim().split('\n');
  const manifest = JSON.parse(
    await readFile(join(runDir, 'checkpoints', 'latest', 'checkpoint.json'), 'utf8'),
  );
  return {
    logged: lines.map((line) => JSON.parse(line).update as number),
    saved: manifest.meta.update as number,
  };
}

/** Waits (polling) until `ready()` holds; fails after `ms`. */
async function waitFor(what: string, ready: () => boolean, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!ready()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('steer sweep', () => {
  it('plans, runs and shows a sweep; a rerun skips finished runs; another budget is refused per run', async () => {
    await writeFile(
      join(cwd, 'tiny.yaml'),
      `name: tiny\nalgos: [steer, mappo]\nenvs: [matrix:penalty0]\nseeds: 1\nupdates: 3\n${TINY}runsDir: runs/s\n`,
    );
    const plan = await steer(['sweep', 'plan', 'tiny.yaml', '--json'], cwd);
    expect(plan.code, plan.stderr).toBe(0);
    const planned = plan.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    const ids = planned.map((run) => run.id as string);
    expect(ids).toHaveLength(2);
    expect(ids[0]).toMatch(/^steer\/matrix-penalty0\/set-[0-9a-f]{8}\/seed-1$/);
    expect(ids[1]).toBe(ids[0]!.replace('steer/', 'mappo/'));

    const run = await steer(['sweep', 'run', 'tiny.yaml', '--backend', 'cpu'], cwd);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain('sweep tiny: 2 runs, local pool of 2 processes, in runs/s');
    expect(run.stderr).toContain('sweep 2/2 (100%) | trained 2 | resumed 0 | skipped 0');
    for (const id of ids) expect(run.stdout).toMatch(new RegExp(`^${id} +done +3/3 +\\[#{20}\\] 100%$`, 'm'));
    expect(run.stdout).toContain('2 runs: 2 done, 0 running, 0 failed, 0 queued');
    const status = JSON.parse(await readFile(join(cwd, 'runs', 's', 'sweep-status.json'), 'utf8'));
    expect(status.runner).toBeNull();
    for (const id of ids)
      expect(status.runs[id]).toMatchObject({ state: 'done', update: 3, action: 'trained' });
    const config = JSON.parse(await readFile(join(cwd, 'runs', 's', ids[1]!, 'config.json'), 'utf8'));
    expect(config).toMatchObject({
      env: 'matrix:penalty0',
      totalUpdates: 3,
      train: { algo: 'mappo', seed: 1, ppoEpochs: 1 },
    });

    const shown = await steer(['sweep', 'status', 'tiny.yaml'], cwd);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain('sweep tiny (tiny.yaml), runs in runs/s; not running');
    expect(shown.stdout).toContain('2 runs: 2 done, 0 running, 0 failed, 0 queued');

    // a rerun starts no child and touches no file of a run
    const metrics = join(cwd, 'runs', 's', ids[0]!, 'metrics.jsonl');
    const before = await stat(metrics);
    const again = await steer(['sweep', 'run', 'tiny.yaml', '--backend', 'cpu'], cwd);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toContain('sweep 2/2 (100%) | trained 0 | resumed 0 | skipped 2');
    expect((await stat(metrics)).mtimeMs).toBe(before.mtimeMs);

    // the same runs with another budget: refused per run, naming the field, and recorded as failed
    await writeFile(
      join(cwd, 'more.yaml'),
      (await readFile(join(cwd, 'tiny.yaml'), 'utf8')).replace('updates: 3', 'updates: 4'),
    );
    const other = await steer(['sweep', 'run', 'more.yaml', '--backend', 'cpu'], cwd);
    expect(other.code).toBe(1);
    const dir = join(cwd, 'runs', 's', ids[0]!);
    expect(other.stderr).toContain(
      `failed: ${ids[0]}: ${dir} holds a run with updates 3, not 4; move it away, or give the sweep file another name or runsDir`,
    );
    const failed = await steer(['sweep', 'status', 'more.yaml', '--json'], cwd);
    expect(JSON.parse(failed.stdout)).toMatchObject({
      counts: { done: 0, running: 0, failed: 2, queued: 0 },
    });
    expect((await stat(metrics)).mtimeMs).toBe(before.mtimeMs);
  });

  it('an interrupted run saves its checkpoint, shows as queued, and the same command resumes it', async () => {
    await writeFile(
      join(cwd, 'long.yaml'),
      `name: long\nalgos: [steer]\nenvs: [matrix:penalty0]\nseeds: 1\nupdates: 60\ncheckpointEvery: 2\n${TINY}runsDir: runs/l\n`,
    );
    const plan = await steer(['sweep', 'plan', 'long.yaml', '--json'], cwd);
    const runDir = join(cwd, 'runs', 'l', JSON.parse(plan.stdout).id as string);
    const controller = new AbortController();
    const stopped = steer(['sweep', 'run', 'long.yaml', '--backend', 'cpu'], cwd, {
      signal: controller.signal,
    });
    await waitFor('a checkpoint', () => existsSync(join(runDir, 'checkpoints', 'latest', 'checkpoint.json')));
    controller.abort();
    const first = await stopped;
    expect(first.code, first.stderr).toBe(130);
    expect(first.stderr).toContain('interrupted after 0/1 runs; continue with the same command');
    const { logged, saved } = await loggedAndSaved(runDir);
    expect(saved).toBeLessThan(60);
    expect(logged).toEqual(Array.from({ length: saved }, (_, i) => i + 1)); // nothing logged is lost
    const shown = await steer(['sweep', 'status', 'long.yaml'], cwd);
    expect(shown.stdout).toMatch(new RegExp(` queued +${saved}/60 +\\[[#-]{20}\\] +\\d+%$`, 'm'));

    const resumed = await steer(['sweep', 'run', 'long.yaml', '--backend', 'cpu'], cwd);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain('sweep 1/1 (100%) | trained 0 | resumed 1 | skipped 0');
    const done = await loggedAndSaved(runDir);
    expect(done.logged).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
    expect(done.saved).toBe(60);
  });

  it('refuses a bad file with one located line per problem, before anything is written', async () => {
    await writeFile(
      join(cwd, 'bad.json'),
      JSON.stringify({
        name: 'bad',
        algos: ['steer', 'nope'],
        envs: ['matrix:penalty0'],
        seeds: 1,
        updates: 3,
        overrides: { ppoEpoch: 2 },
      }),
    );
    const run = await steer(['sweep', 'run', 'bad.json', '--backend', 'cpu'], cwd);
    expect(run.code).toBe(1);
    const lines = run.stderr.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^bad\.json: algos\[1\]: unknown algorithm "nope"; the algorithms are steer, /);
    expect(lines[1]).toMatch(
      /^bad\.json: overrides\.ppoEpoch: unknown training config key "ppoEpoch"; the keys are /,
    );
    expect(existsSync(join(cwd, 'runs', 'sweeps', 'bad'))).toBe(false);
  });
});

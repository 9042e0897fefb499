import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  expandSweep,
  formatStatusTable,
  parseSweep,
  progressBar,
  readSweepStatus,
  runnerAlive,
  type SweepRun,
  type SweepRunner,
  type SweepStatus,
  SweepStatusRecorder,
  SweepStatusSchema,
  sweepStatusPath,
  sweepStatusRows,
} from '../../../../src/main/sweep/index.js';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'steer-sweep-status-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

function runsOf(text: string): SweepRun[] {
  const result = parseSweep(text, 'yaml');
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return expandSweep(result.sweep);
}

const RUNS = runsOf('name: s\nalgos: [steer, mappo]\nenvs: [matrix:penalty0]\nseeds: 1\nupdates: 3\n');
const [STEER, MAPPO] = RUNS as [SweepRun, SweepRun];
const ME: SweepRunner = {
  pid: process.pid,
  host: hostname(),
  executor: 'local pool of 2 processes',
  startedAt: '2026-12-07T10:00:00.000Z',
};
/** A pid no process has any more. */
const GONE = spawnSync(process.execPath, ['-e', '']).pid!;
const clock = () => new Date('2026-12-07T10:00:01.000Z');

describe('SweepStatusRecorder', () => {
  it('writes every run queued, then each change, atomically; finish clears the runner', async () => {
    const dir = join(root, 'one');
    const path = sweepStatusPath(dir);
    const recorder = new SweepStatusRecorder(
      path,
      { name: 's', file: 's.yaml', runs: RUNS },
      ME,
      null,
      clock,
    );
    await recorder.flush();
    const first = SweepStatusSchema.parse(JSON.parse(await readFile(path, 'utf8')));
    expect(first.runner).toEqual(ME);
    expect(Object.keys(first.runs)).toEqual([STEER.id, MAPPO.id]);
    expect(first.runs[STEER.id]).toMatchObject({ state: 'queued', update: 0, updates: 3, error: null });

    recorder.started(STEER, 'trained');
    recorder.started(MAPPO, 'resumed');
    recorder.ended({ id: STEER.id, action: 'trained', status: 'done', update: 3, error: null, seconds: 1 });
    recorder.ended({
      id: MAPPO.id,
      action: 'resumed',
      status: 'failed',
      update: 1,
      error: 'exit code 1: boom',
      seconds: 1,
    });
    await recorder.finish();
    const last = await readSweepStatus(path);
    expect(last!.runner).toBeNull();
    expect(last!.runs[STEER.id]).toMatchObject({ state: 'done', update: 3, action: 'trained' });
    expect(last!.runs[MAPPO.id]).toMatchObject({ state: 'failed', update: 1, error: 'exit code 1: boom' });
    expect(await readdir(dir)).toEqual(['sweep-status.json']); // no temporary file left
  });

  it('takes over an earlier status: keeps finished runs, queues crashed ones at their update, drops others', async () => {
    const path = sweepStatusPath(join(root, 'two'));
    const earlier = new SweepStatusRecorder(
      path,
      { name: 's', file: 's.yaml', runs: RUNS },
      { ...ME, pid: GONE },
      null,
      clock,
    );
    earlier.ended({ id: STEER.id, action: 'trained', status: 'done', update: 3, error: null, seconds: 1 });
    earlier.started(MAPPO, 'trained');
    await earlier.flush();
    const crashed = await readSweepStatus(path); // its runner died with MAPPO running
    const previous: SweepStatus = {
      ...crashed!,
      runs: { ...crashed!.runs, 'gone/run': crashed!.runs[STEER.id]! },
    };
    previous.runs[MAPPO.id] = { ...previous.runs[MAPPO.id]!, update: 2 };
    const next = new SweepStatusRecorder(
      path,
      { name: 's', file: 's.yaml', runs: RUNS },
      ME,
      previous,
      clock,
    );
    await next.flush();
    expect(Object.keys(next.current.runs)).toEqual([STEER.id, MAPPO.id]);
    expect(next.current.runs[STEER.id]).toMatchObject({ state: 'done', update: 3 });
    expect(next.current.runs[MAPPO.id]).toMatchObject({ state: 'queued', update: 2, action: null });
  });

  it('stopped: a run interrupted is queued again at the update its checkpoint holds', async () => {
    const recorder = new SweepStatusRecorder(
      sweepStatusPath(join(root, 'three')),
      { name: 's', file: 's.yaml', runs: RUNS },
      ME,
      null,
      clock,
    );
    recorder.started(STEER, 'trained');
    recorder.stopped(STEER, 2);
    await recorder.finish();
    expect(recorder.current.runs[STEER.id]).toMatchObject({ state: 'queued', update: 2 });
  });

  it('records the queue of a queued sweep; a file written before queues reads as a local sweep', async () => {
    const path = sweepStatusPath(join(root, 'queued'));
    const recorder = new SweepStatusRecorder(
      path,
      { name: 's', file: 's.yaml', runs: RUNS, queue: 'redis://node-a:6379' },
      { ...ME, executor: 'queue redis://node-a:6379' },
      null,
      clock,
    );
    await recorder.finish();
    expect((await readSweepStatus(path))!.queue).toBe('redis://node-a:6379');
    const { queue: _, ...before } = JSON.parse(await readFile(path, 'utf8'));
    await writeFile(path, JSON.stringify(before));
    expect((await readSweepStatus(path))!.queue).toBeNull();
  });

  it('reports a damaged status file naming it and the field', async () => {
    const path = join(root, 'bad.json');
    await writeFile(path, JSON.stringify({ formatVersion: 1, kind: 'steer-sweep-status' }));
    await expect(readSweepStatus(path)).rejects.toThrow(`${path}: sweep: `);
    expect(await readSweepStatus(join(root, 'none.json'))).toBeNull();
  });
});

describe('runnerAlive', () => {
  it('is true for this process, false for a pid that ended or no runner', () => {
    expect(runnerAlive(ME)).toBe(true);
    expect(runnerAlive({ ...ME, pid: GONE })).toBe(false);
    expect(runnerAlive(null)).toBe(false);
  });
});

describe('sweepStatusRows and the table', () => {
  it("reads a running run's update live from its metrics; a dead runner's running run shows as queued", async () => {
    const cwd = join(root, 'rows');
    const steerDir = join(cwd, STEER.runDir);
    await mkdir(steerDir, { recursive: true });
    await writeFile(join(steerDir, 'metrics.jsonl'), '{"update":1}\n{"update":2}\n');
    const recorder = new SweepStatusRecorder(
      sweepStatusPath(join(cwd, 'runs')),
      { name: 's', file: 's.yaml', runs: RUNS },
      ME,
      null,
      clock,
    );
    recorder.started(STEER, 'trained');
    recorder.ended({
      id: MAPPO.id,
      action: 'trained',
      status: 'failed',
      update: 0,
      error: 'exit code 1: no',
      seconds: 0,
    });
    await recorder.flush();
    const resolve = (path: string) => join(cwd, path);
    const rows = await sweepStatusRows(RUNS, recorder.current, resolve);
    expect(rows.map((r) => [r.id, r.state, r.update, r.updates, r.error])).toEqual([
      [STEER.id, 'running', 2, 3, null],
      [MAPPO.id, 'failed', 0, 3, 'exit code 1: no'],
    ]);
    expect(formatStatusTable(rows)).toBe(
      [
        'run                           state    update  progress                     error',
        'steer/matrix-penalty0/seed-1  running  2/3     [#############-------]  66%',
        'mappo/matrix-penalty0/seed-1  failed   0/3     [--------------------]   0%  exit code 1: no',
        '2 runs: 0 done, 1 running, 1 failed, 0 queued',
      ].join('\n'),
    );
    expect([progressBar(0, 3), progressBar(3, 3), progressBar(5, 3), progressBar(1, 20)]).toEqual([
      '[--------------------]   0%',
      '[####################] 100%',
      '[####################] 100%',
      '[#-------------------]   5%',
    ]);
    const crashed = { ...recorder.current, runner: { ...ME, pid: GONE } };
    expect((await sweepStatusRows(RUNS, crashed, resolve))[0]).toMatchObject({ state: 'queued', update: 2 });
    expect((await sweepStatusRows(RUNS, null, resolve)).map((r) => r.state)).toEqual(['queued', 'queued']);
  });
});

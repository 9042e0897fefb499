/**
 * The scenario editor's API methods (src/shared/api/scenarioMethods.ts, scenarioHandlers.ts) on a
 * project folder of their own: bundled scenarios are listed and opened, a bad file comes back with
 * the validator's messages (not as an error), saves are validated, atomic and confined to
 * runs/scenarios/, and sim.run plays an episode whose replay the reader opens.
 */
import { cp, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReplayReader } from '../../../../src/core/replay/index.js';
import { createApiHandlers } from '../../../../src/main/api/handlers.js';
import { REPOSITORY_ROOT } from '../../../../src/main/web/browserHarness.js';
import {
  type ApiMethod,
  type ApiRequest,
  type ApiResponse,
  dispatchApiCall,
  unwrapApiResult,
} from '../../../../src/shared/api/contract.js';

let root: string;
const handlers = () => createApiHandlers({ projectRoot: root, host: 'web', version: 'test' });

/** Calls `method` as a transport does; the response, or throws the ApiError. */
async function call<M extends ApiMethod>(
  method: M,
  request: ApiRequest<M> | unknown,
): Promise<ApiResponse<M>> {
  return unwrapApiResult(method, await dispatchApiCall(handlers(), method, request));
}

/** The error data of a call that must fail. */
async function failure(method: ApiMethod, request: unknown) {
  const result = await dispatchApiCall(handlers(), method, request);
  if (result.ok) throw new Error(`${method} succeeded, expected a failure`);
  return result.error;
}

const TWO_CAVS = {
  version: 1,
  name: 'Editor test',
  seed: 3,
  traffic: {
    vehicles: [
      { kind: 'cav', lane: 'a-b-0', positionM: 150, speedMps: 25 },
      { kind: 'cav', lane: 'j-k-0', positionM: 160, speedMps: 24 },
      { kind: 'hdv', lane: 'a-b-0', positionM: 120, speedMps: 26 },
    ],
  },
};

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'steer-scenario-api-'));
  await cp(join(REPOSITORY_ROOT, 'scenarios'), join(root, 'scenarios'), { recursive: true });
  await mkdir(join(root, 'models'));
  await cp(join(REPOSITORY_ROOT, 'models', 'horm-easy'), join(root, 'models', 'horm-easy'), {
    recursive: true,
  });
  // A model folder that leads out of the project: never listed, never played.
  await cp(join(REPOSITORY_ROOT, 'models', 'horm-easy'), join(root, 'outside-model'), { recursive: true });
  await symlink(join(root, 'outside-model'), join(root, 'models', 'evil'), 'dir');
  await mkdir(join(root, 'runs', 'scenarios'), { recursive: true });
  await writeFile(join(root, 'runs', 'scenarios', 'cut.json'), '{"version": 1, "name": "cut",');
  await writeFile(
    join(root, 'runs', 'scenarios', 'fast.json'),
    JSON.stringify({
      ...TWO_CAVS,
      traffic: { vehicles: [{ ...TWO_CAVS.traffic.vehicles[0], speedMps: 'fast' }] },
    }),
  );
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('scenarios.list / open', () => {
  it('lists bundled and user files, with names and problem counts', async () => {
    const { scenarios, userDir } = await call('scenarios.list', {});
    expect(userDir).toBe('runs/scenarios');
    const byPath = new Map(scenarios.map((s) => [s.path, s]));
    expect(byPath.get('scenarios/horm-easy.json')).toMatchObject({
      source: 'bundled',
      name: 'HORM easy',
      issueCount: 0,
    });
    expect(byPath.get('runs/scenarios/cut.json')).toMatchObject({
      source: 'user',
      name: null,
      issueCount: 1,
    });
    expect(byPath.get('runs/scenarios/fast.json')).toMatchObject({
      source: 'user',
      name: null,
      issueCount: 1,
    });
  });

  it('opens a bundled scenario: text, document and the resolved scenario', async () => {
    const file = await call('scenarios.open', { path: 'scenarios/two-ramp-vehicles.json' });
    expect(file.source).toBe('bundled');
    expect(file.issues).toEqual([]);
    expect(file.text).toBe(await readFile(join(root, 'scenarios', 'two-ramp-vehicles.json'), 'utf8'));
    expect(file.scenario).toMatchObject({ name: 'Two ramp vehicles', seed: 11 });
    expect(file.document).toMatchObject({ version: 1 });
  });

  it('opens a bad file with the schema messages instead of failing', async () => {
    const cut = await call('scenarios.open', { path: 'runs/scenarios/cut.json' });
    expect(cut.scenario).toBeNull();
    expect(cut.document).toBeNull();
    expect(cut.issues).toEqual([
      { path: '(root)', message: expect.stringMatching(/^invalid JSON at line 1, column \d+: /) },
    ]);
    const fast = await call('scenarios.open', { path: 'runs/scenarios/fast.json' });
    expect(fast.issues).toEqual([
      { path: 'traffic.vehicles[0].speedMps', message: 'expected number in [0, 40] m/s, received "fast"' },
    ]);
  });

  it('refuses paths outside the scenario folders and says not-found for a missing file', async () => {
    for (const path of [
      '../etc/passwd.json',
      'scenarios/../runs/x.json',
      'runs/scenarios/sub/x.json',
      '/etc/x.json',
      'samples/x.json',
      'scenarios/x.txt',
      'scenarios\\x.json',
    ]) {
      const error = await failure('scenarios.open', { path });
      expect(error.code, path).toBe('invalid-request');
      expect(error.message).toMatch(/request\.path: expected a path like "scenarios\/horm-easy\.json"/);
    }
    expect((await failure('scenarios.open', { path: 'runs/scenarios/none.json' })).code).toBe('not-found');
  });

  it('refuses a symlink that leads out of its folder', async () => {
    await symlink('/etc/hostname', join(root, 'runs', 'scenarios', 'escape.json'));
    const error = await failure('scenarios.open', { path: 'runs/scenarios/escape.json' });
    expect(error.code).toBe('refused');
    await rm(join(root, 'runs', 'scenarios', 'escape.json'));
  });
});

describe('scenarios.validate', () => {
  it('gives the messages steer scenario validate prints, with JSON paths, for text and objects', async () => {
    const bad = { ...TWO_CAVS, road: { mergeM: 10, lenght: 3 } };
    const fromObject = await call('scenarios.validate', { scenario: bad });
    expect(fromObject.ok).toBe(false);
    expect(fromObject.issues).toEqual([
      { path: 'road.mergeM', message: 'expected number in [30, 1000] m, received 10' },
      { path: 'road.lenght', message: expect.stringMatching(/^unknown field "lenght"; road takes /) },
    ]);
    const fromText = await call('scenarios.validate', { text: JSON.stringify(bad) });
    expect(fromText.issues).toEqual(fromObject.issues);
    const good = await call('scenarios.validate', { scenario: TWO_CAVS });
    expect(good).toMatchObject({ ok: true, issues: [], scenario: { name: 'Editor test', durationS: 20 } });
    const json = await call('scenarios.validate', { text: '{"version": 1,,}' });
    expect(json.issues[0]).toMatchObject({
      path: '(root)',
      message: expect.stringMatching(/^invalid JSON at line 1/),
    });
  });

  it('wants exactly one of text and scenario', async () => {
    expect((await failure('scenarios.validate', {})).message).toMatch(/exactly one of them/);
  });
});

describe('scenarios.save', () => {
  it('writes a valid scenario atomically under runs/scenarios and reads back the same', async () => {
    const saved = await call('scenarios.save', { path: 'runs/scenarios/my-merge.json', scenario: TWO_CAVS });
    expect(saved).toMatchObject({ path: 'runs/scenarios/my-merge.json', replaced: false });
    const dir = join(root, 'runs', 'scenarios');
    expect(JSON.parse(await readFile(join(dir, 'my-merge.json'), 'utf8'))).toEqual(TWO_CAVS);
    expect((await readdir(dir)).filter((n) => n.startsWith('.tmp-'))).toEqual([]); // no temp file left
    const opened = await call('scenarios.open', { path: 'runs/scenarios/my-merge.json' });
    expect(opened.issues).toEqual([]);
    expect(opened.document).toEqual(TWO_CAVS);
  });

  it('refuses to replace a file unless asked, then replaces it', async () => {
    const error = await failure('scenarios.save', {
      path: 'runs/scenarios/my-merge.json',
      scenario: TWO_CAVS,
    });
    expect(error.code).toBe('refused');
    expect(error.message).toMatch(/a file of that name exists/);
    const changed = { ...TWO_CAVS, seed: 9 };
    const saved = await call('scenarios.save', {
      path: 'runs/scenarios/my-merge.json',
      scenario: changed,
      overwrite: true,
    });
    expect(saved.replaced).toBe(true);
    expect(JSON.parse(await readFile(join(root, 'runs', 'scenarios', 'my-merge.json'), 'utf8')).seed).toBe(9);
  });

  it('saves one of three saves racing for a new name and refuses the others, nothing overwritten', async () => {
    // Both pass the existence check before either writes: the file must still be created once.
    const path = 'runs/scenarios/race.json';
    const outcomes = await Promise.allSettled(
      [3, 4, 5].map((seed) => call('scenarios.save', { path, scenario: { ...TWO_CAVS, seed } })),
    );
    const saved = outcomes.flatMap((o, i) => (o.status === 'fulfilled' ? [3 + i] : []));
    expect(saved).toHaveLength(1);
    for (const outcome of outcomes.filter((o) => o.status === 'rejected')) {
      expect((outcome as PromiseRejectedResult).reason).toMatchObject({
        code: 'refused',
        message: expect.stringMatching(/a file of that name exists/),
      });
    }
    const dir = join(root, 'runs', 'scenarios');
    expect(JSON.parse(await readFile(join(dir, 'race.json'), 'utf8')).seed).toBe(saved[0]);
    expect((await readdir(dir)).filter((n) => n.startsWith('.tmp-'))).toEqual([]);
  });

  it('refuses an invalid scenario with its issues, and writes nothing', async () => {
    const bad = { ...TWO_CAVS, durationS: -1 };
    const error = await failure('scenarios.save', { path: 'runs/scenarios/bad.json', scenario: bad });
    expect(error.code).toBe('invalid-request');
    expect(error.issues).toEqual([
      { path: 'durationS', message: 'expected number in [0.2, 3600] s, received -1' },
    ]);
    expect(error.message).toMatch(/not saved, the scenario has 1 problem: durationS: /);
    await expect(readFile(join(root, 'runs', 'scenarios', 'bad.json'))).rejects.toThrow(/ENOENT/);
  });

  it('never writes into the bundled folder or outside runs/scenarios', async () => {
    const before = await readFile(join(root, 'scenarios', 'horm-easy.json'), 'utf8');
    for (const path of ['scenarios/horm-easy.json', 'runs/x.json', 'runs/scenarios/../x.json', '../x.json']) {
      const error = await failure('scenarios.save', { path, scenario: TWO_CAVS, overwrite: true });
      expect(error.code, path).toBe('invalid-request');
      expect(error.message, path).toMatch(/request\.path: expected a path/);
    }
    expect(await readFile(join(root, 'scenarios', 'horm-easy.json'), 'utf8')).toBe(before);
  });
});

describe('scenarios.save through a symlink', () => {
  it('refuses a user folder that leads out of the project, and writes nothing there', async () => {
    const other = await mkdtemp(join(tmpdir(), 'steer-scenario-escape-'));
    const project = await mkdtemp(join(tmpdir(), 'steer-scenario-project-'));
    try {
      await mkdir(join(project, 'runs'));
      await symlink(other, join(project, 'runs', 'scenarios'), 'dir');
      const api = createApiHandlers({ projectRoot: project, host: 'web', version: 'test' });
      const result = await dispatchApiCall(api, 'scenarios.save', {
        path: 'runs/scenarios/x.json',
        scenario: TWO_CAVS,
      });
      expect(result.ok === false && result.error.code).toBe('refused');
      expect(result.ok === false && result.error.message).toMatch(/leads out of the project folder/);
      expect(await readdir(other)).toEqual([]);
    } finally {
      await rm(other, { recursive: true, force: true });
      await rm(project, { recursive: true, force: true });
    }
  });
});

describe('sim.models / sim.run', () => {
  it('lists the baselines and the bundled model with its agent count', async () => {
    const models = await call('sim.models', {});
    expect(models.baselines).toEqual(['random', 'idle', 'merge']);
    expect(models.runs).toEqual([
      { path: 'models/horm-easy', env: 'horm:density-1', agents: 2, scenario: 'HORM easy' },
    ]);
  });

  it('neither lists nor plays a model folder whose real path leaves models/ (models/evil → outside)', async () => {
    const models = await call('sim.models', {});
    expect(models.runs.map((run) => run.path)).not.toContain('models/evil');
    const error = await failure('sim.run', {
      scenario: TWO_CAVS,
      model: { kind: 'run', path: 'models/evil' },
    });
    expect(error).toEqual({
      code: 'refused',
      message: 'sim.run: models/evil: expected a folder inside models/, the real path leaves it',
    });
  });

  it('plays the idle baseline and returns a replay the reader opens; record writes it under runs/replays/editor', async () => {
    const played = await call('sim.run', { scenario: TWO_CAVS, model: { kind: 'baseline', policy: 'idle' } });
    expect(played.path).toBeNull();
    expect(played.seed).toBe(3);
    expect(played.env).toBe('horm:vehicles-2-cavs');
    const reader = ReplayReader.open(played.bytes);
    expect(reader.header.scenario.name).toBe('Editor test');
    expect(reader.header.model.name).toBe('idle');
    expect(reader.footer.summary.steps).toBe(played.steps);
    expect(reader.frame(0).vehicleCount).toBe(3);

    const recorded = await call('sim.run', {
      scenario: TWO_CAVS,
      model: { kind: 'baseline', policy: 'idle' },
      seed: 5,
      record: true,
    });
    expect(recorded.path).toMatch(/^runs\/replays\/editor\/editor-test-idle-seed5-.*\.replay$/);
    const onDisk = await readFile(join(root, ...recorded.path!.split('/')));
    expect(new Uint8Array(onDisk)).toEqual(recorded.bytes);
    const listed = await call('replays.list', { root: 'runs' });
    expect(listed.replays.map((r) => r.path)).toContain(recorded.path);
  });

  it('plays the bundled model on a 2-CAV scenario, and refuses a scenario of another shape', async () => {
    const played = await call('sim.run', {
      scenario: TWO_CAVS,
      model: { kind: 'run', path: 'models/horm-easy' },
    });
    const reader = ReplayReader.open(played.bytes);
    expect(reader.header.model.name).toBe('steer');
    expect(played.steps).toBeGreaterThan(0);
    const three = {
      ...TWO_CAVS,
      traffic: {
        vehicles: [
          ...TWO_CAVS.traffic.vehicles,
          { kind: 'cav', lane: 'j-k-0', positionM: 100, speedMps: 25 },
        ],
      },
    };
    const error = await failure('sim.run', {
      scenario: three,
      model: { kind: 'run', path: 'models/horm-easy' },
    });
    expect(error.code).toBe('invalid-request');
    // The CAV counts in words, not the envs' observation and state sizes.
    expect(error.message).toBe(
      'sim.run: models/horm-easy was trained with 2 CAVs; this scenario has 3. Give the scenario 2 CAVs, or pick a baseline',
    );
  });

  it("plays in a worker thread: the host's event loop keeps ticking while the model plays", async () => {
    // Before the worker the episode ran on the host's thread and froze it for the whole episode.
    const ticks: number[] = [];
    const timer = setInterval(() => ticks.push(performance.now()), 10);
    const started = performance.now();
    try {
      const played = await call('sim.run', {
        scenario: TWO_CAVS,
        model: { kind: 'run', path: 'models/horm-easy' },
      });
      expect(ReplayReader.open(played.bytes).header.model.name).toBe('steer');
    } finally {
      clearInterval(timer);
    }
    const ended = performance.now();
    // The longest stretch without a tick, from the call to its answer: on the host's thread the
    // episode took most of the call (a 10 ms timer ticked 3 times in 0.6 s); in a worker it is small.
    const times = [started, ...ticks, ended];
    const longestGap = Math.max(...times.slice(1).map((t, i) => t - times[i]!));
    expect(longestGap).toBeLessThan((ended - started) / 2);
  });

  it("reports a checkpoint the worker cannot read as unreadable, with the worker's message", async () => {
    const broken = join(root, 'runs', 'broken-model');
    await cp(join(REPOSITORY_ROOT, 'models', 'horm-easy'), broken, { recursive: true });
    const tensors = join(broken, 'checkpoints', 'latest', 'tensors.bin');
    await writeFile(tensors, (await readFile(tensors)).subarray(0, 1000));
    try {
      const error = await failure('sim.run', {
        scenario: TWO_CAVS,
        model: { kind: 'run', path: 'runs/broken-model' },
      });
      expect(error.code).toBe('unreadable');
      expect(error.message).toMatch(/^sim\.run: .*runs\/broken-model\/checkpoints\/latest/);
      expect(error.message).not.toContain(root);
    } finally {
      await rm(broken, { recursive: true, force: true });
    }
  });

  it('refuses an invalid scenario with the validator issues', async () => {
    const error = await failure('sim.run', {
      scenario: { ...TWO_CAVS, durationS: 'long' },
      model: { kind: 'baseline', policy: 'idle' },
    });
    expect(error.code).toBe('invalid-request');
    expect(error.issues).toEqual([
      { path: 'durationS', message: 'expected number in [0.2, 3600] s, received "long"' },
    ]);
  });
});

/**
 * The Python bridge (src/main/bridge/) against the real server (python/steer_bridge/) with the
 * system's python3 and the stdlib-only "fake" env family: the handshake and `make` give the spec;
 * reset and step carry actions to the right copies on every server (fake rewards are the action
 * plus the agent index) and back; seeds reproduce episodes; single-copy envs work; close is
 * idempotent and leaves no server process; a synchronous open gives the same envs.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { BridgeError } from '../../../src/main/bridge/bridgeErrors.js';
import {
  type BridgeVectorEnv,
  openBridgeEnv,
  openBridgeVectorEnv,
  openBridgeVectorEnvSync,
} from '../../../src/main/bridge/bridgeVectorEnv.js';
import { alive } from '../queueTestKit.js';

const PYTHON = 'python3';
const FAKE = { agents: 3, obsDim: 4, stateDim: 2, n: 5, episodeLimit: 10 };

const opened: BridgeVectorEnv[] = [];

async function fake(
  copies: number,
  servers: number,
  kwargs: Record<string, unknown> = FAKE,
): Promise<BridgeVectorEnv> {
  const vector = await openBridgeVectorEnv({
    envName: 'fake:test',
    family: 'fake',
    kwargs,
    copies,
    servers,
    python: PYTHON,
  });
  opened.push(vector);
  return vector;
}

afterEach(() => {
  for (const vector of opened.splice(0)) vector.close();
});

describe('a bridge vector env of fake copies', () => {
  it('starts the servers, checks their hello and builds the spec from the spaces', async () => {
    const vector = await fake(5, 2);
    expect(vector.size).toBe(5);
    expect(vector.copiesPerServer).toEqual([3, 2]);
    expect(vector.batch.pids).toHaveLength(2);
    expect(vector.batch.hellos.map((h) => h.protocol)).toEqual(['steer-bridge/1', 'steer-bridge/1']);
    expect(vector.batch.hellos.map((h) => h.pid)).toEqual(vector.batch.pids);
    expect(vector.spec).toEqual({
      name: 'fake:test',
      numAgents: 3,
      obsDim: 4,
      stateDim: 2,
      actionSpace: { kind: 'discrete', n: 5 },
      episodeLimit: 10,
    });
  });

  it('resets and steps every copy on every server, actions landing in their copy', async () => {
    const vector = await fake(5, 2);
    const first = vector.reset([0, 1, 2, 3, 4], [10, 11, 12, 13, 14]);
    expect(first).toHaveLength(5);
    for (const s of first) {
      expect(Array.from(s.obs.subarray(0, 2))).toEqual([0, 0]); // [t, agent]
      expect(Array.from(s.obs.subarray(4, 6))).toEqual([0, 1]);
      expect(s.state).toHaveLength(2);
      expect(Array.from(s.active)).toEqual([1, 1, 1]);
      expect(s.availActions).toEqual(new Uint8Array(15).fill(1));
      expect(Array.from(s.priority)).toEqual([0, 1, 2]);
    }
    for (let t = 1; t <= 10; t++) {
      const actions = Array.from({ length: 5 }, (_, i) => [(i + t) % 5, (i + 1) % 5, (i * 2) % 5]);
      const steps = vector.step(actions);
      steps.forEach((step, i) => {
        // fake reward of agent j: its action plus j
        expect(Array.from(step.rewards)).toEqual(actions[i]!.map((a, j) => a + j));
        expect(step.obs[0]).toBe(t);
        expect(step.state[0]).toBe(t);
        expect(step.episodeDone).toBe(t === 10);
        expect(Array.from(step.dones)).toEqual(t === 10 ? [1, 1, 1] : [0, 0, 0]);
        expect(step.info).toEqual({});
      });
    }
    // a partial reset across both servers, then everyone steps again
    vector.reset([0, 1, 2, 3, 4], [1, 2, 3, 4, 5]);
    const again = vector.reset([1, 4], [7, 8]);
    expect(again.map((s) => s.obs[0])).toEqual([0, 0]);
    expect(vector.step(Array.from({ length: 5 }, () => [4, 4, 4])).map((s) => s.rewards[2])).toEqual([
      6, 6, 6, 6, 6,
    ]);
  });

  it('reproduces an episode from its seed, on any copy of any server', async () => {
    const vector = await fake(4, 2);
    const [a, c, , b] = vector.reset([0, 1, 2, 3], [42, 43, 7, 42]).map((s) => Array.from(s.obs));
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    const next = vector.step(Array.from({ length: 4 }, () => [1, 2, 3]));
    expect(Array.from(next[0]!.obs)).toEqual(Array.from(next[3]!.obs));
  });

  it('carries continuous actions (no avail masks)', async () => {
    const vector = await fake(3, 1, { agents: 2, obsDim: 3, stateDim: 0, continuous: true, dim: 2 });
    expect(vector.spec.actionSpace).toEqual({ kind: 'continuous', dim: 2, low: -1, high: 1 });
    expect(vector.spec.stateDim).toBe(0);
    const [first] = vector.reset([0, 1, 2], [1, 2, 3]);
    expect(first!.availActions).toBeNull();
    expect(first!.state).toHaveLength(0);
    const steps = vector.step([
      [0.5, 0.25, -0.5, 0],
      [1, 1, 1, 1],
      [3, 0, 0, -3], // clipped to [-1, 1]
    ]);
    expect(steps.map((s) => Array.from(s.rewards))).toEqual([
      [0.75, 0.5],
      [2, 3],
      [1, 0],
    ]);
  });

  it('refuses an unavailable action as a remote error and closes every server', async () => {
    const vector = await fake(2, 2, { ...FAKE, unavailable: [4] });
    vector.reset([0, 1], [1, 2]);
    const pids = [...vector.batch.pids];
    const error = (() => {
      try {
        vector.step([
          [0, 0, 0],
          [4, 0, 0],
        ]);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(BridgeError);
    expect(error).toMatchObject({ kind: 'remote', code: 'BAD_ACTION', server: 1, pid: pids[1] });
    expect(pids.filter(alive)).toEqual([]);
    expect(() =>
      vector.step([
        [0, 0, 0],
        [0, 0, 0],
      ]),
    ).toThrow(/closed/);
  });

  it('gives single-copy envs, and closes idempotently leaving no process', async () => {
    const env = await openBridgeEnv({ envName: 'fake:one', family: 'fake', kwargs: FAKE, python: PYTHON });
    const a = Array.from(env.reset(5).obs);
    expect(env.step([1, 1, 1]).rewards).toEqual(Float64Array.from([1, 2, 3]));
    expect(Array.from(env.reset(5).obs)).toEqual(a);
    env.close!();
    env.close!();

    const vector = await fake(2, 2);
    const pids = [...vector.batch.pids];
    expect(pids.filter(alive)).toEqual(pids);
    vector.close();
    expect(pids.filter(alive)).toEqual([]);
    vector.close();
    expect(() => vector.reset([0], [1])).toThrow(/closed/);
  });

  it('opens synchronously too (envs built in synchronous code): same episodes; a failed open leaves no server', async () => {
    const sync = openBridgeVectorEnvSync({
      envName: 'fake:test',
      family: 'fake',
      kwargs: FAKE,
      copies: 3,
      servers: 2,
      python: PYTHON,
    });
    opened.push(sync);
    const async = await fake(3, 2);
    expect(sync.spec).toEqual(async.spec);
    const a = sync.reset([0, 1, 2], [7, 8, 9]).map((step) => Array.from(step.obs));
    const b = async.reset([0, 1, 2], [7, 8, 9]).map((step) => Array.from(step.obs));
    expect(a).toEqual(b);
    const actions = [
      [1, 2, 3],
      [0, 0, 0],
      [4, 4, 4],
    ];
    expect(sync.step(actions).map((t) => Array.from(t.rewards))).toEqual(
      async.step(actions).map((t) => Array.from(t.rewards)),
    );
    let refused: unknown;
    try {
      openBridgeVectorEnvSync({
        envName: 'fake:bad',
        family: 'fake',
        kwargs: { noSuchKwarg: 1 },
        copies: 1,
        python: PYTHON,
      });
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(BridgeError);
    expect(refused).toMatchObject({ kind: 'remote', code: 'BAD_REQUEST' });
    expect(alive((refused as BridgeError).pid!)).toBe(false);
  });
});

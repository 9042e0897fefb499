/**
 * Failures of the Python bridge against the real server's fault hooks (the fake family): a crash,
 * a hang, garbage on stdout, an exception in the env and a NaN each throw a BridgeError of the
 * right kind within the deadline, naming the server and ending with its stderr tail, and leave no
 * server process of the batch behind; a print inside the env leaves the protocol intact; a missing
 * interpreter is a spawn error naming it; an interpreter that is not the server is a crash or a
 * protocol error at the hello; a `make` the server refuses rejects the open.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { BridgeError, type BridgeErrorKind } from '../../../src/main/bridge/bridgeErrors.js';
import { type BridgeVectorEnv, openBridgeVectorEnv } from '../../../src/main/bridge/bridgeVectorEnv.js';
import { assertBridgesAlive } from '../../../src/main/bridge/liveBatches.js';
import { alive, waitFor } from '../queueTestKit.js';

const PYTHON = 'python3';
/** Short deadlines so that a hang costs about a second. */
const DEADLINES = { hello: 10_000, make: 10_000, reset: 2_000, step: 1_000, close: 2_000 };
const FAKE = { agents: 2, obsDim: 3, stateDim: 1, n: 3, episodeLimit: 20, stderrLines: 3 };
const STDERR_LINE = 'fake env stderr line 3 of 3';

const opened: BridgeVectorEnv[] = [];

async function fake(kwargs: Record<string, unknown>, python = PYTHON): Promise<BridgeVectorEnv> {
  const vector = await openBridgeVectorEnv({
    envName: 'fake:faults',
    family: 'fake',
    kwargs: { ...FAKE, ...kwargs },
    copies: 2,
    servers: 2,
    python,
    deadlines: DEADLINES,
  });
  opened.push(vector);
  return vector;
}

afterEach(() => {
  for (const vector of opened.splice(0)) vector.close();
});

/** Steps both copies until one throws; returns the error and the seconds its step took. */
function stepUntilFailure(vector: BridgeVectorEnv, steps: number): { error: unknown; seconds: number } {
  vector.reset([0, 1], [1, 2]);
  for (let t = 1; t <= steps; t++) {
    const start = performance.now();
    try {
      vector.step([
        [1, 2],
        [2, 1],
      ]);
    } catch (error) {
      return { error, seconds: (performance.now() - start) / 1000 };
    }
  }
  throw new Error(`no failure in ${steps} steps`);
}

/**
 * Seconds within which a failure must be reported: the step deadline (1 s here) plus room for a
 * loaded 2-core machine; issue #12 asks for 10 s at the default deadline.
 */
const LOADED_MACHINE_S = 6;

describe('bridge failures', () => {
  const cases: [string, Record<string, unknown>, BridgeErrorKind, RegExp, number][] = [
    ['a crash', { crashAtStep: 2 }, 'crash', /exited with code 3/, LOADED_MACHINE_S],
    ['a hang', { hangAtStep: 2 }, 'timeout', /no reply within 1 s/, LOADED_MACHINE_S],
    [
      'garbage on stdout',
      { garbageAtStep: 2 },
      'protocol',
      /garbage on stdout.*over the limit/,
      LOADED_MACHINE_S,
    ],
    [
      'an exception in the env',
      { raiseAtStep: 2 },
      'remote',
      /\[ENV_ERROR\].*fake env raised at step 2/,
      LOADED_MACHINE_S,
    ],
    ['a NaN in an observation', { nanAtStep: 2 }, 'remote', /\[NONFINITE\]/, LOADED_MACHINE_S],
  ];
  for (const [what, kwargs, kind, message, seconds] of cases) {
    it(`${what}: a ${kind} error within the deadline, with the stderr tail, and no server left`, async () => {
      const vector = await fake(kwargs);
      const pids = [...vector.batch.pids];
      const failed = stepUntilFailure(vector, 5);
      expect(failed.error).toBeInstanceOf(BridgeError);
      const error = failed.error as BridgeError;
      expect(error.kind).toBe(kind);
      expect(error.message).toMatch(message);
      expect(error.message).toMatch(
        new RegExp(`^fake:faults: python server [01] \\(pid (${pids.join('|')})\\)`),
      );
      expect(error.message).toContain(STDERR_LINE);
      expect(failed.seconds).toBeLessThan(seconds);
      expect(pids.filter(alive)).toEqual([]);
      vector.close(); // harmless after the failure closed it
    });
  }

  it('a server that dies between calls is reported at once by assertBridgesAlive, not at the next call', async () => {
    const vector = await fake({});
    vector.reset([0, 1], [1, 2]);
    const [victim, other] = vector.batch.pids as [number, number];
    process.kill(victim, 'SIGKILL');
    await waitFor(
      'the news of the death',
      () => {
        try {
          assertBridgesAlive();
          return false;
        } catch (error) {
          expect(error).toBeInstanceOf(BridgeError);
          expect(error).toMatchObject({ kind: 'crash', pid: victim });
          expect((error as Error).message).toMatch(/was killed by SIGKILL while its env was open/);
          return true;
        }
      },
      5_000,
    );
    expect([victim, other].filter(alive)).toEqual([]); // the batch closed its other server too
    expect(() =>
      vector.step([
        [0, 0],
        [0, 0],
      ]),
    ).toThrow(/closed/);
  });

  it('a print inside the env reaches stderr, not the protocol', async () => {
    const vector = await fake({ printAtStep: 2 });
    vector.reset([0, 1], [1, 2]);
    for (let t = 1; t <= 4; t++) {
      const steps = vector.step([
        [1, 2],
        [2, 1],
      ]);
      expect(Array.from(steps[1]!.rewards)).toEqual([2, 2]);
      expect(steps[0]!.obs[0]).toBe(t);
    }
  });

  it('a missing interpreter is a spawn error naming it', async () => {
    const missing = '/nonexistent/bin/python3';
    const error = await fake({}, missing).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BridgeError);
    expect(error).toMatchObject({ kind: 'spawn' });
    expect((error as Error).message).toContain(missing);
    expect((error as Error).message).toMatch(/ENOENT/);
  });

  it('an interpreter that is not the server fails at the hello', async () => {
    const exits = await fake({}, '/bin/true').catch((e: unknown) => e);
    expect(exits).toMatchObject({ kind: 'crash' });
    expect((exits as Error).message).toMatch(/hello: the server exited with code 0/);
    const talks = await fake({}, '/bin/echo').catch((e: unknown) => e);
    expect(talks).toMatchObject({ kind: 'protocol' });
  });

  it('a make the server refuses rejects the open, leaving no server', async () => {
    const error = await fake({ noSuchKwarg: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BridgeError);
    expect(error).toMatchObject({ kind: 'remote', code: 'BAD_REQUEST' });
    expect((error as Error).message).toMatch(/unknown kwargs/);
    expect(alive((error as BridgeError).pid!)).toBe(false);
  });
});

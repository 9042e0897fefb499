/**
 * BridgeBatch (src/main/bridge/bridgeBatch.ts) against the real Python server and the fake family:
 * ops go to the servers given args and to no other; replies carry results and arrays; records too
 * big for the shared data buffer travel on the port and the buffer grows, with the same results.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { BridgeBatch, type BridgeBatchOptions } from '../../../src/main/bridge/bridgeBatch.js';

const FAKE = { agents: 2, obsDim: 3, stateDim: 1, n: 4, episodeLimit: 5 };

const opened: BridgeBatch[] = [];

async function open(options: Partial<BridgeBatchOptions> = {}) {
  const result = await BridgeBatch.open({
    envName: 'fake:batch',
    python: 'python3',
    make: [
      { family: 'fake', kwargs: FAKE, copies: 1 },
      { family: 'fake', kwargs: FAKE, copies: 2 },
    ],
    ...options,
  });
  opened.push(result.batch);
  return result;
}

afterEach(() => {
  for (const batch of opened.splice(0)) batch.close();
});

/** Resets every copy, steps twice with fixed actions; returns what came back. */
function episode(batch: BridgeBatch): number[][] {
  const out: number[][] = [];
  const reset = batch.call('reset', [
    { copies: [0], seeds: [3] },
    { copies: [1, 0], seeds: [4, 3] },
  ]);
  out.push(Array.from(reset[0]!.arrays.get('obs')!.data), Array.from(reset[1]!.arrays.get('obs')!.data));
  for (let t = 0; t < 2; t++) {
    const step = batch.call(
      'step',
      [{}, {}],
      [
        { actions: { data: Float32Array.from([1, 2]), shape: [1, 2, 1] } },
        { actions: { data: Float32Array.from([3, 0, 2, 2]), shape: [2, 2, 1] } },
      ],
    );
    for (const reply of step) {
      out.push(Array.from(reply!.arrays.get('rewards')!.data), Array.from(reply!.arrays.get('obs')!.data));
    }
  }
  return out;
}

describe('BridgeBatch', () => {
  it('makes the env in every server and sends each op only to the servers given args', async () => {
    const { batch, made } = await open();
    expect(batch.size).toBe(2);
    expect(made.map((m) => (m.result.spaces as { agents: string[] }).agents)).toEqual([
      ['agent_0', 'agent_1'],
      ['agent_0', 'agent_1'],
    ]);
    expect(batch.call('ping', [{}, {}]).map((r) => r?.result)).toEqual([{}, {}]);
    const partial = batch.call('reset', [undefined, { copies: [1], seeds: [9] }]);
    expect(partial[0]).toBeUndefined();
    expect(partial[1]!.arrays.get('obs')!.shape).toEqual([1, 2, 3]);
    expect(partial[1]!.arrays.get('avail')!.data).toEqual(new Uint8Array(8).fill(1));
    const bench = batch.call('bench', [{ steps: 50, seed: 1 }, undefined]);
    expect(bench[0]!.result.seconds).toBeGreaterThan(0);
  });

  it('carries records too big for the data buffer on the port, then grows the buffer', async () => {
    const small = episode((await open({ dataBytes: 256 })).batch);
    const roomy = episode((await open()).batch);
    expect(small).toEqual(roomy);
    // rewards of agent j: its action plus j
    expect(roomy[2]).toEqual([1, 3]);
    expect(roomy[4]).toEqual([3, 1, 2, 3]);
  });
});

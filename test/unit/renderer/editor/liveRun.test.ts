/**
 * The editor's live Run (src/renderer/editor/liveRun.ts) against a stand-in host: it starts the
 * run, polls from the bytes it has, shows a growing replay after each chunk and resolves with the
 * finished file; a failed run rejects with the host's message.
 */
import { describe, expect, it } from 'vitest';
import { ReplayReader } from '../../../../src/core/replay/index.js';
import { playLive } from '../../../../src/renderer/editor/liveRun.js';
import type { ApiRequest, SteerApi } from '../../../../src/shared/api/contract.js';
import { recordEpisode } from '../../core/replay/fixtures.js';

const REQUEST = { scenario: {}, model: { kind: 'baseline', policy: 'idle' } } as const;
const RESULT = {
  path: null,
  fileBytes: 0,
  env: 'horm:density-1',
  seed: 1,
  steps: 0,
  crashed: false,
  meanReturn: 0,
};

/** A host whose sim.poll hands out `pieces` one per poll, then ends with `end`. */
function standInHost(pieces: Uint8Array[], end: { error: { code: string; message: string } | null }) {
  const sinces: number[] = [];
  let sent = 0;
  let next = 0;
  const api = {
    call: async (method: string, request: unknown) => {
      if (method === 'sim.start') return { sessionId: 'live-1' };
      const { sinceByte } = request as ApiRequest<'sim.poll'>;
      sinces.push(sinceByte);
      const bytes = pieces[next] ?? new Uint8Array(0);
      next++;
      sent += bytes.length;
      const done = next >= pieces.length;
      return {
        bytes,
        totalBytes: sent,
        done,
        error: done ? end.error : null,
        result: done && end.error === null ? { ...RESULT, fileBytes: sent } : null,
      };
    },
  } as unknown as SteerApi;
  return { api, sinces };
}

describe('playLive', () => {
  it('shows a growing replay after each chunk and resolves with the finished file', async () => {
    const episode = recordEpisode({
      density: 1,
      seed: 2,
      policy: 'random',
      writer: { framesPerChunk: 4 },
      drain: true,
    });
    const { api, sinces } = standInHost(episode.pieces, { error: null });
    const shown: number[] = [];
    let started = false;
    const outcome = await playLive(
      api,
      REQUEST,
      {
        started: () => {
          started = true;
        },
        show: (snapshot) => shown.push(ReplayReader.open(snapshot).frameCount),
      },
      async () => {},
    );
    expect(started).toBe(true);
    expect(outcome.bytes).toEqual(episode.bytes);
    expect(outcome.result.fileBytes).toBe(episode.bytes.length);
    expect(shown.length).toBeGreaterThanOrEqual(3);
    expect(shown).toEqual([...shown].sort((a, b) => a - b));
    // Each poll asks from the bytes received so far.
    let at = 0;
    sinces.forEach((since, i) => {
      expect(since).toBe(at);
      at += episode.pieces[i]!.length;
    });
  });

  it("rejects with the host's message when the run failed", async () => {
    const episode = recordEpisode({ density: 1, seed: 2, policy: 'idle', drain: true });
    const { api } = standInHost(episode.pieces.slice(0, 2), {
      error: { code: 'unreadable', message: 'sim.run: models/x: no checkpoint' },
    });
    await expect(
      playLive(api, REQUEST, { started: () => {}, show: () => {} }, async () => {}),
    ).rejects.toThrow('sim.run: models/x: no checkpoint');
  });
});

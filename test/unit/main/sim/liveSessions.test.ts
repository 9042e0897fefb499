/**
 * Live editor runs (src/main/sim/liveSessions.ts): a session's polls return the replay's bytes as
 * the episode makes them (the frames a reader decodes grow), then the end with sim.run's answer;
 * the poll that reports the end, a worker's failure included, ends the session; unknown and idle
 * sessions are a clear not-found. The episodes are stand-ins fed from a recorded replay, except the
 * last test, which plays a real one in its worker thread.
 */
import { describe, expect, it } from 'vitest';
import { ReplayReader, ReplayStreamReader } from '../../../../src/core/replay/index.js';
import { ServiceError } from '../../../../src/main/services/serviceError.js';
import type { EditorEpisode } from '../../../../src/main/sim/editorSim.js';
import { type LiveEpisodeRunner, LiveSimSessions } from '../../../../src/main/sim/liveSessions.js';
import { REPOSITORY_ROOT } from '../../../../src/main/web/browserHarness.js';
import { recordEpisode } from '../../core/replay/fixtures.js';

const SCENARIO = {
  version: 1,
  name: 'Live test',
  seed: 3,
  traffic: {
    vehicles: [
      { kind: 'cav', lane: 'a-b-0', positionM: 150, speedMps: 25 },
      { kind: 'cav', lane: 'j-k-0', positionM: 160, speedMps: 24 },
    ],
  },
};
const REQUEST = { scenario: SCENARIO, model: { kind: 'baseline', policy: 'idle' }, record: false } as const;

/** A stand-in episode the test drives: hand it bytes, then end it. */
function standIn() {
  const control = {
    hand: (_bytes: Uint8Array) => {},
    end: (_episode: EditorEpisode) => {},
    fail: (_error: Error) => {},
    framesPerChunk: 0,
  };
  const run: LiveEpisodeRunner = (_request, stream) =>
    new Promise<EditorEpisode>((resolve, reject) => {
      control.framesPerChunk = stream.framesPerChunk;
      control.hand = stream.onBytes;
      control.end = resolve;
      control.fail = reject;
    });
  return { run, control };
}

function episodeOf(bytes: Uint8Array, steps: number): EditorEpisode {
  return {
    path: null,
    fileBytes: bytes.length,
    env: 'horm:density-1',
    seed: 3,
    steps,
    crashed: false,
    meanReturn: 0,
    bytes,
  };
}

function failure(run: () => unknown): ServiceError {
  try {
    run();
  } catch (error) {
    if (error instanceof ServiceError) return error;
    throw error;
  }
  throw new Error('expected an ServiceError');
}

describe('LiveSimSessions', () => {
  it('returns growing replay bytes, then the end with the result; the reporting poll ends the session', async () => {
    const { run, control } = standIn();
    const sessions = new LiveSimSessions({ projectRoot: REPOSITORY_ROOT, run, framesPerChunk: 4 });
    const { sessionId } = sessions.start(REQUEST);
    expect(control.framesPerChunk).toBe(4);
    const episode = recordEpisode({
      density: 1,
      seed: 3,
      policy: 'random',
      writer: { framesPerChunk: 4 },
      drain: true,
    });
    const reader = new ReplayStreamReader();
    let since = 0;
    const frameCounts: number[] = [];
    const poll = () => {
      const answer = sessions.poll(sessionId, since);
      since = answer.totalBytes;
      reader.push(answer.bytes);
      frameCounts.push(reader.framesRead);
      return answer;
    };
    expect(poll()).toMatchObject({ done: false, error: null, result: null, totalBytes: 0 });
    const pieces = episode.pieces.filter((piece) => piece.length > 0);
    for (const piece of pieces.slice(0, -1)) {
      control.hand(piece);
      expect(poll().done).toBe(false);
    }
    // The last piece (end block, trailer) arrives with the finished file.
    control.end(episodeOf(episode.bytes, episode.expected.length - 1));
    await Promise.resolve();
    const last = poll();
    expect(last.done).toBe(true);
    expect(last.result).toMatchObject({
      steps: episode.expected.length - 1,
      fileBytes: episode.bytes.length,
    });
    expect(last.totalBytes).toBe(episode.bytes.length);
    expect(reader.end().frames).toBe(episode.expected.length);
    // The frame counts grew over several polls before the end.
    const growing = frameCounts.filter((n, i) => i === 0 || n > frameCounts[i - 1]!);
    expect(growing.length).toBeGreaterThanOrEqual(3);
    expect(frameCounts).toEqual([...frameCounts].sort((a, b) => a - b));
    expect(sessions.size).toBe(0);
    expect(failure(() => sessions.poll(sessionId, since)).code).toBe('not-found');
  });

  it('reports a failed episode in the poll, with its code and message', async () => {
    const { run, control } = standIn();
    const sessions = new LiveSimSessions({ projectRoot: REPOSITORY_ROOT, run });
    const { sessionId } = sessions.start(REQUEST);
    control.fail(new ServiceError('unreadable', 'sim.run: models/x: checkpoint unreadable'));
    await Promise.resolve();
    await Promise.resolve();
    const answer = sessions.poll(sessionId, 0);
    expect(answer).toMatchObject({
      done: true,
      result: null,
      error: { code: 'unreadable', message: 'sim.run: models/x: checkpoint unreadable' },
    });
    expect(sessions.size).toBe(0);
  });

  it('refuses an unknown session, an offset past the bytes, and a scenario with problems', () => {
    const { run } = standIn();
    const sessions = new LiveSimSessions({ projectRoot: REPOSITORY_ROOT, run });
    const unknown = failure(() => sessions.poll('live-00000000-0000-0000-0000-000000000000', 0));
    expect(unknown.code).toBe('not-found');
    expect(unknown.message).toMatch(/^sim\.poll: no live run "live-0{8}-.*": it ended and was reported/);
    const { sessionId } = sessions.start(REQUEST);
    expect(failure(() => sessions.poll(sessionId, 10)).message).toBe(
      'sim.poll: sinceByte expected at most 0 (the bytes received so far), received 10',
    );
    const bad = failure(() => sessions.start({ ...REQUEST, scenario: { ...SCENARIO, seed: 'x' } }));
    expect(bad.code).toBe('invalid-request');
    expect(bad.message).toMatch(/^sim\.start: the scenario has 1 problem: seed: /);
  });

  it('drops sessions nobody polls, and holds at most maxSessions', () => {
    const { run } = standIn();
    let now = 1000;
    const sessions = new LiveSimSessions({
      projectRoot: REPOSITORY_ROOT,
      run,
      clock: () => now,
      idleMs: 5000,
      maxSessions: 2,
    });
    const a = sessions.start(REQUEST).sessionId;
    sessions.start(REQUEST);
    const full = failure(() => sessions.start(REQUEST));
    expect(full.code).toBe('refused');
    expect(full.message).toMatch(/expected at most 2 live runs at once, found 2 under way/);
    now += 4000;
    sessions.poll(a, 0); // a is polled, b is not
    now += 2000;
    expect(sessions.start(REQUEST).sessionId).toMatch(/^live-/); // b was dropped
    expect(sessions.size).toBe(2);
    now += 6000;
    expect(failure(() => sessions.poll(a, 0)).code).toBe('not-found');
    expect(sessions.size).toBe(0);
  });

  it('plays a real episode in its worker: the bytes arrive in pieces and join into the finished replay', async () => {
    const sessions = new LiveSimSessions({ projectRoot: REPOSITORY_ROOT });
    const { sessionId } = sessions.start(REQUEST);
    const reader = new ReplayStreamReader();
    const pieces: Uint8Array[] = [];
    let since = 0;
    const counts = new Set<number>();
    for (;;) {
      const answer = sessions.poll(sessionId, since);
      since = answer.totalBytes;
      pieces.push(answer.bytes);
      reader.push(answer.bytes);
      counts.add(reader.framesRead);
      if (answer.done) {
        expect(answer.error).toBeNull();
        const file = new Uint8Array(since);
        let at = 0;
        for (const piece of pieces) {
          file.set(piece, at);
          at += piece.length;
        }
        const replay = ReplayReader.open(file);
        expect(replay.header.scenario.name).toBe('Live test');
        expect(replay.footer.summary.steps).toBe(answer.result!.steps);
        expect(reader.end().frames).toBe(replay.frameCount);
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(counts.size).toBeGreaterThanOrEqual(3); // seen growing, not all at once
  });
});

/**
 * The editor's live Run (docs/app.md "Scenario editor"): starts the episode on the host
 * (`sim.start`), polls its replay bytes (`sim.poll`) and hands each update to the player as a
 * complete replay of the frames so far (LiveReplay), until the episode is over.
 */
import type { ApiRequest, ApiResponse, SteerApi } from '../../shared/api/contract.js';
import { LiveReplay } from '../playback/liveReplay.js';

/** Time between two polls [ms]: a live chunk (4 frames) takes about 80 ms to simulate. */
export const LIVE_POLL_MS = 100;

/** A finished live run. */
export interface LiveRunOutcome {
  /** sim.run's answer without the bytes. */
  readonly result: NonNullable<ApiResponse<'sim.poll'>['result']>;
  /** The replay file, as the host made (and, with record, wrote) it. */
  readonly bytes: Uint8Array;
}

/** What a live run tells its caller as it goes. */
export interface LiveRunListener {
  /** The host accepted the run (the scenario is valid) and started it. */
  started(): void;
  /** More frames arrived: a complete replay of the frames so far. */
  show(snapshot: Uint8Array): void;
}

/**
 * Plays `request` live, telling `listener` as it goes. Resolves with the finished episode; rejects
 * with the host's message when it failed.
 */
export async function playLive(
  api: SteerApi,
  request: ApiRequest<'sim.start'>,
  listener: LiveRunListener,
  wait: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
): Promise<LiveRunOutcome> {
  const { sessionId } = await api.call('sim.start', request);
  listener.started();
  const replay = new LiveReplay();
  for (;;) {
    const answer = await api.call('sim.poll', { sessionId, sinceByte: replay.bytesReceived });
    const added = replay.push(answer.bytes);
    if (answer.done) {
      if (answer.error !== null) throw new Error(answer.error.message);
      if (answer.result === null) throw new Error('sim.poll: the run ended without a result');
      return { result: answer.result, bytes: replay.finish() };
    }
    if (added > 0) listener.show(replay.snapshot()!);
    await wait(LIVE_POLL_MS);
  }
}

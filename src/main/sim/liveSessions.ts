/**
 * Live editor runs (`sim.start` / `sim.poll`, docs/app.md "Scenario editor"): the API is request /
 * response only, so a live episode is a session the window polls. `start` checks the scenario and
 * starts the episode in its worker (runEditorEpisode with a live stream); the worker hands over the
 * replay file's bytes as they are finished (preamble and header, then each chunk of a few frames),
 * and `poll` returns the bytes past the offset the window already has. The pieces joined are the
 * finished replay file, the same bytes `sim.run` returns, so the window decodes them with the core
 * reader (no second format). The poll that reports the end (the result or the worker's error) also
 * ends the session; a session not polled for `idleMs` is dropped.
 */
import { randomUUID } from 'node:crypto';
import { ServiceError, type ServiceErrorData } from '../services/serviceError.js';
import {
  type EditorEpisode,
  type EditorEpisodeRequest,
  type EditorLiveStream,
  type OpenedEpisodeRequest,
  openEpisodeRequest,
  runEditorEpisode,
} from './editorSim.js';

/** Frames per replay chunk of a live run: 4 frames = 0.8 s of episode at 5 Hz per update. */
export const LIVE_FRAMES_PER_CHUNK = 4;
/**
 * Least wall-clock time per decision of a live run [ms]: 20 ms plays a 0.2 s decision at 10× real
 * time, so a 100-decision episode is watched for about 2 s instead of flashing past.
 */
export const LIVE_PACE_MS = 20;
/** A session nobody polled for this long is dropped [ms]. */
export const LIVE_IDLE_MS = 60_000;
/** Live sessions at most at once (each holds a worker thread while it plays). */
export const MAX_LIVE_SESSIONS = 4;

/** What plays a live episode: runEditorEpisode, or a stand-in in tests. */
export type LiveEpisodeRunner = (
  request: OpenedEpisodeRequest,
  stream: EditorLiveStream,
) => Promise<EditorEpisode>;

/** Options of LiveSimSessions. */
export interface LiveSimSessionsOptions {
  /** Project folder (models/, runs/) for the default runner. */
  readonly projectRoot: string;
  /** Plays the episode; default runEditorEpisode in a worker. */
  readonly run?: LiveEpisodeRunner;
  /** Wall clock [ms]. */
  readonly clock?: () => number;
  readonly idleMs?: number;
  readonly maxSessions?: number;
  readonly framesPerChunk?: number;
  readonly paceMs?: number;
}

/** The finished episode as `sim.poll` reports it (sim.run's answer without the bytes). */
export type LiveEpisodeResult = Omit<EditorEpisode, 'bytes'>;

/** One poll's answer. */
export interface LivePoll {
  /** The replay's bytes from the requested offset on (empty when nothing new arrived). */
  readonly bytes: Uint8Array;
  /** Bytes received so far: the offset of the next poll. */
  readonly totalBytes: number;
  /** The episode is over: bytes complete the replay file, or `error` says why not. */
  readonly done: boolean;
  /** Why the episode failed (done), else null. */
  readonly error: ServiceErrorData | null;
  /** The finished episode (done without error), else null. */
  readonly result: LiveEpisodeResult | null;
}

interface Session {
  readonly pieces: Uint8Array[];
  totalBytes: number;
  outcome: { readonly result: LiveEpisodeResult } | { readonly error: ServiceErrorData } | null;
  lastSeen: number;
}

/** The live sessions of one host. */
export class LiveSimSessions {
  private readonly sessions = new Map<string, Session>();
  private readonly run: LiveEpisodeRunner;
  private readonly clock: () => number;
  private readonly idleMs: number;
  private readonly maxSessions: number;
  private readonly framesPerChunk: number;
  private readonly paceMs: number;

  constructor(options: LiveSimSessionsOptions) {
    this.run =
      options.run ?? ((request, stream) => runEditorEpisode(options.projectRoot, request, undefined, stream));
    this.clock = options.clock ?? Date.now;
    this.idleMs = options.idleMs ?? LIVE_IDLE_MS;
    this.maxSessions = options.maxSessions ?? MAX_LIVE_SESSIONS;
    this.framesPerChunk = options.framesPerChunk ?? LIVE_FRAMES_PER_CHUNK;
    this.paceMs = options.paceMs ?? LIVE_PACE_MS;
  }

  /** Sessions held (running, or finished and not yet reported). */
  get size(): number {
    return this.sessions.size;
  }

  /**
   * Checks the scenario (its issues are an `invalid-request` here, not in a poll) and starts the
   * episode; returns the session's id. Refused while MAX_LIVE_SESSIONS are under way.
   */
  start(request: EditorEpisodeRequest): { sessionId: string } {
    this.sweep();
    const opened = openEpisodeRequest(request, 'sim.start');
    if (this.sessions.size >= this.maxSessions) {
      throw new ServiceError(
        'refused',
        `sim.start: expected at most ${this.maxSessions} live runs at once, found ${this.sessions.size} under way; wait for one to end`,
      );
    }
    const sessionId = `live-${randomUUID()}`;
    const session: Session = { pieces: [], totalBytes: 0, outcome: null, lastSeen: this.clock() };
    this.sessions.set(sessionId, session);
    const stream: EditorLiveStream = {
      framesPerChunk: this.framesPerChunk,
      paceMs: this.paceMs,
      onBytes: (bytes) => {
        session.pieces.push(bytes);
        session.totalBytes += bytes.length;
      },
    };
    this.run(opened, stream).then(
      (episode) => {
        const { bytes, ...result } = episode;
        // The finished file is authoritative: anything past what was streamed is its tail.
        if (bytes.length > session.totalBytes) {
          session.pieces.push(bytes.subarray(session.totalBytes));
          session.totalBytes = bytes.length;
        }
        session.outcome = { result };
      },
      (error: unknown) => {
        session.outcome = {
          error:
            error instanceof ServiceError
              ? error.toData()
              : {
                  code: 'internal',
                  message: `sim.start: ${error instanceof Error ? error.message : String(error)}`,
                },
        };
      },
    );
    return { sessionId };
  }

  /**
   * The bytes of session `sessionId` from byte `sinceByte` on, and whether it is over. The poll
   * that reports the end ends the session; an unknown or dropped id is a `not-found` ApiError.
   */
  poll(sessionId: string, sinceByte: number): LivePoll {
    this.sweep();
    const session = this.sessions.get(sessionId);
    if (session === undefined) {
      throw new ServiceError(
        'not-found',
        `sim.poll: no live run "${sessionId}": it ended and was reported, was not polled for ${Math.round(this.idleMs / 1000)} s, or never existed`,
      );
    }
    if (sinceByte > session.totalBytes) {
      throw new ServiceError(
        'invalid-request',
        `sim.poll: sinceByte expected at most ${session.totalBytes} (the bytes received so far), received ${sinceByte}`,
      );
    }
    session.lastSeen = this.clock();
    const outcome = session.outcome; // read before the bytes: a result implies every byte is in
    const bytes = joinFrom(session.pieces, sinceByte);
    if (outcome !== null) this.sessions.delete(sessionId);
    return {
      bytes,
      totalBytes: session.totalBytes,
      done: outcome !== null,
      error: outcome !== null && 'error' in outcome ? outcome.error : null,
      result: outcome !== null && 'result' in outcome ? outcome.result : null,
    };
  }

  /** Drops the sessions nobody polled for idleMs (a running episode plays on; its bytes are dropped). */
  private sweep(): void {
    const now = this.clock();
    for (const [id, session] of this.sessions) {
      if (now - session.lastSeen > this.idleMs) this.sessions.delete(id);
    }
  }
}

/** The bytes of `pieces` joined, from byte `from` on. */
function joinFrom(pieces: readonly Uint8Array[], from: number): Uint8Array {
  const total = pieces.reduce((n, piece) => n + piece.length, 0);
  const out = new Uint8Array(Math.max(total - from, 0));
  let at = 0; // file offset of the current piece
  for (const piece of pieces) {
    const end = at + piece.length;
    if (end > from) out.set(piece.subarray(Math.max(from - at, 0)), Math.max(at - from, 0));
    at = end;
  }
  return out;
}

/**
 * Replay files on disk (format in src/core/replay/layout.ts, docs/replays.md). Writes are atomic
 * (docs/design.md "Files"): a reader sees the old file or the whole new one, never a prefix. Reads come
 * three ways: whole and checked (`readReplayFile`), random access for a player (`openReplayFile`),
 * and frame by frame while the bytes arrive (`streamReplayFile`).
 *
 * Every failure is a `ReplayFileError` whose message is one line, `<file>: <reason>`.
 */
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import {
  type DecodedMujocoReplay,
  type DecodedReplay,
  decodeMujocoReplay,
  decodeReplay,
  PREAMBLE_BYTES,
  REPLAY_FILE_EXTENSION,
  ReplayError,
  type ReplayFooter,
  type ReplayFrame,
  ReplayReader,
  ReplayStreamReader,
  replayKindOf,
} from '../../core/replay/index.js';
import { writeFileAtomic } from './atomicWrite.js';

/** A replay file could not be read or written; the message is `<file>: <reason>`. */
export class ReplayFileError extends Error {
  override readonly name = 'ReplayFileError';

  constructor(
    /** The file as the caller named it. */
    readonly file: string,
    /** Why, in one line. */
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`${file}: ${reason}`, options);
  }
}

/** A whole replay file, decoded, with its size on disk. */
export interface ReplayFileContents extends DecodedReplay {
  /** Size of the file [bytes]. */
  readonly fileBytes: number;
}

/** Why a file could not be opened, in a few words. */
function accessFailure(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return 'file not found';
  if (code === 'EISDIR') return 'is a directory, expected a replay file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  return `cannot read the file: ${error instanceof Error ? error.message : String(error)}`;
}

/** Re-throws anything as a ReplayFileError about `file` (format errors keep their own words). */
function asFileError(file: string, error: unknown): ReplayFileError {
  if (error instanceof ReplayFileError) return error;
  const reason = error instanceof ReplayError ? error.message : accessFailure(error);
  return new ReplayFileError(file, reason, { cause: error });
}

/** Reads a file's bytes; a directory or a missing file is a ReplayFileError. */
async function readBytes(path: string): Promise<Uint8Array> {
  try {
    const info = await stat(path);
    if (info.isDirectory()) throw Object.assign(new Error('directory'), { code: 'EISDIR' });
    return await readFile(path);
  } catch (error) {
    throw asFileError(path, error);
  }
}

/** Writes `bytes` (a whole replay) to `path` atomically, creating the directory if needed. */
export async function writeReplayFile(path: string, bytes: Uint8Array): Promise<void> {
  try {
    await writeFileAtomic(path, bytes);
  } catch (error) {
    throw new ReplayFileError(
      path,
      `cannot write the replay: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
}

/** Reads and decodes a whole HORM replay, checking every chunk (readAnyReplayFile: either kind). */
export async function readReplayFile(path: string): Promise<ReplayFileContents> {
  const bytes = await readBytes(path);
  try {
    return { ...decodeReplay(bytes), fileBytes: bytes.length };
  } catch (error) {
    throw asFileError(path, error);
  }
}

/** A whole MuJoCo replay file, decoded, with its size on disk. */
export interface MujocoReplayFileContents extends DecodedMujocoReplay {
  readonly fileBytes: number;
}

/** A whole replay file of either kind, decoded, tagged with its kind. */
export type AnyReplayFileContents =
  | ({ readonly kind: 'horm' } & ReplayFileContents)
  | ({ readonly kind: 'mujoco' } & MujocoReplayFileContents);

/** Reads and decodes a whole replay of either kind (HORM or MuJoCo), checking every chunk. */
export async function readAnyReplayFile(path: string): Promise<AnyReplayFileContents> {
  const bytes = await readBytes(path);
  try {
    // A file shorter than the preamble goes to the HORM reader, which says where it was cut.
    if (bytes.length >= PREAMBLE_BYTES && replayKindOf(bytes) === 'mujoco') {
      return { kind: 'mujoco', ...decodeMujocoReplay(bytes), fileBytes: bytes.length };
    }
    return { kind: 'horm', ...decodeReplay(bytes), fileBytes: bytes.length };
  } catch (error) {
    throw asFileError(path, error);
  }
}

/**
 * Opens a replay for random access (a player): reads the file and its index; chunks are decoded
 * when a frame in them is first asked for (those errors are ReplayErrors from `frame`).
 */
export async function openReplayFile(path: string): Promise<ReplayReader> {
  const bytes = await readBytes(path);
  try {
    return ReplayReader.open(bytes);
  } catch (error) {
    throw asFileError(path, error);
  }
}

/** Options of streamReplayFile. */
export interface StreamReplayOptions {
  /** Read size [bytes]; default 64 KiB. */
  readonly readBytes?: number;
  /** The reader to feed; pass one to look at `header` while frames arrive. */
  readonly reader?: ReplayStreamReader;
}

/**
 * Yields the frames of a replay file as its chunks are read; returns the footer. A damaged or
 * cut file throws a ReplayFileError at the point where the damage is found (frames before it have
 * been yielded).
 */
export async function* streamReplayFile(
  path: string,
  options: StreamReplayOptions = {},
): AsyncGenerator<ReplayFrame, ReplayFooter, undefined> {
  const reader = options.reader ?? new ReplayStreamReader();
  const stream = createReadStream(path, { highWaterMark: options.readBytes ?? 64 * 1024 });
  try {
    for await (const piece of stream) {
      let frames: ReplayFrame[];
      try {
        frames = reader.push(piece as Buffer);
      } catch (error) {
        throw asFileError(path, error);
      }
      yield* frames;
    }
    return reader.end();
  } catch (error) {
    throw asFileError(path, error);
  } finally {
    stream.destroy();
  }
}

/** "episode-007-seed-10007.replay", zero-padded to the number of episodes. */
export function replayFileName(episode: number, seed: number, episodes: number): string {
  const width = String(Math.max(episodes - 1, 0)).length;
  return `episode-${String(episode).padStart(width, '0')}-seed-${seed}${REPLAY_FILE_EXTENSION}`;
}

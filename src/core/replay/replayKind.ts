/**
 * Which kind of replay a file holds, from its preamble alone: format version 1 is a HORM episode,
 * version 2 a MuJoCo one (layout.ts). Readers of a file of either kind (the CLI, the file library,
 * the player) ask this first and then open it with that kind's reader.
 */
import { HORM_REPLAY_VERSION, MUJOCO_REPLAY_VERSION, SUPPORTED_REPLAY_VERSIONS } from './layout.js';
import { decodePreamble, peekReplayVersion } from './preamble.js';

/** The kinds of replay this build reads. */
export type ReplayKindName = 'horm' | 'mujoco';

/**
 * The kind of the replay whose bytes start with `bytes` (at least its 16-byte preamble). Throws a
 * ReplayError for another kind of file, a cut preamble or a version this build does not read.
 */
export function replayKindOf(bytes: Uint8Array): ReplayKindName {
  const version = peekReplayVersion(bytes);
  decodePreamble(bytes, SUPPORTED_REPLAY_VERSIONS); // unknown versions and bad flags, in its words
  return version === MUJOCO_REPLAY_VERSION ? 'mujoco' : 'horm';
}

/** The format version a kind is written in. */
export const REPLAY_KIND_VERSIONS: Readonly<Record<ReplayKindName, number>> = {
  horm: HORM_REPLAY_VERSION,
  mujoco: MUJOCO_REPLAY_VERSION,
};

/**
 * A player for replay bytes of either kind: a HORM replay (ReplayPlayer) or a MuJoCo one
 * (MujocoReplayPlayer), told apart by the file's format version (core/replay replayKindOf).
 */
import { replayKindOf } from '../../core/replay/index.js';
import { MujocoReplayPlayer } from './mujocoReplayPlayer.js';
import { ReplayPlayer } from './replayPlayer.js';

/** A player of either kind; `kind` tells which. */
export type AnyReplayPlayer = ReplayPlayer | MujocoReplayPlayer;

/**
 * Opens `bytes` (throws ReplayError). `previous`: the player shown before, whose decoded frames a
 * HORM live replay that continues it reuses (ReplayPlayer's constructor).
 */
export function openReplayPlayer(
  bytes: Uint8Array,
  previous: AnyReplayPlayer | null = null,
): AnyReplayPlayer {
  if (replayKindOf(bytes) === 'mujoco') return new MujocoReplayPlayer(bytes);
  return new ReplayPlayer(bytes, previous instanceof ReplayPlayer ? previous : null);
}

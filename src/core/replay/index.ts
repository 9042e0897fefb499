/**
 * Episode replays (docs/design.md "Replay"; docs/replays.md): the versioned, chunked, compressed file
 * format (layout.ts maps the bytes to the files that encode them), a writer, three readers
 * (incremental and whole file in streamReader.ts, random access in reader.ts), the end that closes a
 * replay still arriving (endSoFar.ts), the HORM recorder and the JSON export; and MuJoCo replays
 * (format version 2: mujocoSchemas.ts, mujocoWriter.ts, mujocoReader.ts, mujocoRecorder.ts) in the
 * same container. `replayKindOf` says which kind a file holds. Import from here, not from the files.
 */
export { crc32 } from './crc32.js';
export { encodeEndSoFar, footerSoFar } from './endSoFar.js';
export {
  frameToJson,
  type ReplayAgentJson,
  type ReplayFrameJson,
  type ReplayJson,
  type ReplayVehicleJson,
  replayToJson,
} from './exportJson.js';
export type { ReplayFrame, ReplayFrameInput } from './frame.js';
export {
  BLOCK_HEADER_BYTES,
  HORM_REPLAY_VERSION,
  MAX_AGENTS,
  MUJOCO_REPLAY_VERSION,
  NO_ACTION,
  NO_LANE,
  NO_RANK,
  PREAMBLE_BYTES,
  REPLAY_FILE_EXTENSION,
  REPLAY_FORMAT_VERSION,
  REPLAY_MAGIC,
  SUPPORTED_REPLAY_VERSIONS,
  TRAILER_BYTES,
} from './layout.js';
export {
  type MujocoBodyJson,
  type MujocoFrameJson,
  type MujocoReplayJson,
  mujocoFrameToJson,
  mujocoReplayToJson,
} from './mujocoExportJson.js';
export type { MujocoReplayFrame, MujocoReplayFrameInput } from './mujocoFrame.js';
export { type DecodedMujocoReplay, decodeMujocoReplay, MujocoReplayReader } from './mujocoReader.js';
export { type MujocoRecordingInfo, MujocoReplayRecorder, mujocoReplayHeader } from './mujocoRecorder.js';
export { MujocoRecordingEnv, type MujocoRecordingOptions } from './mujocoRecordingEnv.js';
export {
  actionOffsets,
  MUJOCO_GEOM_TYPES,
  type MujocoGeomType,
  type MujocoReplayFooter,
  MujocoReplayFooterSchema,
  type MujocoReplayHeader,
  MujocoReplayHeaderSchema,
  type MujocoReplaySummary,
  totalActionDim,
} from './mujocoSchemas.js';
export { DEFAULT_MUJOCO_FRAMES_PER_CHUNK, MujocoReplayWriter } from './mujocoWriter.js';
export { ReplayReader } from './reader.js';
export {
  HORM_ACTION_NAMES,
  HORM_VEHICLE_KINDS,
  hormReplayHeader,
  ReplayRecorder,
  type ReplayRecordingInfo,
} from './recorder.js';
export { ReplayError, type ReplayErrorCode } from './replayError.js';
export { type ReplayKindName, replayKindOf } from './replayKind.js';
export {
  type JsonValue,
  type ReplayFooter,
  ReplayFooterSchema,
  type ReplayHeader,
  ReplayHeaderSchema,
  type ReplaySummary,
} from './schemas.js';
export { type DecodedReplay, decodeReplay, ReplayStreamReader } from './streamReader.js';
export { DEFAULT_FRAMES_PER_CHUNK, ReplayWriter, type ReplayWriterOptions } from './writer.js';

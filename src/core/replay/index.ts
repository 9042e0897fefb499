/**
 * Episode replays (docs/design.md "Replay"; docs/replays.md): the versioned, chunked, compressed file
 * format (layout.ts maps the bytes to the files that encode them), a writer, three readers
 * (incremental and whole file in streamReader.ts, random access in reader.ts), the end that closes a
 * replay still arriving (endSoFar.ts), the HORM recorder and the JSON export. Import from here, not
 * from the files.
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
  MAX_AGENTS,
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
export { ReplayReader } from './reader.js';
export {
  HORM_ACTION_NAMES,
  HORM_VEHICLE_KINDS,
  hormReplayHeader,
  ReplayRecorder,
  type ReplayRecordingInfo,
} from './recorder.js';
export { ReplayError, type ReplayErrorCode } from './replayError.js';
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

/**
 * Episode replays (docs/design.md "Replay"; docs/replays.md): the versioned, chunked, compressed file
 * format, a writer, three readers (incremental, whole file, random access), the end that closes a
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
export {
  BLOCK_HEADER_BYTES,
  type JsonValue,
  MAX_AGENTS,
  NO_ACTION,
  NO_LANE,
  NO_RANK,
  PREAMBLE_BYTES,
  REPLAY_FILE_EXTENSION,
  REPLAY_FORMAT_VERSION,
  REPLAY_MAGIC,
  type ReplayFooter,
  ReplayFooterSchema,
  type ReplayFrame,
  type ReplayFrameInput,
  type ReplayHeader,
  ReplayHeaderSchema,
  type ReplaySummary,
  SUPPORTED_REPLAY_VERSIONS,
  TRAILER_BYTES,
} from './format.js';
export { type DecodedReplay, decodeReplay, ReplayReader, ReplayStreamReader } from './reader.js';
export {
  HORM_ACTION_NAMES,
  HORM_VEHICLE_KINDS,
  hormReplayHeader,
  ReplayRecorder,
  type ReplayRecordingInfo,
} from './recorder.js';
export { ReplayError, type ReplayErrorCode } from './replayError.js';
export { DEFAULT_FRAMES_PER_CHUNK, ReplayWriter, type ReplayWriterOptions } from './writer.js';

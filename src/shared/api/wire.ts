/**
 * The WebSocket wire format of the API (contract.ts): one binary message per call and per reply,
 *
 *   u32 LE  J = length of the JSON text
 *   J       UTF-8 JSON, in which every byte array of the value is replaced by {"$bytes": [offset, length]}
 *   rest    the byte arrays, back to back (offsets count from the first byte after the JSON)
 *
 * so a replay's bytes travel as they are (no base64, no number arrays) and the receiver views them
 * in place. Calls are `{id, method, request}`, replies `{id, result}` with `result` the contract's
 * envelope. Electron IPC needs none of this (structured clone carries Uint8Array).
 *
 * Platform-free (TextEncoder/TextDecoder exist in Node and browsers).
 */
import { z } from 'zod';

/** Largest message either side accepts [bytes] (a replay of a few hours of HORM at most). */
export const MAX_WIRE_MESSAGE_BYTES = 256 * 1024 * 1024;

/**
 * Largest call the host reads [bytes]; a longer message closes that socket with code 1009. The
 * largest legitimate call carries a scenario text of up to MAX_SCENARIO_TEXT_CHARS characters (scenarioMethods.ts),
 * which JSON escaping can grow at most sixfold (a control character becomes `\u00XX`).
 */
export const MAX_CALL_BYTES = 8 * 1024 * 1024;

/** Key of the placeholder object that stands for a byte array in the JSON. */
const BYTES_KEY = '$bytes';

/** Bytes of the length prefix. */
const PREFIX_BYTES = 4;

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

/** A call from the window. */
export const WireCallSchema = z.strictObject({
  /** Chosen by the caller, echoed in the reply. */
  id: z.int().nonnegative(),
  method: z.string().max(200),
  request: z.unknown(),
});

/** A call. */
export type WireCall = z.output<typeof WireCallSchema>;

/** A reply from the host: the id of the call (null when the call could not be read at all). */
export const WireReplySchema = z.strictObject({
  id: z.int().nonnegative().nullable(),
  result: z.unknown(),
});

/** A reply. */
export type WireReply = z.output<typeof WireReplySchema>;

/** Encodes any JSON-like value whose leaves may be Uint8Arrays (Node Buffers included). */
export function encodeWireMessage(value: unknown): Uint8Array {
  const attachments: Uint8Array[] = [];
  let attached = 0;
  const json = JSON.stringify(value, function replacer(this: Record<string, unknown>, key: string, v) {
    // `this[key]` is the value before toJSON (a Buffer would otherwise arrive as {type, data}).
    const original = this[key];
    if (original instanceof Uint8Array) {
      attachments.push(original);
      const placeholder = { [BYTES_KEY]: [attached, original.length] };
      attached += original.length;
      return placeholder;
    }
    return v;
  });
  const text = encoder.encode(json ?? 'null');
  const out = new Uint8Array(PREFIX_BYTES + text.length + attached);
  new DataView(out.buffer).setUint32(0, text.length, true);
  out.set(text, PREFIX_BYTES);
  let at = PREFIX_BYTES + text.length;
  for (const bytes of attachments) {
    out.set(bytes, at);
    at += bytes.length;
  }
  return out;
}

/** Decodes a message; byte arrays come back as views into `message`. Throws a one-line Error. */
export function decodeWireMessage(message: Uint8Array): unknown {
  if (message.length < PREFIX_BYTES) {
    throw new Error(`wire message: expected at least ${PREFIX_BYTES} bytes, received ${message.length}`);
  }
  const jsonBytes = new DataView(message.buffer, message.byteOffset, PREFIX_BYTES).getUint32(0, true);
  const dataStart = PREFIX_BYTES + jsonBytes;
  if (dataStart > message.length) {
    throw new Error(
      `wire message: JSON length ${jsonBytes} runs past the end of the ${message.length}-byte message`,
    );
  }
  const data = message.subarray(dataStart);
  return JSON.parse(decoder.decode(message.subarray(PREFIX_BYTES, dataStart)), (_key, v: unknown) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
    const keys = Object.keys(v);
    const span = (v as Record<string, unknown>)[BYTES_KEY];
    if (keys.length !== 1 || !Array.isArray(span)) return v;
    const [offset, length] = span as unknown[];
    if (
      !Number.isSafeInteger(offset) ||
      !Number.isSafeInteger(length) ||
      (offset as number) < 0 ||
      (length as number) < 0 ||
      (offset as number) + (length as number) > data.length
    ) {
      throw new Error(
        `wire message: byte array [${String(offset)}, ${String(length)}] lies outside the ${data.length} attached bytes`,
      );
    }
    return data.subarray(offset as number, (offset as number) + (length as number));
  });
}

/**
 * Records of the channel between the calling thread and the bridge's I/O worker (ioProtocol.ts):
 * JSON and frames round-trip through a shared buffer, the frames come back as aligned copies, and
 * a record too big for the buffer is refused with its size.
 */
import { describe, expect, it } from 'vitest';
import { decodeFrame, encodeFrame } from '../../../../src/main/bridge/frames.js';
import { readRecord, writeRecord } from '../../../../src/main/bridge/ioProtocol.js';

describe('writeRecord / readRecord', () => {
  const frames = [
    encodeFrame(
      { id: 1, op: 'step', args: {} },
      { actions: { data: Float32Array.from([1, 2, 3]), shape: [3] } },
    ),
    encodeFrame({ id: 2, op: 'ping', args: {} }),
  ];

  it('round-trips the JSON and the frames', () => {
    const data = new Uint8Array(new SharedArrayBuffer(4096));
    const meta = { op: 'step', deadlineMs: 1000, servers: [0, 1], ids: [1, 2] };
    const bytes = writeRecord(data, meta, frames);
    expect(bytes % 8).toBe(0);
    const back = readRecord(data, bytes);
    expect(back.json).toEqual(meta);
    expect(back.frames).toEqual(frames);
    expect(back.frames[0]!.buffer).not.toBe(data.buffer);
    expect(decodeFrame(back.frames[0]!).arrays.get('actions')!.data).toEqual(Float32Array.from([1, 2, 3]));
  });

  it('carries a failure without frames, and refuses a record that does not fit', () => {
    const data = new Uint8Array(64);
    const failure = { kind: 'timeout', message: 'step: no reply' };
    expect(readRecord(data, writeRecord(data, failure, []))).toEqual({ json: failure, frames: [] });
    const bytes = writeRecord(data, null, frames);
    expect(bytes).toBeLessThan(-64);
  });
});

/**
 * Frames of the bridge protocol (frames.ts): a round trip keeps the header and every dtype's
 * values; the header and each array are padded so arrays sit 8-byte aligned; a frame decoded at a
 * misaligned offset yields copies with the same values; a stream cut into many chunks gives back
 * the same frames; a length over the limit and a header that is not JSON are refused.
 */
import { describe, expect, it } from 'vitest';
import {
  decodeFrame,
  decodeFrameHeader,
  encodeFrame,
  FrameError,
  FrameReader,
  MAX_FRAME_BODY_BYTES,
} from '../../../../src/main/bridge/frames.js';

function sampleFrame(): Uint8Array {
  return encodeFrame(
    { id: 7, op: 'step', args: { note: 'héllo' } },
    {
      obs: { data: Float32Array.from([1.5, -2, 3.25]), shape: [1, 3] },
      rewards: { data: Float64Array.from([0.1, 1e300]), shape: [2] },
      ids: { data: Int32Array.from([-1, 2147483647, 5]), shape: [3] },
      active: { data: Uint8Array.from([1, 0, 1]), shape: [3] },
    },
  );
}

describe('encodeFrame / decodeFrame', () => {
  it('round-trips the header and arrays of every dtype', () => {
    const frame = sampleFrame();
    const { header, arrays } = decodeFrame(frame);
    expect(header).toEqual({ id: 7, op: 'step', args: { note: 'héllo' } });
    expect([...arrays.keys()]).toEqual(['obs', 'rewards', 'ids', 'active']);
    expect(arrays.get('obs')!.data).toEqual(Float32Array.from([1.5, -2, 3.25]));
    expect(arrays.get('obs')!.shape).toEqual([1, 3]);
    expect(arrays.get('rewards')!.data).toEqual(Float64Array.from([0.1, 1e300]));
    expect(arrays.get('ids')!.data).toEqual(Int32Array.from([-1, 2147483647, 5]));
    expect(arrays.get('active')!.data).toEqual(Uint8Array.from([1, 0, 1]));
  });

  it('pads the header with spaces and each array with zeros to multiples of 8', () => {
    const frame = sampleFrame();
    const view = new DataView(frame.buffer);
    expect(view.getUint32(0, true)).toBe(frame.length - 4);
    const headerLength = view.getUint32(4, true);
    expect((8 + headerLength) % 8).toBe(0);
    const text = new TextDecoder().decode(frame.subarray(8, 8 + headerLength));
    expect(text).toMatch(/^\{.*\} *$/);
    expect(JSON.parse(text).arrays).toEqual([
      { name: 'obs', dtype: 'float32', shape: [1, 3] },
      { name: 'rewards', dtype: 'float64', shape: [2] },
      { name: 'ids', dtype: 'int32', shape: [3] },
      { name: 'active', dtype: 'uint8', shape: [3] },
    ]);
    // 12 → 16, 16, 12 → 16, 3 → 8 bytes of arrays
    expect(frame.length).toBe(8 + headerLength + 16 + 16 + 16 + 8);
    expect([...frame.subarray(frame.length - 5)]).toEqual([0, 0, 0, 0, 0]);
  });

  it('gives aligned views into the frame, and copies when the frame sits misaligned', () => {
    const frame = sampleFrame();
    const aligned = decodeFrame(frame).arrays.get('rewards')!.data;
    expect(aligned.buffer).toBe(frame.buffer);
    expect(aligned.byteOffset % 8).toBe(0);

    const shifted = new Uint8Array(frame.length + 4);
    shifted.set(frame, 4);
    const { arrays } = decodeFrame(shifted.subarray(4));
    const rewards = arrays.get('rewards')!.data;
    expect(rewards.buffer).not.toBe(shifted.buffer);
    expect(rewards).toEqual(Float64Array.from([0.1, 1e300]));
    expect(arrays.get('obs')!.data).toEqual(Float32Array.from([1.5, -2, 3.25]));
  });

  it('writes no "arrays" entry for a frame without arrays, and handles empty arrays', () => {
    expect(decodeFrameHeader(encodeFrame({ id: 1, op: 'ping', args: {} }))).toEqual({
      id: 1,
      op: 'ping',
      args: {},
    });
    const empty = decodeFrame(encodeFrame({}, { state: { data: new Float32Array(0), shape: [4, 0] } }));
    expect(empty.arrays.get('state')!.data.length).toBe(0);
  });

  it('refuses an array whose length does not match its shape', () => {
    expect(() => encodeFrame({}, { x: { data: new Float32Array(5), shape: [2, 3] } })).toThrow(/5 values/);
  });

  it('refuses a header that is not a JSON object', () => {
    const frame = encodeFrame({ id: 1 });
    frame[8] = 0x21; // "!" instead of "{"
    expect(() => decodeFrameHeader(frame)).toThrow(FrameError);
    const list = new TextEncoder().encode('[1,2,3] ');
    const bad = new Uint8Array(8 + list.length);
    new DataView(bad.buffer).setUint32(0, bad.length - 4, true);
    new DataView(bad.buffer).setUint32(4, list.length, true);
    bad.set(list, 8);
    expect(() => decodeFrameHeader(bad)).toThrow(/not a JSON object/);
  });
});

describe('FrameReader', () => {
  it('reassembles frames cut into chunks of any size', () => {
    const frames = [sampleFrame(), encodeFrame({ id: 2, ok: true, result: {} }), sampleFrame()];
    const stream = new Uint8Array(frames.reduce((n, f) => n + f.length, 0));
    let at = 0;
    for (const f of frames) {
      stream.set(f, at);
      at += f.length;
    }
    for (const size of [1, 3, 7, 64, stream.length]) {
      const reader = new FrameReader();
      const out: Uint8Array[] = [];
      for (let i = 0; i < stream.length; i += size) {
        reader.push(stream.slice(i, i + size));
        for (let f = reader.next(); f !== null; f = reader.next()) out.push(f);
      }
      expect(out).toEqual(frames);
      expect(reader.pending).toBe(0);
      expect(decodeFrame(out[0]!).arrays.get('rewards')!.data).toEqual(Float64Array.from([0.1, 1e300]));
    }
  });

  it('refuses a frame announcing more than the limit as soon as its prefix arrives', () => {
    const reader = new FrameReader();
    const prefix = new Uint8Array(4);
    new DataView(prefix.buffer).setUint32(0, MAX_FRAME_BODY_BYTES + 1, true);
    reader.push(prefix.subarray(0, 2));
    expect(() => reader.push(prefix.subarray(2))).toThrow(/over the limit/);
    // text where a frame should be reads as a huge length
    expect(() => new FrameReader().push(new TextEncoder().encode('garbage'))).toThrow(FrameError);
  });

  it('honours a smaller limit', () => {
    const reader = new FrameReader(16);
    expect(() => reader.push(sampleFrame())).toThrow(/over the limit of 16/);
  });
});

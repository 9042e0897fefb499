/**
 * The API contract (src/shared/api/contract.ts) and its wire format (wire.ts): every call is
 * validated on the main side, unknown methods are refused by name, errors travel as data, and
 * byte arrays cross the WebSocket as they are.
 */
import { describe, expect, it } from 'vitest';
import {
  API_METHOD_NAMES,
  ApiError,
  type ApiHandlers,
  dispatchApiCall,
  isReplayPath,
  unwrapApiResult,
} from '../../../../src/shared/api/contract.js';
import { decodeWireMessage, encodeWireMessage } from '../../../../src/shared/api/wire.js';

// Only the replay methods: the calls below use no other (each feature's handlers have their own tests).
const handlers = {
  'app.info': async () => ({
    name: 'STEER Studio',
    version: '0.0.0',
    host: 'web',
    replayRoots: ['samples', 'runs'],
    replayFormatVersions: [1],
  }),
  'replays.list': async (request) => ({
    replays: [
      {
        path: `${request.root ?? 'samples'}/a.replay`,
        root: request.root ?? 'samples',
        fileBytes: 3,
        modifiedAt: '2026-11-25T00:00:00.000Z',
      },
    ],
    truncated: false,
  }),
  'replays.open': async (request) => ({
    path: request.path,
    fileBytes: 3,
    modifiedAt: '2026-11-25T00:00:00.000Z',
    bytes: Uint8Array.of(1, 2, 3),
  }),
} satisfies Partial<ApiHandlers> as unknown as ApiHandlers;

describe('API contract', () => {
  it('names the replay methods first', () => {
    expect(API_METHOD_NAMES.slice(0, 3)).toEqual(['app.info', 'replays.list', 'replays.open']);
  });

  it('runs a valid call and checks the response on both sides', async () => {
    const result = await dispatchApiCall(handlers, 'replays.open', { path: 'samples/replays/x.replay' });
    expect(result.ok).toBe(true);
    const response = unwrapApiResult('replays.open', result);
    expect(Array.from(response.bytes)).toEqual([1, 2, 3]);
  });

  it('refuses an unknown method by name, listing the methods', async () => {
    const result = await dispatchApiCall(handlers, 'fs.readFile', { path: '/etc/passwd' });
    expect(result).toEqual({
      ok: false,
      error: {
        code: 'unknown-method',
        message: `unknown method "fs.readFile"; the methods are ${API_METHOD_NAMES.join(', ')}`,
      },
    });
    // Inherited object keys are not methods either.
    const inherited = await dispatchApiCall(handlers, 'toString', {});
    expect(inherited.ok === false && inherited.error.code).toBe('unknown-method');
  });

  it('refuses a request that breaks its schema, saying where and what', async () => {
    const unknownField = await dispatchApiCall(handlers, 'app.info', { debug: true });
    expect(unknownField.ok === false && unknownField.error.code).toBe('invalid-request');
    const badRoot = await dispatchApiCall(handlers, 'replays.list', { root: 'etc' });
    expect(badRoot.ok === false && badRoot.error.message).toMatch(/^replays\.list: request\.root: /);
    const traversal = await dispatchApiCall(handlers, 'replays.open', {
      path: 'samples/../../etc/passwd.replay',
    });
    expect(traversal.ok === false && traversal.error.message).toMatch(
      /^replays\.open: request\.path: expected a path like "samples\/replays\/x\.replay"/,
    );
    expect(traversal.ok === false && traversal.error.issues).toEqual([
      { path: 'request.path', message: expect.stringContaining('no "." or ".." segments') },
    ]);
  });

  it('accepts only relative replay paths inside samples/ or runs/', () => {
    for (const good of ['samples/replays/a.replay', 'runs/demo/eval/ep-0.replay', 'runs/x.replay']) {
      expect(isReplayPath(good), good).toBe(true);
    }
    for (const bad of [
      '/etc/passwd.replay',
      'samples/../runs/a.replay',
      'samples/./a.replay',
      'scenarios/a.replay',
      'samples/a.json',
      'samples\\a.replay',
      'samples//a.replay',
      'samples/a.replay\0',
      'samples',
    ]) {
      expect(isReplayPath(bad), bad).toBe(false);
    }
  });

  it('turns a handler failure into error data, and a broken response into an internal error', async () => {
    const failing: ApiHandlers = {
      ...handlers,
      'replays.open': async () => {
        throw new ApiError('not-found', 'replays.open: samples/x.replay: no such file');
      },
      'replays.list': async () => ({ replays: 'nope' }) as never,
    };
    const missing = await dispatchApiCall(failing, 'replays.open', { path: 'samples/x.replay' });
    expect(missing).toEqual({
      ok: false,
      error: { code: 'not-found', message: 'replays.open: samples/x.replay: no such file' },
    });
    expect(() => unwrapApiResult('replays.open', missing)).toThrow(ApiError);
    const broken = await dispatchApiCall(failing, 'replays.list', {});
    expect(broken.ok === false && broken.error.code).toBe('internal');
    expect(broken.ok === false && broken.error.message).toMatch(
      /response breaks the contract: response\.replays/,
    );
  });
});

describe('wire format', () => {
  it('round-trips JSON with byte arrays (Node Buffers included) carried as bytes', () => {
    const value = {
      id: 7,
      result: { ok: true, response: { bytes: Uint8Array.of(9, 8, 7), more: [Buffer.from('hi')], n: 1.5 } },
    };
    const encoded = encodeWireMessage(value);
    // JSON first, then the 5 raw bytes at the end.
    expect(Array.from(encoded.subarray(encoded.length - 5))).toEqual([9, 8, 7, 0x68, 0x69]);
    const decoded = decodeWireMessage(encoded) as typeof value;
    expect(decoded.id).toBe(7);
    expect(decoded.result.response.bytes).toBeInstanceOf(Uint8Array);
    expect(Array.from(decoded.result.response.bytes)).toEqual([9, 8, 7]);
    expect(Array.from(decoded.result.response.more[0]!)).toEqual([0x68, 0x69]);
    expect(decoded.result.response.n).toBe(1.5);
  });

  it('refuses a message whose lengths do not fit, saying which', () => {
    expect(() => decodeWireMessage(Uint8Array.of(1))).toThrow(/expected at least 4 bytes, received 1/);
    expect(() => decodeWireMessage(Uint8Array.of(100, 0, 0, 0, 0x7b))).toThrow(
      /JSON length 100 runs past the end/,
    );
    const forged = encodeWireMessage({ x: { $bytes: [0, 99] } });
    expect(() => decodeWireMessage(forged)).toThrow(/byte array \[0, 99\] lies outside the 0 attached bytes/);
  });
});

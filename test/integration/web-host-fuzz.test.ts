/**
 * The browser host survives any client: a real `steer web` process with a training job running
 * gets over 1,000 malformed WebSocket frames and garbage messages, seeded. Every connection that
 * breaks the protocol is closed with the code RFC 6455 gives (1002, 1007, 1009); every message that
 * is well framed but not a call gets an error reply on a socket that stays open. Afterwards the
 * process is alive, answers calls, validates a scenario text near its size limit, and the job has
 * kept training.
 */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import { type ApiResult, unwrapApiResult } from '../../src/shared/api/contract.js';
import { MAX_SCENARIO_TEXT_CHARS } from '../../src/shared/api/scenarioMethods.js';
import { decodeWireMessage, encodeWireMessage, MAX_CALL_BYTES } from '../../src/shared/api/wire.js';
import { encodeFrame, type FrameSpec, OPCODE, RawWebSocket } from './rawWebSocket.js';
import { apiClient, startWebProcess, type WebProcess } from './webProcess.js';

const EASY_SCENARIO = new URL('../../scenarios/horm-easy.json', import.meta.url);

let web: WebProcess;
let port = 0;
let apiPath = '';

beforeAll(async () => {
  web = await startWebProcess('fuzz');
  port = web.port;
  apiPath = web.apiPath;
});

afterAll(async () => {
  await web?.dispose();
});

/** One malformed frame (or pair) and the close code the host must answer it with. */
interface BadCase {
  readonly name: string;
  readonly bytes: Buffer;
  readonly code: number;
}

const bytes = (n: number, rng: Rng) => Uint8Array.from({ length: n }, () => rng.int(256));

/** A close frame's payload: the code, then a reason. */
function closePayload(code: number): Uint8Array {
  const out = Buffer.alloc(2);
  out.writeUInt16BE(code);
  return out;
}

/** The kinds of malformed frames, each with the code RFC 6455 prescribes. */
const BAD_CASES: ((rng: Rng) => BadCase)[] = [
  () => ({
    name: 'message over the limit',
    bytes: encodeFrame({ opcode: OPCODE.binary, payload: new Uint8Array(MAX_CALL_BYTES + 1) }),
    code: 1009,
  }),
  (rng) => {
    const opcode = [3, 4, 5, 6, 7, 0xb, 0xc, 0xd, 0xe, 0xf][rng.int(10)]!;
    return {
      name: `opcode ${opcode}`,
      bytes: encodeFrame({ opcode, payload: bytes(rng.int(20), rng) }),
      code: 1002,
    };
  },
  (rng) => {
    const rsv = 1 + rng.int(7);
    return {
      name: `RSV ${rsv}`,
      bytes: encodeFrame({ opcode: OPCODE.binary, rsv, payload: bytes(8, rng) }),
      code: 1002,
    };
  },
  (rng) => ({
    name: 'unmasked',
    bytes: encodeFrame({ opcode: OPCODE.binary, masked: false, payload: bytes(1 + rng.int(40), rng) }),
    code: 1002,
  }),
  (rng) => {
    const invalid = [
      [0xff],
      [0xc3, 0x28],
      [0xed, 0xa0, 0x80],
      [0xf8, 0x88, 0x80, 0x80, 0x80],
      [0xe2, 0x28, 0xa1],
    ];
    const payload = Buffer.concat([
      Buffer.from('{"id":1,"method":"'),
      Buffer.from(invalid[rng.int(invalid.length)]!),
      Buffer.from('"}'),
    ]);
    return { name: 'invalid UTF-8 text', bytes: encodeFrame({ opcode: OPCODE.text, payload }), code: 1007 };
  },
  (rng) => {
    const code = [0, 999, 1004, 1005, 1006, 1015, 1016, 2000, 2999, 5000, 65535][rng.int(11)]!;
    return {
      name: `close code ${code}`,
      bytes: encodeFrame({ opcode: OPCODE.close, payload: closePayload(code) }),
      code: 1002,
    };
  },
  () => ({
    name: 'close frame of 1 byte',
    bytes: encodeFrame({ opcode: OPCODE.close, payload: Uint8Array.of(3) }),
    code: 1002,
  }),
  (rng) => ({
    name: 'ping over 125 bytes',
    bytes: encodeFrame({ opcode: OPCODE.ping, payload: bytes(126 + rng.int(200), rng) }),
    code: 1002,
  }),
  (rng) => ({
    name: 'fragmented ping',
    bytes: encodeFrame({ opcode: OPCODE.ping, fin: false, payload: bytes(rng.int(10), rng) }),
    code: 1002,
  }),
  (rng) => ({
    name: 'continuation without a start',
    bytes: encodeFrame({ opcode: OPCODE.continuation, payload: bytes(rng.int(30), rng) }),
    code: 1002,
  }),
  (rng) => {
    const first: FrameSpec = { opcode: OPCODE.binary, fin: false, payload: bytes(10, rng) };
    const second: FrameSpec = { opcode: OPCODE.text, payload: Buffer.from('x') };
    return {
      name: 'new message inside a fragmented one',
      bytes: Buffer.concat([encodeFrame(first), encodeFrame(second)]),
      code: 1002,
    };
  },
  (rng) => {
    // Fragments that add up past the limit: each is small, the message is not.
    const piece = new Uint8Array(1024 * 1024);
    const frames = [encodeFrame({ opcode: OPCODE.binary, fin: false, payload: piece })];
    for (let k = 1; k <= MAX_CALL_BYTES / piece.length; k++) {
      frames.push(
        encodeFrame({
          opcode: OPCODE.continuation,
          fin: k === MAX_CALL_BYTES / piece.length,
          payload: piece,
        }),
      );
    }
    rng.int(2);
    return { name: 'fragments over the limit', bytes: Buffer.concat(frames), code: 1009 };
  },
];

/** Sends one bad case on a fresh connection; the close code the host answered with. */
async function closeCodeFor(bad: BadCase): Promise<number | null> {
  const raw = await RawWebSocket.open(port, apiPath);
  try {
    raw.write(bad.bytes);
    return (await raw.outcome(5000)).closeCode;
  } finally {
    raw.destroy();
  }
}

describe('steer web under a fuzzing client', () => {
  it('closes every malformed connection with its code, answers garbage with errors, and keeps the host and its job alive', async () => {
    const api = await apiClient(web);
    const started = await api.call('jobs.start', {
      env: 'matrix:penalty0',
      backend: 'cpu',
      updates: 100_000,
      checkpointEvery: 100_000,
      config: { numEnvs: 2, episodeLength: 5, ppoEpochs: 1 }, // updates of a few tens of ms
    });
    const runId = unwrapApiResult('jobs.start', started).job.runId;
    const updateNow = async () => {
      const result = await api.call('jobs.list', {});
      const job = unwrapApiResult('jobs.list', result).jobs.find((j) => j.runId === runId)!;
      return job;
    };
    for (let k = 0; k < 600 && (await updateNow()).update < 1; k++)
      await new Promise((r) => setTimeout(r, 100));
    const before = await updateNow();
    expect(before.status).toBe('running');
    expect(before.update).toBeGreaterThanOrEqual(1);

    const rng = Rng.fromSeed(14);
    let frames = 0;

    // 1. The seven reported crashes, each once. 65537 zero bytes are no longer too long (a scenario
    // text near its limit needs more): they are a message that is not a call, answered with an error.
    const zeros = await RawWebSocket.open(port, apiPath);
    zeros.write(encodeFrame({ opcode: OPCODE.binary, payload: new Uint8Array(65537) }));
    const zerosReply = await zeros.nextMessage(10_000);
    expect(zerosReply).not.toBeNull();
    expect((decodeWireMessage(new Uint8Array(zerosReply!.payload)) as { result: ApiResult }).result.ok).toBe(
      false,
    );
    zeros.destroy();
    frames++;
    for (const bad of [0, 1, 2, 3, 4, 5].map((k) => BAD_CASES[k]!(rng))) {
      expect({ name: bad.name, code: await closeCodeFor(bad) }).toEqual({ name: bad.name, code: bad.code });
      frames++;
    }

    // 2. Malformed frames of every kind, seeded, several connections at a time.
    const cases: BadCase[] = [];
    for (let k = 0; k < 400; k++) {
      const kind = rng.int(BAD_CASES.length);
      // The two multi-megabyte cases are bounded: a handful of each is proof enough.
      if ((kind === 0 || kind === BAD_CASES.length - 1) && k % 40 !== 0) continue;
      cases.push(BAD_CASES[kind]!(rng));
    }
    for (let k = 0; k < cases.length; k += 16) {
      const batch = cases.slice(k, k + 16);
      const codes = await Promise.all(batch.map(closeCodeFor));
      expect(batch.map((bad, i) => `${bad.name}: ${codes[i]}`)).toEqual(
        batch.map((bad) => `${bad.name}: ${bad.code}`),
      );
      frames += batch.length;
    }

    // 3. Well-framed garbage on long-lived connections: random bytes, random text, random calls.
    const raw = await Promise.all([0, 1, 2, 3].map(() => RawWebSocket.open(port, apiPath)));
    const methods = [
      'jobs.start',
      'jobs.stop',
      'jobs.resume',
      'runs.evaluate',
      'sim.run',
      'replays.open',
      'scenarios.save',
      '__proto__',
      'constructor',
      '',
    ];
    for (let k = 0; k < 700; k++) {
      const socket = raw[k % raw.length]!;
      const pick = rng.int(4);
      let frame: Buffer;
      if (pick === 0) frame = encodeFrame({ opcode: OPCODE.binary, payload: bytes(rng.int(300), rng) });
      else if (pick === 1)
        frame = encodeFrame({
          opcode: OPCODE.text,
          payload: Buffer.from(`{"id": ${rng.int(9)}, "x": "${'é'.repeat(rng.int(50))}"}`),
        });
      else {
        const garbage = [
          null,
          -1,
          1e308,
          'x'.repeat(rng.int(500)),
          [1, 2],
          { runId: '../../etc' },
          { env: 'matrix:penalty0', config: { embedDim: 1e9 } },
          { path: 'runs/../x.replay' },
        ];
        const request =
          pick === 2 ? garbage[rng.int(garbage.length)] : { ...(garbage[rng.int(garbage.length)] as object) };
        frame = encodeFrame({
          opcode: OPCODE.binary,
          payload: encodeWireMessage({ id: k, method: methods[rng.int(methods.length)], request }),
        });
      }
      socket.write(frame);
      const reply = await socket.nextMessage(10_000);
      expect(reply, `garbage message ${k} (kind ${pick}) got no reply`).not.toBeNull();
      const result = (decodeWireMessage(new Uint8Array(reply!.payload)) as { result: ApiResult }).result;
      expect(result.ok, `garbage message ${k} (kind ${pick}) was accepted`).toBe(false);
      frames++;
    }
    for (const socket of raw) socket.destroy();
    expect(frames).toBeGreaterThanOrEqual(1000);

    // 4. The host is alive and whole: it answers, a large legitimate call works, the job trains on.
    expect(web.exited()).toBeNull();
    const after = await apiClient(web);
    expect(unwrapApiResult('app.info', await after.call('app.info', {})).name).toBe('STEER Studio');
    const easy = await readFile(EASY_SCENARIO, 'utf8');
    // Line breaks: legal JSON whitespace that doubles on the wire (each travels as "\n"); padded to
    // the scenario file limit in UTF-8 bytes, as a file on disk may be.
    const text = easy + '\n'.repeat(MAX_SCENARIO_TEXT_CHARS - Buffer.byteLength(easy));
    expect(Buffer.byteLength(text)).toBe(MAX_SCENARIO_TEXT_CHARS);
    const validated = unwrapApiResult('scenarios.validate', await after.call('scenarios.validate', { text }));
    expect(validated).toMatchObject({ ok: true, issues: [] });
    let job = await updateNow();
    for (let k = 0; k < 300 && job.update <= before.update; k++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      job = await updateNow();
    }
    expect(job.status).toBe('running');
    expect(job.update).toBeGreaterThan(before.update); // it trained on while being fuzzed
    after.close();
    api.close();
  });
});

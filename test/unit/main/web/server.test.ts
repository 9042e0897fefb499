/**
 * The browser host (src/main/web/server.ts): loopback only, static files with a strict CSP, and
 * the API over WebSocket behind the session token, with Host and Origin checked. Calls go through
 * the real wire format and contract, as the page makes them.
 */
import { copyFile, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { ReplayReader } from '../../../../src/core/replay/index.js';
import { startWebHost, type WebHost, WebHostError } from '../../../../src/main/web/server.js';
import { API_METHOD_NAMES, type ApiResult, unwrapApiResult } from '../../../../src/shared/api/contract.js';
import { decodeWireMessage, encodeWireMessage } from '../../../../src/shared/api/wire.js';

const SAMPLE = new URL('../../../../samples/replays/horm-hard-random-seed0.replay', import.meta.url);
const TOKEN = 'test-token-0123456789';

let dir: string;
let host: WebHost;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'steer-web-'));
  const project = join(dir, 'project');
  await mkdir(join(project, 'samples', 'replays'), { recursive: true });
  await mkdir(join(project, 'runs', 'demo'), { recursive: true });
  await copyFile(SAMPLE, join(project, 'samples', 'replays', 'sample.replay'));
  await copyFile(SAMPLE, join(project, 'runs', 'demo', 'eval.replay'));
  await writeFile(join(project, 'runs', 'demo', 'cut.replay'), (await readFile(SAMPLE)).subarray(0, 500));
  await writeFile(join(dir, 'outside.replay'), 'secret');
  await symlink(join(dir, 'outside.replay'), join(project, 'runs', 'escape.replay'));
  const site = join(dir, 'site');
  await mkdir(join(site, 'assets'), { recursive: true });
  await writeFile(join(site, 'index.html'), '<!doctype html><title>player</title>');
  await writeFile(join(site, 'assets', 'app.js'), 'console.log(1);');
  await writeFile(join(dir, 'private.txt'), 'not served');
  host = await startWebHost({ staticDir: site, projectRoot: project, version: '9.9.9', token: TOKEN });
});

afterAll(async () => {
  await host?.close();
  await rm(dir, { recursive: true, force: true });
});

/** A raw HTTP GET (no URL normalisation), with optional headers. */
function get(
  path: string,
  headers: Record<string, string> = {},
  method = 'GET',
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: host.port, path, method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString(),
        }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

/** Opens the API socket; resolves with the socket or the HTTP status that refused it. */
function connect(
  query: string,
  headers: Record<string, string> = {},
): Promise<{ socket: WebSocket } | { refused: number }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`ws://127.0.0.1:${host.port}/api${query}`, { headers });
    socket.on('open', () => resolve({ socket }));
    socket.on('unexpected-response', (_req, res) => {
      resolve({ refused: res.statusCode ?? 0 });
      res.resume();
    });
    socket.on('error', reject);
  });
}

/** One call over an open socket: the raw result envelope. */
function call(socket: WebSocket, method: string, requestBody: unknown, id = 1): Promise<ApiResult> {
  return new Promise((resolve) => {
    socket.once('message', (data: Buffer) => {
      const reply = decodeWireMessage(new Uint8Array(data)) as { id: number; result: ApiResult };
      expect(reply.id).toBe(id);
      resolve(reply.result);
    });
    socket.send(encodeWireMessage({ id, method, request: requestBody }));
  });
}

describe('web host: binding', () => {
  it('refuses non-loopback addresses, naming the address', async () => {
    for (const address of ['0.0.0.0', '192.168.1.20', '::', 'example.org']) {
      await expect(
        startWebHost({ staticDir: dir, projectRoot: dir, version: 'x', host: address }),
      ).rejects.toThrow(
        new RegExp(`refusing to listen on ${address.replace(/\./g, '\\.')}: expected a loopback address`),
      );
    }
    await expect(
      startWebHost({ staticDir: dir, projectRoot: dir, version: 'x', host: '0.0.0.0' }),
    ).rejects.toBeInstanceOf(WebHostError);
  });

  it('listens on 127.0.0.1 with a free port and prints a URL carrying the token', () => {
    expect(host.port).toBeGreaterThan(0);
    expect(host.url).toBe(`http://127.0.0.1:${host.port}/?token=${TOKEN}`);
  });

  it('makes a long random token per session by default', async () => {
    const a = await startWebHost({ staticDir: dir, projectRoot: dir, version: 'x' });
    const b = await startWebHost({ staticDir: dir, projectRoot: dir, version: 'x' });
    expect(a.token).toMatch(/^[0-9a-f]{64}$/);
    expect(a.token).not.toBe(b.token);
    await a.close();
    await b.close();
  });
});

describe('web host: static files', () => {
  it('serves index.html with a strict CSP and no referrer', async () => {
    const page = await get('/?token=x');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['content-security-policy']).toContain(
      `connect-src 'self' ws://127.0.0.1:${host.port}/api`,
    );
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    const script = await get('/assets/app.js');
    expect(script.status).toBe(200);
    expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8');
  });

  it('never serves outside the build folder', async () => {
    for (const path of [
      '/../private.txt',
      '/%2e%2e/private.txt',
      '/assets/%2e%2e/%2e%2e/private.txt',
      '/%00',
    ]) {
      const response = await get(path);
      expect(response.status, path).toBe(404);
      expect(response.body).not.toContain('not served');
    }
  });

  it('answers only GET and HEAD, and only for its own Host (no DNS rebinding)', async () => {
    expect((await get('/', {}, 'POST')).status).toBe(405);
    expect((await get('/', {}, 'HEAD')).status).toBe(200);
    const rebound = await get('/', { host: `evil.example:${host.port}` });
    expect(rebound.status).toBe(403);
    expect((await get('/', { host: `localhost:${host.port}` })).status).toBe(200);
  });

  it('says how to build the renderer when it is missing', async () => {
    const bare = await startWebHost({ staticDir: join(dir, 'nothing'), projectRoot: dir, version: 'x' });
    const response = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      request({ host: '127.0.0.1', port: bare.port, path: '/' }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => {
          body += c.toString();
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      })
        .on('error', reject)
        .end();
    });
    await bare.close();
    expect(response.status).toBe(503);
    expect(response.body).toContain('npm run build:renderer');
  });
});

describe('web host: API socket', () => {
  it('refuses a missing or wrong token with HTTP 401, a foreign Origin with 403', async () => {
    expect(await connect('')).toEqual({ refused: 401 });
    expect(await connect('?token=wrong')).toEqual({ refused: 401 });
    expect(await connect(`?token=${TOKEN}x`)).toEqual({ refused: 401 });
    expect(await connect(`?token=${TOKEN}`, { origin: 'https://evil.example' })).toEqual({ refused: 403 });
  });

  it('answers app.info, lists replays with summaries and serves a replay’s bytes', async () => {
    const connection = await connect(`?token=${TOKEN}`, { origin: host.origin });
    if (!('socket' in connection)) throw new Error(`refused: ${connection.refused}`);
    const { socket } = connection;
    try {
      const info = unwrapApiResult('app.info', await call(socket, 'app.info', {}));
      expect(info).toEqual({
        name: 'STEER Studio',
        version: '9.9.9',
        host: 'web',
        replayRoots: ['samples', 'runs'],
        replayFormatVersions: [1, 2],
      });

      const list = unwrapApiResult('replays.list', await call(socket, 'replays.list', {}, 2));
      expect(list.truncated).toBe(false);
      expect(list.replays.map((r) => r.path)).toEqual([
        'samples/replays/sample.replay',
        'runs/demo/cut.replay',
        'runs/demo/eval.replay',
      ]); // the symlinked runs/escape.replay is not listed (and not opened, below)
      const sample = list.replays[0]!;
      expect(sample.summary).toEqual({
        env: 'horm:density-3',
        scenario: 'HORM hard',
        seed: 0,
        model: 'random',
        agents: 4,
        steps: 100,
        frames: 101,
        crashed: false,
      });
      expect(list.replays[1]!.summary).toBeUndefined();
      expect(list.replays[1]!.error).toMatch(/^truncated replay: /);
      const runsOnly = unwrapApiResult(
        'replays.list',
        await call(socket, 'replays.list', { root: 'runs' }, 3),
      );
      expect(runsOnly.replays.every((r) => r.root === 'runs')).toBe(true);

      const opened = unwrapApiResult(
        'replays.open',
        await call(socket, 'replays.open', { path: 'samples/replays/sample.replay' }, 4),
      );
      const onDisk = new Uint8Array(await readFile(SAMPLE));
      expect(opened.fileBytes).toBe(onDisk.length);
      expect(Buffer.from(opened.bytes).equals(Buffer.from(onDisk))).toBe(true);
      expect(ReplayReader.open(opened.bytes).frameCount).toBe(101);
    } finally {
      socket.close();
    }
  });

  it('refuses unknown methods by name, bad paths, escapes through symlinks and missing files', async () => {
    const connection = await connect(`?token=${TOKEN}`);
    if (!('socket' in connection)) throw new Error(`refused: ${connection.refused}`);
    const { socket } = connection;
    try {
      const unknown = await call(socket, 'shell.exec', { command: 'id' });
      expect(unknown.ok === false && unknown.error).toEqual({
        code: 'unknown-method',
        message: `unknown method "shell.exec"; the methods are ${API_METHOD_NAMES.join(', ')}`,
      });
      const traversal = await call(socket, 'replays.open', { path: 'runs/../../outside.replay' }, 2);
      expect(traversal.ok === false && traversal.error.code).toBe('invalid-request');
      const escaped = await call(socket, 'replays.open', { path: 'runs/escape.replay' }, 3);
      expect(escaped.ok === false && escaped.error).toEqual({
        code: 'refused',
        message: 'replays.open: runs/escape.replay: expected a file inside runs/, the real path leaves it',
      });
      const missing = await call(socket, 'replays.open', { path: 'runs/none.replay' }, 4);
      expect(missing.ok === false && missing.error.code).toBe('not-found');
      // Not the wire format at all: an error reply, and the connection stays usable.
      const text = await new Promise<ApiResult>((resolve) => {
        socket.once('message', (data: Buffer) =>
          resolve((decodeWireMessage(new Uint8Array(data)) as { result: ApiResult }).result),
        );
        socket.send('{"id": 1, "method": "app.info"}');
      });
      expect(text.ok === false && text.error.code).toBe('invalid-request');
      expect((await call(socket, 'app.info', {}, 5)).ok).toBe(true);
    } finally {
      socket.close();
    }
  });
});

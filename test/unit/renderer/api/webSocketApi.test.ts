/**
 * The window's WebSocket client (src/renderer/api/webSocketApi.ts) against the real browser host:
 * a call larger than the host reads is refused before it is sent, saying how large it is, so the
 * connection is not closed under the page; calls up to the limit go through.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket as NodeWebSocket } from 'ws';
import { startWebHost, type WebHost } from '../../../../src/main/web/server.js';
import { connectWebSocketApi } from '../../../../src/renderer/api/webSocketApi.js';
import { MAX_CALL_BYTES } from '../../../../src/shared/api/wire.js';

let dir: string;
let host: WebHost;

beforeAll(async () => {
  // Node 20 has no WebSocket global; ws's class has the browser's event API.
  (globalThis as { WebSocket?: unknown }).WebSocket ??= NodeWebSocket;
  dir = await mkdtemp(join(tmpdir(), 'steer-wsapi-'));
  await mkdir(join(dir, 'site'));
  await writeFile(join(dir, 'site', 'index.html'), '<!doctype html>');
  host = await startWebHost({ staticDir: join(dir, 'site'), projectRoot: dir, version: '1.0.0' });
});

afterAll(async () => {
  await host?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('connectWebSocketApi', () => {
  it('refuses a call over MAX_CALL_BYTES before sending it, and the connection stays usable', async () => {
    const api = await connectWebSocketApi(`ws://127.0.0.1:${host.port}/api?token=${host.token}`);
    try {
      const text = 'x'.repeat(MAX_CALL_BYTES);
      await expect(api.call('scenarios.validate', { text })).rejects.toMatchObject({
        code: 'invalid-request',
        message: expect.stringMatching(
          /^scenarios\.validate: the request is \d+ bytes; the host reads at most 8388608$/,
        ),
      });
      expect((await api.call('app.info', {})).version).toBe('1.0.0');
      const validated = await api.call('scenarios.validate', { text: '{"version": 1}' });
      expect(validated.ok).toBe(false); // a real answer about the scenario, over the same connection
    } finally {
      api.close();
    }
  });
});

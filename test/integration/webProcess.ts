/**
 * A real `steer web` process on a temporary project, for tests that must see the host as users
 * run it (its own process, signals, crashes): started on a free port, with an API client.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WebSocket } from 'ws';
import type { ApiResult } from '../../src/shared/api/contract.js';
import { decodeWireMessage, encodeWireMessage } from '../../src/shared/api/wire.js';

const STEER_BIN = fileURLToPath(new URL('../../bin/steer.js', import.meta.url));

/** A running `steer web`. */
export interface WebProcess {
  readonly child: ChildProcess;
  readonly port: number;
  /** `/api?token=…` */
  readonly apiPath: string;
  /** Why the process ended (code, signal, the tail of its stderr), or null while it runs. */
  exited(): string | null;
  /** Resolves with the exit code and signal once the process has ended. */
  readonly exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Kills the process if it still runs and removes its folder. */
  dispose(): Promise<void>;
}

/** Starts `steer web` on a new temporary project folder; resolves once it printed its URL. */
export async function startWebProcess(label: string): Promise<WebProcess> {
  const dir = await mkdtemp(join(tmpdir(), `steer-${label}-`));
  await mkdir(join(dir, 'site'));
  await writeFile(join(dir, 'site', 'index.html'), '<!doctype html><title>app</title>');
  await mkdir(join(dir, 'project'));
  const child = spawn(
    process.execPath,
    [STEER_BIN, 'web', '--static', join(dir, 'site'), '--root', join(dir, 'project'), '--port', '0'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  let ended: string | null = null;
  child.stdout!.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => {
      ended = `steer web exited (code ${code}, signal ${signal}): ${stderr.slice(-2000)}`;
      resolve({ code, signal });
    }),
  );
  const url = /http:\/\/127\.0\.0\.1:(\d+)\/\?token=([0-9a-f]{64})/;
  const deadline = Date.now() + 60_000;
  while (!url.test(stdout) && ended === null && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const match = url.exec(stdout);
  if (match === null) throw new Error(`steer web printed no URL: ${stdout} ${stderr} ${ended ?? ''}`);
  return {
    child,
    port: Number(match[1]),
    apiPath: `/api?token=${match[2]}`,
    exited: () => ended,
    exit,
    dispose: async () => {
      if (ended === null) {
        child.kill('SIGKILL');
        await exit;
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** An API client of the real protocol on `web`. */
export async function apiClient(
  web: WebProcess,
): Promise<{ call: (method: string, request: unknown) => Promise<ApiResult>; close(): void }> {
  const socket = new WebSocket(`ws://127.0.0.1:${web.port}${web.apiPath}`);
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  let nextId = 1;
  const pending = new Map<number, (result: ApiResult) => void>();
  socket.on('message', (data: Buffer) => {
    const reply = decodeWireMessage(new Uint8Array(data)) as { id: number; result: ApiResult };
    pending.get(reply.id)?.(reply.result);
    pending.delete(reply.id);
  });
  return {
    call: (method, request) =>
      new Promise((resolve) => {
        const id = nextId++;
        pending.set(id, resolve);
        socket.send(encodeWireMessage({ id, method, request }));
      }),
    close: () => socket.close(),
  };
}

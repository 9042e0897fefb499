/**
 * A private redis-server on a free loopback port, with its files in a folder of the caller: what
 * the queue tests (test/integration/) and `steer sweep bench` (src/main/bench/sweepBench.ts) run a
 * queue on. Debian's package (`apt-get install redis-server`); the append-only file on
 * (`--appendonly yes --appendfsync always`, RDB snapshots off), so a stop and a start on the same
 * folder keep every job, as a production Redis with persistence does. Without the binary, `start`
 * fails and says how to install it.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';

/** Where Debian installs redis-server (`REDIS_SERVER` overrides it). */
export const REDIS_SERVER = process.env.REDIS_SERVER ?? '/usr/bin/redis-server';

/** A free TCP port on 127.0.0.1 (the OS picks it; it is closed again before returning). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** A redis-server its caller controls (bound to 127.0.0.1 only). */
export class RedisServer {
  private process: ChildProcess | null = null;
  private output = '';

  private constructor(
    readonly port: number,
    readonly dir: string,
    private readonly binary: string,
  ) {}

  /**
   * Starts a server with its files in `dir` (`binary`: default REDIS_SERVER); fails clearly when
   * redis-server is not installed.
   */
  static async start(dir: string, binary = REDIS_SERVER): Promise<RedisServer> {
    if (!existsSync(binary)) {
      throw new Error(
        `${binary} not found: a private queue needs Debian's redis-server ` +
          '(apt-get install -y redis-server, as .ci/run does), or REDIS_SERVER=<path>',
      );
    }
    const server = new RedisServer(await freePort(), dir, binary);
    await server.resume();
    return server;
  }

  /** The queue address of this server. */
  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Starts the server again on the same port and folder (after `stop`). */
  async resume(): Promise<void> {
    if (this.process !== null) throw new Error('redis-server is already running');
    const args = ['--port', String(this.port), '--bind', '127.0.0.1', '--dir', this.dir, '--save', ''];
    args.push('--appendonly', 'yes', '--appendfsync', 'always', '--protected-mode', 'no');
    const child = spawn(this.binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.process = child;
    this.output = '';
    const collect = (chunk: Buffer) => {
      this.output += chunk.toString();
    };
    child.stdout!.on('data', collect);
    child.stderr!.on('data', collect);
    const deadline = Date.now() + 20_000;
    while (!/Ready to accept connections/.test(this.output)) {
      if (child.exitCode !== null) throw new Error(`redis-server exited: ${this.output.slice(-500)}`);
      if (Date.now() > deadline) throw new Error(`redis-server did not start: ${this.output.slice(-500)}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** Stops the server as an operator does (SIGTERM: it flushes the append-only file and exits). */
  async stop(): Promise<void> {
    const child = this.process;
    if (child === null) return;
    this.process = null;
    if (child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }

  /** Kills the server at once (the end of a test, or of a bench after an error). */
  kill(): void {
    this.process?.kill('SIGKILL');
    this.process = null;
  }
}

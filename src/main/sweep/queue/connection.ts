/**
 * The connection to the queue's Redis. Opening it is bounded: a Redis that cannot be reached within
 * `connectMs` (refused, unknown host, no answer) is one QueueError naming the address, never a hang.
 * Once open, the client reconnects by itself (ioredis' retry strategy, for ever) and commands wait
 * for it (`maxRetriesPerRequest: null`, which BullMQ's workers require): a Redis restarted under a
 * running sweep or worker is picked up again, and the lost and regained connection are reported
 * once each, not once per retry.
 */
import { Redis } from 'ioredis';
import type { QueueAddress } from './queueAddress.js';
import { QueueError } from './queueError.js';

/** How long opening the connection may take by default [ms]. */
export const DEFAULT_CONNECT_MS = 5000;

/** How the connection is opened. */
export interface ConnectOptions {
  /** Give up opening it after this long [ms]. */
  readonly connectMs?: number;
  /** Fail a command that has no answer after this long [ms] (`steer sweep status`); default: wait. */
  readonly commandMs?: number;
  /** Lines for the user (lost and regained connection). */
  readonly log?: (line: string) => void;
}

/** Opens a connection to `address` (see the header). */
export async function connectRedis(address: QueueAddress, options: ConnectOptions = {}): Promise<Redis> {
  const connectMs = options.connectMs ?? DEFAULT_CONNECT_MS;
  const client = new Redis(address.url, {
    lazyConnect: true,
    connectTimeout: connectMs,
    maxRetriesPerRequest: null,
    ...(options.commandMs !== undefined && { commandTimeout: options.commandMs }),
  });
  let lastError: string | null = null;
  const onError = (error: Error) => {
    lastError = error.message;
  };
  client.on('error', onError);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${connectMs / 1000} s`)), connectMs);
  });
  try {
    await Promise.race([client.connect(), timeout]);
  } catch (error) {
    client.disconnect();
    throw new QueueError(`cannot reach Redis at ${address.label}: ${lastError ?? (error as Error).message}`);
  } finally {
    clearTimeout(timer);
    client.off('error', onError);
  }
  reportConnection(client, address, options.log ?? (() => {}));
  return client;
}

/** Reports a lost connection once (until it is back) and its return. */
function reportConnection(client: Redis, address: QueueAddress, log: (line: string) => void): void {
  let lost = false;
  client.on('error', (error: Error) => {
    if (lost) return;
    lost = true;
    log(`lost the connection to Redis at ${address.label}: ${error.message}; retrying`);
  });
  client.on('ready', () => {
    if (!lost) return;
    lost = false;
    log(`connected to Redis at ${address.label} again`);
  });
}

/** Closes `client`, politely (QUIT) if it can within a second, else at once. */
export async function closeRedis(client: Redis): Promise<void> {
  if (client.status === 'end') return;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, 1000);
  });
  try {
    await Promise.race([client.quit().then(() => undefined), late]);
  } catch {
    // already closing or closed
  } finally {
    clearTimeout(timer);
    client.disconnect();
  }
}

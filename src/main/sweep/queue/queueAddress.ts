/**
 * The `--queue` address: a Redis URL, `redis://[user:password@]host[:port][/db]` (or `rediss://`
 * for TLS), as ioredis reads it. Messages, the status file and the worker's banner name it by its
 * label, the same URL without the password, so a credential never reaches a log or a file.
 */
import { QueueError } from './queueError.js';

/** A parsed `--queue` address. */
export interface QueueAddress {
  /** The URL as given, for the Redis client. */
  readonly url: string;
  /** The URL without a password (`redis://host:6379`), for messages and files. */
  readonly label: string;
}

/** The Redis port a URL without one means. */
const DEFAULT_REDIS_PORT = 6379;

/** Parses `text`; a QueueError says what was expected and what was found. */
export function parseQueueAddress(text: string): QueueAddress {
  const expected = 'expected a Redis URL such as redis://host:6379';
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new QueueError(`--queue: ${expected}, received ${JSON.stringify(text)}`);
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
    throw new QueueError(`--queue: ${expected}, received the scheme "${url.protocol.slice(0, -1)}"`);
  }
  if (url.hostname === '') throw new QueueError(`--queue: ${expected}, received no host`);
  const db = url.pathname.replace(/^\//, '');
  if (db !== '' && !/^[0-9]{1,2}$/.test(db)) {
    throw new QueueError(`--queue: expected a database number after the host (/0 … /15), received "/${db}"`);
  }
  const user = url.username === '' ? '' : `${url.username}@`;
  const port = url.port === '' ? DEFAULT_REDIS_PORT : Number(url.port);
  const label = `${url.protocol}//${user}${url.hostname}:${port}${db === '' ? '' : `/${db}`}`;
  return { url: text, label };
}

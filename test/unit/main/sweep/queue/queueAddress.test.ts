/**
 * The `--queue` address: Redis URLs are taken as given for the client, and named everywhere else by
 * a label without the password; anything else is refused saying what was expected.
 */
import { describe, expect, it } from 'vitest';
import { parseQueueAddress } from '../../../../../src/main/sweep/queue/index.js';

describe('parseQueueAddress', () => {
  it('keeps the URL for the client and labels it with its port and database, never its password', () => {
    expect(parseQueueAddress('redis://queue.local')).toEqual({
      url: 'redis://queue.local',
      label: 'redis://queue.local:6379',
    });
    expect(parseQueueAddress('rediss://steer:s3cret@10.0.0.5:6380/2')).toEqual({
      url: 'rediss://steer:s3cret@10.0.0.5:6380/2',
      label: 'rediss://steer@10.0.0.5:6380/2',
    });
    expect(parseQueueAddress('redis://:s3cret@[::1]:7000').label).toBe('redis://[::1]:7000');
  });

  it('refuses what is not a Redis URL, saying what was expected and what was found', () => {
    expect(() => parseQueueAddress('localhost:6379')).toThrow(
      '--queue: expected a Redis URL such as redis://host:6379, received the scheme "localhost"',
    );
    expect(() => parseQueueAddress('http://queue.local')).toThrow('received the scheme "http"');
    expect(() => parseQueueAddress('no url')).toThrow('received "no url"');
    expect(() => parseQueueAddress('redis://host/queue')).toThrow(
      '--queue: expected a database number after the host (/0 … /15), received "/queue"',
    );
  });
});

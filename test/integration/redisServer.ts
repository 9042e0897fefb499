/**
 * A real redis-server for the queue tests: the private server of src/main/sweep/queue/redisServer.ts
 * (Debian's package, as .ci/run installs it; a free loopback port, the append-only file on). A test
 * without the binary fails and says how to install it; nothing is skipped.
 */
export { freePort, REDIS_SERVER, RedisServer } from '../../src/main/sweep/queue/redisServer.js';

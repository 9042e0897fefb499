/**
 * What this thread has open of the bridge: the batches (so that training can ask whether a server
 * died between calls) and their servers' process ids (killed if the process exits first, so that no
 * server outlives it even when a batch was never closed).
 */

/** A batch as far as the registry needs it. */
export interface LiveBatch {
  /** Throws (closing the batch) when one of its servers died between calls. */
  assertAlive(): void;
}

/** The batches open in this thread (bridgeBatch.ts adds and removes them). */
export const openBatches = new Set<LiveBatch>();

/**
 * Throws the BridgeError of a server of any open batch that died between calls (an evaluation
 * env's, idle for many updates): training checks after each update, so such a death stops it at
 * once. The worker's news arrives when this thread's event loop runs (between updates).
 */
export function assertBridgesAlive(): void {
  for (const batch of openBatches) batch.assertAlive();
}

/** Process ids of every server of every open batch, killed if the process exits first. */
export const livePids = new Set<number>();
let exitHookInstalled = false;

/** Adds `pids` to the servers killed at exit. */
export function watchPids(pids: readonly number[]): void {
  for (const pid of pids) livePids.add(pid);
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const pid of livePids) killQuietly(pid);
  });
}

/** SIGKILL to `pid`, if it still exists. */
export function killQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

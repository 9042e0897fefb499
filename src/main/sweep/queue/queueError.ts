/**
 * What the queue pieces throw for a problem the user can act on (an unreachable Redis, a bad
 * `--queue` address, a job of another code version): one line that names the queue by its address
 * without credentials. The commands print it as it is.
 */

/** A queue problem, one line. */
export class QueueError extends Error {
  override readonly name = 'QueueError';
}

/**
 * A run folder's lease: `<run folder>.lease.json` beside the folder, saying which worker trains
 * the run and until when. BullMQ's job lock already gives a run to one worker at a time; the lease
 * is the second guard, kept where the run's files are (the shared run store), for when the lock
 * fails: Redis lost or restarted with the lock gone, a worker cut off from Redis that still trains.
 * A worker trains a run only while it holds its lease, renews it every third of its term, and
 * kills its training child (no save) the moment the lease is lost, so two processes never write one
 * run folder.
 *
 * Taken with an exclusive create (a hard link: atomic on local and network file systems); an
 * expired or damaged lease is broken by renaming it aside and checking that the file moved is the
 * one found expired (else it is put back). Terms are wall-clock times: the workers' clocks must
 * agree to well within a term (NTP). Writes are atomic (io/atomicWrite.ts).
 */
import { randomUUID } from 'node:crypto';
import { readFile, rename, rm } from 'node:fs/promises';
import { z } from 'zod';
import { writeFileAtomic, writeFileAtomicExclusive } from '../../io/atomicWrite.js';

/** Schema of a lease file. */
export const RunLeaseSchema = z.strictObject({
  kind: z.literal('steer-run-lease'),
  /** The run's id. */
  run: z.string(),
  /** Random token of this holding: a renewal checks that the file still carries it. */
  owner: z.string().min(1),
  /** Who holds it, for messages ("steer worker, process 4242 on node-a"). */
  holder: z.string(),
  acquiredAt: z.string(),
  /** ISO 8601 end of the term; after it anyone may break the lease. */
  expiresAt: z.string(),
});

/** The contents of a lease file. */
export type RunLeaseFile = z.infer<typeof RunLeaseSchema>;

/** Who asks for a lease. */
export interface LeaseClaim {
  /** The run's id. */
  readonly run: string;
  /** Who, for messages. */
  readonly holder: string;
  /** The term [ms]. */
  readonly termMs: number;
  /** Wall clock [ms since the epoch]; injected for tests. */
  readonly now?: () => number;
}

/** The lease path of the run folder `runDir`. */
export function runLeasePath(runDir: string): string {
  return `${runDir.replace(/[/\\]+$/, '')}.lease.json`;
}

/** A lease file could not be read or written (a full or read-only run store). */
export class LeaseError extends Error {
  override readonly name = 'LeaseError';
}

/** The lease was taken, or another holds it until `retryAt` [ms since the epoch]. */
export type LeaseAttempt =
  | { readonly ok: true; readonly lease: RunLease }
  | { readonly ok: false; readonly holder: string; readonly retryAt: number };

/** The text of the lease at `path`, or null when there is none. */
async function readLeaseText(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new LeaseError(`cannot read the lease ${path}: ${(error as Error).message}`);
  }
}

/** The lease in `text`, or null when it is damaged. */
function parseLease(text: string): RunLeaseFile | null {
  try {
    const parsed = RunLeaseSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/**
 * Renames the lease at `path` aside and removes it, if it is still the text `seen` (expired or
 * damaged); true when broken. A lease renewed or replaced in between is put back, and false.
 */
async function breakLease(path: string, seen: string, owner: string): Promise<boolean> {
  const aside = `${path}.broken-${owner}`;
  try {
    await rename(path, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return true; // someone broke it first
    throw new LeaseError(`cannot break the expired lease ${path}: ${(error as Error).message}`);
  }
  const moved = await readLeaseText(aside);
  if (moved !== seen && moved !== null) {
    await writeFileAtomicExclusive(path, moved).catch(() => {}); // a live lease: put it back
    await rm(aside, { force: true });
    return false;
  }
  await rm(aside, { force: true });
  return true;
}

/** Takes the lease at `path` for `claim`, breaking an expired or damaged one (see the header). */
export async function acquireRunLease(path: string, claim: LeaseClaim): Promise<LeaseAttempt> {
  const now = claim.now ?? Date.now;
  for (let attempt = 0; attempt < 3; attempt++) {
    const owner = randomUUID();
    const lease: RunLeaseFile = {
      kind: 'steer-run-lease',
      run: claim.run,
      owner,
      holder: claim.holder,
      acquiredAt: new Date(now()).toISOString(),
      expiresAt: new Date(now() + claim.termMs).toISOString(),
    };
    try {
      await writeFileAtomicExclusive(path, `${JSON.stringify(lease, null, 2)}\n`);
      return { ok: true, lease: new RunLease(path, lease, claim.termMs, now) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new LeaseError(`cannot write the lease ${path}: ${(error as Error).message}`);
      }
    }
    const seen = await readLeaseText(path);
    if (seen === null) continue; // released in between
    const current = parseLease(seen);
    if (current !== null && Date.parse(current.expiresAt) > now()) {
      return { ok: false, holder: current.holder, retryAt: Date.parse(current.expiresAt) };
    }
    if (!(await breakLease(path, seen, owner))) break;
  }
  return { ok: false, holder: 'another worker', retryAt: now() + claim.termMs };
}

/** A lease held by this process: renew it within its term, release it when done. */
export class RunLease {
  private term: RunLeaseFile;
  /** Why it was lost; null while held. */
  private lostBecause: string | null = null;

  constructor(
    readonly path: string,
    lease: RunLeaseFile,
    readonly termMs: number,
    private readonly now: () => number,
  ) {
    this.term = lease;
  }

  /** The end of the current term [ms since the epoch]. */
  get expiresAt(): number {
    return Date.parse(this.term.expiresAt);
  }

  /** Why the lease was lost, or null while it is held. */
  get lost(): string | null {
    return this.lostBecause;
  }

  /**
   * Extends the term; false once the lease is lost: its term ended before this renewal, or the file
   * is gone or names another holder. A file that cannot be read or written throws a LeaseError
   * (the lease is still held until its term ends: try again before).
   */
  async renew(): Promise<boolean> {
    if (this.lostBecause !== null) return false;
    if (this.now() >= this.expiresAt)
      return this.lose(`its term ended at ${this.term.expiresAt} before it was renewed`);
    const text = await readLeaseText(this.path);
    const current = text === null ? null : parseLease(text);
    if (current?.owner !== this.term.owner) {
      return this.lose(current === null ? 'its file is gone' : `${current.holder} holds it now`);
    }
    const renewed = { ...this.term, expiresAt: new Date(this.now() + this.termMs).toISOString() };
    try {
      await writeFileAtomic(this.path, `${JSON.stringify(renewed, null, 2)}\n`);
    } catch (error) {
      throw new LeaseError(`cannot renew the lease ${this.path}: ${(error as Error).message}`);
    }
    this.term = renewed;
    return true;
  }

  /**
   * Removes the lease file if it is still this holding's and within its term (an expired one may
   * have been broken and taken in the meantime: it is left to the next taker); never throws.
   */
  async release(): Promise<void> {
    try {
      const text = await readLeaseText(this.path);
      const mine = text !== null && parseLease(text)?.owner === this.term.owner;
      if (mine && this.now() < this.expiresAt) await rm(this.path, { force: true });
    } catch {
      // a lease left behind expires at the end of its term
    }
  }

  private lose(reason: string): false {
    this.lostBecause = `lost the lease ${this.path}: ${reason}`;
    return false;
  }
}

/**
 * Training never keeps the process alive on its own (job workers are unreferenced), so when the
 * process is about to exit (`steer web` after Ctrl-C closed the host) one `beforeExit` listener asks
 * every service that has jobs to stop them, and they hold the process until each has ended.
 */

/** Something with jobs to stop when the process is about to exit. */
export interface StoppableAtExit {
  /** Asks every running job to stop and keeps the process alive until each has ended. */
  stopAllForExit(): void;
}

const registered = new Set<StoppableAtExit>();
let hookInstalled = false;

/** Stops `service`'s jobs when the process is about to exit (until `forget`). */
export function stopAtExit(service: StoppableAtExit): void {
  registered.add(service);
  if (hookInstalled) return;
  hookInstalled = true;
  process.on('beforeExit', () => {
    for (const each of registered) each.stopAllForExit();
  });
}

/** `service` has no jobs left to stop. */
export function forgetAtExit(service: StoppableAtExit): void {
  registered.delete(service);
}

/**
 * What the player's toolbar and status lines say: the replay list's entries, the status line
 * after an opening or during a live run, an opening's error, and the frame-time readout. Pure:
 * data in, strings and plain objects out, no DOM.
 */
import type { ApiResponse, ReplayEntry } from '../../shared/api/contract.js';
import type { RenderPath } from '../scene/playerScene.js';
import { formatBytes, formatNumber } from '../ui/format.js';

/** One option of the replay list. */
export interface ReplayOption {
  readonly text: string;
  /** The entry's path; '' for lines that open nothing. */
  readonly value: string;
  readonly disabled: boolean;
  /** Tooltip: the file's path, or why an entry cannot be opened. */
  readonly title?: string;
}

/** The list's first option when `count` replays are listed. */
export function listPlaceholderText(count: number): string {
  return count === 0 ? 'No replays under samples/ or runs/' : 'Choose a replay…';
}

/** The list's last line when the host listed fewer files than there are. */
export const LIST_TRUNCATED_TEXT = '… more files than the list shows';

/** The list's only option when the API is unreachable. */
export const NOT_CONNECTED_TEXT = 'Not connected to the host';

/** The status line when the API is unreachable. */
export const NOT_CONNECTED_STATUS = 'not connected';

/**
 * The list's first option while `source` is open: the usual prompt when the list holds it (it is
 * selected), else what it is ("Local file: name", or the source's own `listText`).
 */
export function sourcePlaceholderText(
  source: { readonly label: string; readonly listText?: string },
  listed: boolean,
): string {
  return listed ? listPlaceholderText(1) : (source.listText ?? `Local file: ${source.label}`);
}

/**
 * Where a listed replay lies, as the list names it: its path under its root without `replays/`
 * folders and the extension ("horm-easy/update-648/eval-2/episode-0-seed-10000"), so replays of
 * different runs, updates and evaluations with the same file name are told apart.
 */
export function replayListName(path: string, root: string): string {
  const underRoot = path.startsWith(`${root}/`) ? path.slice(root.length + 1) : path;
  return underRoot
    .split('/')
    .filter((segment) => segment !== 'replays')
    .join('/')
    .replace(/\.replay$/, '');
}

/**
 * A `replays.list` entry as the list shows it: "samples/ · name · scenario · model · 100 steps
 * · crash", the name being where it lies (replayListName; a run's replay starts with the run's
 * folder); an unreadable file greyed out, with the reason as its tooltip.
 */
export function replayOption(entry: ReplayEntry): ReplayOption {
  const name = replayListName(entry.path, entry.root);
  const s = entry.summary;
  if (s === undefined) {
    return {
      text: `${entry.root}/ · ${name} · unreadable`,
      value: entry.path,
      disabled: true,
      title: entry.error ?? 'unreadable',
    };
  }
  return {
    text: `${entry.root}/ · ${name} · ${s.scenario} · ${s.model} · ${s.steps} steps${s.crashed ? ' · crash' : ''}`,
    value: entry.path,
    disabled: false,
    title: entry.path,
  };
}

/** The status line once connected: "STEER Studio 0.1.0 · web host". */
export function hostStatus(info: ApiResponse<'app.info'>): string {
  return `${info.name} ${info.version} · ${info.host} host`;
}

/** The status line while a listed replay's bytes come from the host. */
export function openingStatus(path: string): string {
  return `opening ${path}…`;
}

/** The status line while a local file is read. */
export function readingStatus(name: string): string {
  return `reading ${name}…`;
}

/**
 * The view's message while a live run starts, before its first frames (the host starts a worker
 * and its tfjs backend, a few seconds): an empty road at "step 0 / 0" would look broken.
 */
export const STARTING_TEXT =
  'Starting the simulation… the host is preparing it; the episode appears here in a few seconds.';

/** The step counter while a live run starts. */
export const STARTING_COUNTER_TEXT = 'starting…';

/** The status line when a live run starts, before its first frames. */
export function simulatingStatus(label: string): string {
  return `${label} · simulating…`;
}

/** The status line once an opened replay's first frame is drawn, `ms` after the pick. */
export function openedStatus(label: string, fileBytes: number, ms: number): string {
  return `${label} · ${formatBytes(fileBytes)} · first frame in ${formatNumber(ms, 0)} ms`;
}

/**
 * The status line of a live run showing `decisions` steps so far, or (`final`) its finished file
 * of `fileBytes`.
 */
export function liveStatus(label: string, fileBytes: number, decisions: number, final: boolean): string {
  return final
    ? `${label} · ${formatBytes(fileBytes)} · ${decisions} steps simulated`
    : `${label} · simulating… step ${decisions}`;
}

/** Why `what` did not open: the message area's text and the status line's. */
export function cannotOpenText(
  what: string,
  error: unknown,
): { readonly message: string; readonly status: string } {
  // ReplayError and ApiError messages are one line that says where and what.
  const reason = error instanceof Error ? error.message : String(error);
  return { message: `Cannot open ${what}: ${reason}`, status: `cannot open ${what}` };
}

/**
 * Whether the page shows the developer's frame-time readout: only with `debug` in its URL's query
 * (`?debug=1`); users see no "ms/frame · drawn in a worker".
 */
export function showsFrameTime(search: string): boolean {
  return new URLSearchParams(search).has('debug');
}

/**
 * The frame-time readout: the median time of the loop's recent frames and where the scene draws
 * ("0.31 ms/frame · drawn in a worker at ~30 frames/s (software WebGL)").
 */
export function frameTimeText(medianMs: number, path: RenderPath, maxFps: number | null): string {
  const cap = maxFps === null ? '' : ` at ~${maxFps} frames/s (software WebGL)`;
  const where = path === 'worker' ? `drawn in a worker${cap}` : 'drawn on the main thread';
  return `${formatNumber(medianMs, 2)} ms/frame · ${where}`;
}

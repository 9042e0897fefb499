/**
 * The editor's ▶ Run wired to the player: plays one episode of the draft with a model, live
 * (liveRun.ts: `sim.start`, `sim.poll`), switching to the player when the host starts it, and
 * reports the outcome under Run.
 */

import type { SteerApi } from '../../shared/api/contract.js';
import { userMessage } from '../ui/userMessage.js';
import type { SimModel } from './editorToolbar.js';
import { playLive } from './liveRun.js';

/** What the editor asks of the rest of the app. */
export interface EditorHost {
  /** Shows a played episode in the player; `label` names it, `recorded` when it was written to disk. */
  showReplay(bytes: Uint8Array, label: string, recorded: boolean): Promise<void>;
  /** Switches to the player for an episode being simulated (Run) and shows it as it arrives. */
  showLiveReplay(label: string): LiveReplayTarget;
}

/** Where a live Run's episode is shown (the player). */
export interface LiveReplayTarget {
  /** The frames so far, as a complete replay. */
  show(snapshot: Uint8Array): void;
  /** The finished file; `label` names it, `recorded` when it was written to disk. */
  finish(bytes: Uint8Array, label: string, recorded: boolean): Promise<void>;
  /** The run failed after it started (the editor shows `message` under Run). */
  fail(message: string): void;
}

/** Shows a status line (`error`: as a problem). */
export type SetStatus = (text: string, error?: boolean) => void;

/** One Run of the draft. */
export interface EditorRun {
  /** The scenario document (what Save writes). */
  readonly scenario: Record<string, unknown>;
  /** The scenario's name as it is when the label is made (the draft may be edited meanwhile). */
  name(): string;
  readonly model: SimModel;
  /** Env seed; undefined: the scenario's. */
  readonly seed: number | undefined;
  /** Also write the replay to disk. */
  readonly record: boolean;
}

/**
 * The Run seed typed in `text` (trimmed): undefined when empty (the scenario's seed), null when it
 * is not an integer in [0, 2^32 - 1].
 */
export function runSeed(text: string): number | undefined | null {
  const seed = text === '' ? undefined : Number(text);
  if (seed !== undefined && !(Number.isInteger(seed) && seed >= 0 && seed <= 2 ** 32 - 1)) return null;
  return seed;
}

/** Plays `run` live in the player; the outcome, or the host's message, goes to `setStatus`. */
export async function playInPlayer(
  api: SteerApi,
  host: EditorHost,
  run: EditorRun,
  setStatus: SetStatus,
): Promise<void> {
  const { model, seed } = run;
  setStatus('simulating…');
  const who = model.kind === 'baseline' ? model.policy : model.path;
  try {
    // Live: the player shows the episode as the host simulates it (liveRun.ts).
    const request = {
      scenario: run.scenario,
      model,
      record: run.record,
      ...(seed === undefined ? {} : { seed }),
    };
    let target: LiveReplayTarget | null = null;
    try {
      const { result, bytes } = await playLive(api, request, {
        started: () => {
          target = host.showLiveReplay(`${run.name()} · ${who} · simulating`);
        },
        show: (snapshot) => target?.show(snapshot),
      });
      setStatus(
        `played ${result.steps} steps with ${who}, seed ${result.seed}${result.crashed ? ', a CAV crashed' : ''}${result.path === null ? '' : ` · recorded ${result.path}`}`,
      );
      const label = result.path ?? `${run.name()} · ${who} · seed ${result.seed} (not recorded)`;
      await (target as LiveReplayTarget | null)?.finish(bytes, label, result.path !== null);
    } catch (error) {
      (target as LiveReplayTarget | null)?.fail(userMessage(error));
      throw error;
    }
  } catch (error) {
    setStatus(`Run: ${userMessage(error)}`, true);
  }
}

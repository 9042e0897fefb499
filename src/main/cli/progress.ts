/**
 * Progress on stderr: a redrawn bar (cli-progress) on a terminal; otherwise (logs, CI, pipes) one
 * plain line each time another ~10 % is done, so a log file stays readable.
 */
import { Presets, SingleBar } from 'cli-progress';
import type { TextSink } from './context.js';

/** Reports `done` out of `total` with a short detail text ("return 9.8 | 420 steps/s"). */
export interface Progress {
  start(total: number, done: number, detail?: string): void;
  update(done: number, detail?: string): void;
  /** Ends the bar (a terminal gets its newline). Safe to call twice. */
  stop(): void;
}

/** Progress that shows nothing (--quiet). */
export const silentProgress: Progress = { start() {}, update() {}, stop() {} };

/** A bar on a terminal, plain lines every ~10 % otherwise; `label` starts each line. */
export function createProgress(sink: TextSink, label: string): Progress {
  return sink.isTTY && sink.stream ? new TerminalProgress(sink.stream, label) : new LineProgress(sink, label);
}

class TerminalProgress implements Progress {
  private readonly bar: SingleBar;
  private active = false;

  constructor(stream: NodeJS.WriteStream, label: string) {
    this.bar = new SingleBar(
      {
        stream,
        format: `${label} {bar} {value}/{total} | {detail} | {duration_formatted} elapsed, ETA {eta_formatted}`,
        hideCursor: true,
        gracefulExit: false, // the command's own SIGINT handler stops the bar and saves the run
        etaBuffer: 20,
      },
      Presets.shades_classic,
    );
  }

  start(total: number, done: number, detail = ''): void {
    this.bar.start(total, done, { detail });
    this.active = true;
  }

  update(done: number, detail = ''): void {
    this.bar.update(done, { detail });
  }

  stop(): void {
    if (this.active) this.bar.stop();
    this.active = false;
  }
}

class LineProgress implements Progress {
  private total = 0;
  private nextTenth = 1;
  private lastPrinted = -1;
  private readonly started = performance.now();

  constructor(
    private readonly sink: TextSink,
    private readonly label: string,
  ) {}

  start(total: number, done: number): void {
    this.total = total;
    this.nextTenth = Math.floor((10 * done) / Math.max(total, 1)) + 1;
  }

  update(done: number, detail = ''): void {
    if (this.total <= 0 || done === this.lastPrinted) return;
    const tenth = Math.floor((10 * done) / this.total);
    if (tenth < this.nextTenth && done < this.total) return;
    this.nextTenth = tenth + 1;
    this.lastPrinted = done;
    const percent = Math.round((100 * done) / this.total);
    const seconds = ((performance.now() - this.started) / 1000).toFixed(1);
    const tail = detail === '' ? '' : ` | ${detail}`;
    this.sink.write(`${this.label} ${done}/${this.total} (${percent}%)${tail} | ${seconds} s\n`);
  }

  stop(): void {}
}

/** How a batch's run ended: trained from scratch, resumed, skipped as finished; or failed. */
export interface BatchOutcome {
  /** 'failed', or how the batch names success ('done' for a sweep, 'ok' for compare). */
  readonly status: string;
  readonly action: 'trained' | 'resumed' | 'skipped';
}

/**
 * The progress of a batch of runs (`steer compare`, `steer sweep run`): `record` each run as it
 * ends; the bar shows "trained 3 | resumed 1 | skipped 2" (and "| failed n" once one has failed).
 */
export function batchProgress(
  progress: Progress,
  total: number,
  note?: () => string,
): { record(outcome: BatchOutcome): void } {
  const counts = { trained: 0, resumed: 0, skipped: 0, failed: 0 };
  let done = 0;
  progress.start(total, 0);
  return {
    record(outcome) {
      done += 1;
      if (outcome.status === 'failed') counts.failed += 1;
      else counts[outcome.action] += 1;
      progress.update(
        done,
        `trained ${counts.trained} | resumed ${counts.resumed} | skipped ${counts.skipped}` +
          (counts.failed > 0 ? ` | failed ${counts.failed}` : '') +
          (note === undefined ? '' : ` | ${note()}`),
      );
    },
  };
}

/** "3 trained, 1 resumed, 2 already finished": what one invocation of a batch did, for its card. */
export function describeActions(outcomes: readonly Pick<BatchOutcome, 'action'>[]): string {
  const count = (action: BatchOutcome['action']) => outcomes.filter((o) => o.action === action).length;
  return `${count('trained')} trained, ${count('resumed')} resumed, ${count('skipped')} already finished`;
}

/**
 * `steer sweep bench` (issue #13's scaling target): how a sweep's wall time scales with the number of
 * worker processes on one machine, each child on one update thread. A generated sweep of N short
 * runs (one algorithm, one env, seeds 1..N) is written into a fresh runs folder per setting and run
 * with the local pool at each worker count, then (with a redis-server) on a private queue by that
 * many `steer worker` processes. Each whole sweep is timed by the wall clock. The queue's overhead
 * per run is read from the workers' logs: the time from a worker's `done` line for one run to its
 * `training` line for the next one (docs/sweeps.md "Scaling").
 *
 * The pure parts (scaling rows, overhead, table, card) are exported for the tests; `runSweepBench`
 * does the work.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { TrainConfig } from '../../core/algos/config.js';
import { LocalPool, openSweep, SweepFileError, type SweepRunOutcome, targetOf } from '../sweep/index.js';
import {
  closeRedis,
  codeVersion,
  connectRedis,
  parseQueueAddress,
  QueueExecutor,
  RedisServer,
} from '../sweep/queue/index.js';
import { STEER_BIN, STEER_EXIT_WITH_PARENT_ENV, STEER_PARENT_ENV } from '../workers/steerChildren.js';

/** What `runSweepBench` generates and runs. */
export interface SweepBenchPlan {
  /** Runs of each sweep (seeds 1..runs). */
  readonly runs: number;
  readonly algo: string;
  readonly env: string;
  /** PPO updates of each run. */
  readonly updates: number;
  /** Training-config overrides of every run (`--set`). */
  readonly overrides: Partial<TrainConfig>;
  /** Worker counts, e.g. [1, 2, 4]. */
  readonly workers: readonly number[];
  /**
   * Rounds over the worker counts: forward in even rounds, backward in odd ones (1, 2, 4, 4, 2, 1),
   * so a machine that slows down or speeds up during the bench weighs on every count alike.
   */
  readonly rounds: number;
  /** The redis-server binary for the queue setting; null: local pool only. */
  readonly redisServer: string | null;
  /** The backend every child uses. */
  readonly backend: string;
}

/** One timed sweep. */
export interface SweepTiming {
  readonly setting: 'local' | 'queue';
  readonly workers: number;
  /** The round it was timed in (0 = the first). */
  readonly round: number;
  readonly runs: number;
  /** Wall time of the whole sweep [s]. */
  readonly seconds: number;
  /** Runs that failed (a timing with failures is not a measurement). */
  readonly failed: number;
  /** Why, one line per failed run ("<id>: <error>"), and a line for runs that never ended. */
  readonly failures: readonly string[];
}

/** A row of the scaling table: one setting and worker count, over every round. */
export interface ScalingRow extends Omit<SweepTiming, 'round' | 'seconds'> {
  /** Mean wall time over the rounds [s]. */
  readonly seconds: number;
  /** Wall time of each round [s], in round order. */
  readonly roundSeconds: readonly number[];
  readonly runsPerMinute: number;
  /** Wall time of the same setting with 1 worker / this one; null without a 1-worker timing. */
  readonly speedUp: number | null;
  /** speedUp / min(workers, cores): 1 is linear up to the core count. */
  readonly efficiency: number | null;
}

/** The queue's overhead per run [ms]. */
export interface OverheadSummary {
  readonly mean: number;
  readonly median: number;
  readonly max: number;
  /** Gaps measured. */
  readonly count: number;
}

/**
 * The scaling rows of `timings`, one per setting and worker count (in first-timed order), its wall
 * time the mean over the rounds: runs/min, speed-up against the same setting's 1-worker mean,
 * efficiency.
 */
export function scalingRows(timings: readonly SweepTiming[], cores: number): ScalingRow[] {
  const groups = new Map<string, SweepTiming[]>();
  for (const timing of timings) {
    const key = `${timing.setting}×${timing.workers}`;
    groups.set(key, [...(groups.get(key) ?? []), timing]);
  }
  const mean = (group: readonly SweepTiming[]) => group.reduce((sum, t) => sum + t.seconds, 0) / group.length;
  return [...groups.values()].map((group) => {
    const { setting, workers, runs } = group[0]!;
    const seconds = mean(group);
    const base = groups.get(`${setting}×1`);
    const speedUp = base === undefined ? null : mean(base) / seconds;
    return {
      setting,
      workers,
      runs: runs * group.length, // over every round, as `failed` is
      seconds,
      roundSeconds: [...group].sort((a, b) => a.round - b.round).map((t) => t.seconds),
      failed: group.reduce((sum, t) => sum + t.failed, 0),
      failures: group.flatMap((t) => t.failures),
      runsPerMinute: (60 * runs) / seconds,
      speedUp,
      efficiency: speedUp === null ? null : speedUp / Math.min(workers, cores),
    };
  });
}

/** One worker log line `<ISO time> <run id>: training|resuming|done (…)`, or null. */
const WORKER_LINE = /^(\d{4}-\d\d-\d\dT[\d:.]+Z) (\S+): (training|resuming|done \()/;

/**
 * The gaps [ms] in one worker's log (stderr of `steer worker --jobs 1`) from a run's `done` line to
 * the next run's `training` (or `resuming`) line: the queue's time between two runs of that worker
 * (completing the job, taking the next, deciding its folder, taking its lease).
 */
export function workerGaps(log: string): number[] {
  const gaps: number[] = [];
  let doneAt: number | null = null;
  for (const line of log.split('\n')) {
    const match = WORKER_LINE.exec(line);
    if (match === null) continue;
    const at = Date.parse(match[1]!);
    if (match[3]!.startsWith('done')) doneAt = at;
    else if (doneAt !== null) {
      gaps.push(at - doneAt);
      doneAt = null;
    }
  }
  return gaps;
}

/** Mean, median and max of `gaps` [ms]; null when there are none. */
export function summarizeOverhead(gaps: readonly number[]): OverheadSummary | null {
  if (gaps.length === 0) return null;
  const sorted = [...gaps].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  const mean = sorted.reduce((sum, gap) => sum + gap, 0) / sorted.length;
  return { mean, median, max: sorted[sorted.length - 1]!, count: sorted.length };
}

/** The rows as a Markdown table: setting, workers, wall time, runs/min, speed-up, efficiency. */
export function formatScalingTable(rows: readonly ScalingRow[]): string {
  const cells = rows.map((r) => [
    r.setting === 'local' ? 'local pool' : 'queue',
    String(r.workers),
    r.roundSeconds.length === 1
      ? `${r.seconds.toFixed(1)} s`
      : `${r.seconds.toFixed(1)} s (${r.roundSeconds.map((t) => t.toFixed(1)).join(', ')})`,
    r.runsPerMinute.toFixed(1),
    r.speedUp === null ? '–' : `${r.speedUp.toFixed(2)}×`,
    r.efficiency === null ? '–' : r.efficiency.toFixed(2),
    r.failed === 0 ? String(r.runs) : `${r.runs - r.failed} (${r.failed} failed)`,
  ]);
  const header = ['setting', 'workers', 'wall time', 'runs/min', 'speed-up', 'efficiency', 'runs done'];
  const widths = header.map((h, c) => Math.max(h.length, ...cells.map((row) => row[c]!.length)));
  const line = (row: string[]) => `| ${row.map((cell, c) => cell.padEnd(widths[c]!)).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...cells.map(line)].join('\n');
}

/** The overhead line: "queue overhead per run: mean 14 ms, median 12 ms, max 40 ms (78 gaps)". */
export function formatOverhead(overhead: OverheadSummary | null): string {
  if (overhead === null)
    return 'queue overhead per run: not measured (no queue setting, or no worker ran two runs)';
  return (
    `queue overhead per run: mean ${overhead.mean.toFixed(0)} ms, median ${overhead.median.toFixed(0)} ms, ` +
    `max ${overhead.max.toFixed(0)} ms ` +
    `(${overhead.count} gap${overhead.count === 1 ? '' : 's'})`
  );
}

/** What the card records besides the table. */
export interface SweepBenchCardInfo {
  readonly command: string;
  readonly date: string;
  readonly machine: string;
  readonly cores: number;
  readonly plan: Pick<
    SweepBenchPlan,
    'runs' | 'algo' | 'env' | 'updates' | 'overrides' | 'backend' | 'rounds'
  >;
}

/** The results card (issue #13's: `sweep-scaling.md` in docs/results/). */
export function formatSweepBenchCard(
  rows: readonly ScalingRow[],
  overhead: OverheadSummary | null,
  info: SweepBenchCardInfo,
): string {
  const { plan } = info;
  const overrides = Object.entries(plan.overrides).map(([key, value]) => `${key}=${JSON.stringify(value)}`);
  return [
    '# Sweeps: scaling with worker processes on one machine',
    '',
    "Written by `steer sweep bench --markdown`; do not edit by hand. Issue #13's target: with 1, 2 and 4",
    'worker processes (each child on one update thread), a sweep of short matrix runs finishes with',
    'efficiency ≥ 0.9 up to the core count (efficiency = speed-up against 1 worker / min(workers, cores)),',
    "and the queue adds ≤ 50 ms per run. Wall time: the whole sweep, from its start to its last run's end;",
    'with several rounds, the mean (each round in brackets). The rounds go over the worker counts forward,',
    'then backward (1, 2, 4, 4, 2, 1), local pool and queue in turn, so a drift of the machine speed during',
    'the bench weighs on every count alike.',
    "Queue overhead: in each worker's log, from its `done` line for one run to its `training` line for the",
    'next (completing the job, taking the next one, deciding its folder, taking its lease); docs/sweeps.md',
    '"Scaling".',
    '',
    `- Command: \`${info.command}\``,
    `- Date: ${info.date}`,
    `- Machine: ${info.machine}`,
    `- Sweep: ${plan.runs} runs of ${plan.algo} on ${plan.env}, ${plan.updates} updates each` +
      (overrides.length === 0 ? '' : `, ${overrides.join(', ')}`) +
      `; backend ${plan.backend}; ${info.cores} cores; ${plan.rounds} round${plan.rounds === 1 ? '' : 's'}`,
    '',
    formatScalingTable(rows),
    '',
    `${formatOverhead(overhead).replace(/^q/, 'Q')}.`,
    '',
    ...failedRunLines(rows),
  ].join('\n');
}

/** "Failed runs" and one line each, when a sweep had some (then its timing is not a measurement). */
function failedRunLines(rows: readonly ScalingRow[]): string[] {
  const lines = rows.flatMap((row) =>
    row.failures.map((line) => `- ${row.setting} ×${row.workers}: ${line}`),
  );
  return lines.length === 0
    ? []
    : ['Failed runs (the timings of their sweeps are not a measurement):', '', ...lines, ''];
}

/** The sweep file of one setting (JSON): seeds 1..runs of one algorithm on one env. */
export function sweepBenchFile(plan: SweepBenchPlan, name: string): string {
  const sweep = {
    version: 1,
    name,
    algos: [plan.algo],
    envs: [plan.env],
    seeds: plan.runs,
    updates: plan.updates,
    ...(Object.keys(plan.overrides).length > 0 && { overrides: plan.overrides }),
    runsDir: 'runs',
  };
  return `${JSON.stringify(sweep, null, 2)}\n`;
}

/** What `runSweepBench` found. */
export interface SweepBenchResult {
  readonly timings: SweepTiming[];
  readonly overhead: OverheadSummary | null;
}

/**
 * Runs every setting of `plan`, round by round: each worker count in the round's order, the local
 * pool then the queue (one redis-server for the whole bench), each sweep in a fresh folder under a
 * temporary directory that is removed at the end; `progress` gets a line per step, `onTiming` each
 * timing as it is measured.
 */
export async function runSweepBench(
  plan: SweepBenchPlan,
  progress: (line: string) => void,
  onTiming: (timing: SweepTiming) => void = () => {},
  signal?: AbortSignal,
): Promise<SweepBenchResult> {
  const base = await mkdtemp(join(tmpdir(), 'steer-sweep-bench-'));
  const timings: SweepTiming[] = [];
  const record = (timing: SweepTiming) => {
    timings.push(timing);
    onTiming(timing);
    progress(
      `${timing.setting} ×${timing.workers}: ${timing.seconds.toFixed(1)} s` +
        (timing.failed > 0 ? `, ${timing.failed} failed` : ''),
    );
    for (const line of timing.failures) progress(`  failed: ${line}`);
  };
  let server: RedisServer | null = null;
  try {
    if (plan.redisServer !== null) {
      const redisDir = join(base, 'redis');
      await mkdir(redisDir);
      progress(`starting ${plan.redisServer} on a free loopback port …`);
      server = await RedisServer.start(redisDir, plan.redisServer);
    }
    const gaps: number[] = [];
    for (let round = 0; round < plan.rounds; round++) {
      const order = round % 2 === 0 ? plan.workers : [...plan.workers].reverse();
      for (const workers of order) {
        if (signal?.aborted) break;
        const dir = (setting: string) => join(base, `${setting}-${workers}-round-${round}`);
        const of = `${plan.runs} runs${plan.rounds === 1 ? '' : ` (round ${round + 1} of ${plan.rounds})`}`;
        progress(`local pool, ${workers} process${workers === 1 ? '' : 'es'}: ${of} …`);
        record(await timeLocal(plan, workers, round, dir('local'), signal));
        if (server === null || signal?.aborted) continue;
        progress(`queue ${server.url}, ${workers} worker${workers === 1 ? '' : 's'}: ${of} …`);
        const timed = await timeQueue(plan, workers, round, dir('queue'), server.url, signal);
        gaps.push(...timed.gaps);
        record(timed.timing);
      }
    }
    return { timings, overhead: server === null ? null : summarizeOverhead(gaps) };
  } finally {
    await server?.stop();
    await rm(base, { recursive: true, force: true });
  }
}

/** Writes the setting's sweep file into `dir` and opens it (paths relative to `dir`). */
async function openBenchSweep(plan: SweepBenchPlan, name: string, dir: string) {
  await mkdir(dir, { recursive: true });
  const file = join(dir, 'sweep.json');
  await writeFile(file, sweepBenchFile(plan, name));
  try {
    return await openSweep(file, 'sweep-bench.json', (path) => resolve(dir, path));
  } catch (error) {
    if (!(error instanceof SweepFileError)) throw error;
    // the file is generated: its problems are those of --algo, --env, --updates or --set
    throw new Error(error.lines.join('; '));
  }
}

/** Failed runs among `outcomes`, plus those that never ended (interrupted), and why. */
function failures(
  outcomes: readonly SweepRunOutcome[],
  runs: number,
): Pick<SweepTiming, 'failed' | 'failures'> {
  const failed = outcomes.filter((o) => o.status === 'failed');
  const unended = runs - outcomes.length;
  return {
    failed: failed.length + unended,
    failures: [
      ...failed.map((o) => `${o.id}: ${o.error ?? 'failed'}`),
      ...(unended > 0 ? [`${unended} run${unended === 1 ? '' : 's'} never ended`] : []),
    ],
  };
}

/** The local pool at `workers` children, each on one update thread. */
async function timeLocal(
  plan: SweepBenchPlan,
  workers: number,
  round: number,
  dir: string,
  signal?: AbortSignal,
): Promise<SweepTiming> {
  const opened = await openBenchSweep(plan, `bench-local-${workers}-${round}`, dir);
  const pool = new LocalPool({
    jobs: workers,
    updateThreads: 1,
    backend: plan.backend,
    resolvePath: (path) => resolve(dir, path),
    targetOf: (run) => targetOf(run, opened.targets),
  });
  const start = performance.now();
  const outcomes = await pool.execute(opened.runs, {}, signal);
  const seconds = (performance.now() - start) / 1000;
  return { setting: 'local', workers, round, runs: plan.runs, seconds, ...failures(outcomes, plan.runs) };
}

/** How often the bench polls the queue's jobs [ms]: finer than `steer sweep run`'s second. */
const BENCH_POLL_MS = 100;

/** A started `steer worker` and what it logged. */
interface WorkerProcess {
  readonly child: ChildProcess;
  log: string;
}

/**
 * The queue at `workers` `steer worker --jobs 1 --update-threads 1` processes; the clock starts once
 * every worker has said it is ready, so their start-up is not counted.
 */
async function timeQueue(
  plan: SweepBenchPlan,
  workers: number,
  round: number,
  dir: string,
  url: string,
  signal?: AbortSignal,
): Promise<{ timing: SweepTiming; gaps: number[] }> {
  const opened = await openBenchSweep(plan, `bench-queue-${workers}-${round}`, dir);
  const address = parseQueueAddress(url);
  const started: WorkerProcess[] = [];
  const connection = await connectRedis(address, {});
  try {
    for (let i = 0; i < workers; i++) started.push(startWorker(url, dir, plan.backend));
    await Promise.all(started.map((worker) => waitReady(worker)));
    const executor = new QueueExecutor({
      connection,
      address,
      codeVersion: await codeVersion(),
      attempts: 1,
      pollMs: BENCH_POLL_MS,
      resolvePath: (path) => resolve(dir, path),
      targetOf: (run) => targetOf(run, opened.targets),
      log: () => {},
    });
    const start = performance.now();
    const outcomes = await executor.execute(opened.runs, {}, signal);
    const seconds = (performance.now() - start) / 1000;
    await Promise.all(started.map((worker) => stopWorker(worker)));
    return {
      timing: {
        setting: 'queue',
        workers,
        round,
        runs: plan.runs,
        seconds,
        ...failures(outcomes, plan.runs),
      },
      gaps: started.flatMap((worker) => workerGaps(worker.log)),
    };
  } finally {
    for (const worker of started) if (worker.child.exitCode === null) worker.child.kill('SIGKILL');
    await closeRedis(connection);
  }
}

/** Starts `steer worker` on `url` with paths relative to `dir`. */
function startWorker(url: string, dir: string, backend: string): WorkerProcess {
  const args = [STEER_BIN, 'worker', '--queue', url, '--jobs', '1', '--update-threads', '1'];
  args.push('--backend', backend, '--dir', dir);
  const child = spawn(process.execPath, args, {
    stdio: ['ignore', 'ignore', 'pipe'],
    // stopped by this process alone, and gone with it if it dies (src/main/workers/steerChildren.ts)
    env: { ...process.env, [STEER_PARENT_ENV]: String(process.pid), [STEER_EXIT_WITH_PARENT_ENV]: '1' },
  });
  const worker: WorkerProcess = { child, log: '' };
  child.stderr!.on('data', (chunk: Buffer) => {
    worker.log += chunk.toString();
  });
  return worker;
}

/** Waits for the worker's start line (it names its lease); fails if it exits or takes over 60 s. */
async function waitReady(worker: WorkerProcess): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!/ lease \d+ s/.test(worker.log)) {
    if (worker.child.exitCode !== null) {
      throw new Error(`steer worker exited with ${worker.child.exitCode}: ${worker.log.trim().slice(-500)}`);
    }
    if (Date.now() > deadline)
      throw new Error(`steer worker did not start: ${worker.log.trim().slice(-500)}`);
    await new Promise((done) => setTimeout(done, 50));
  }
}

/** Stops the worker as an operator does (SIGTERM: no new run) and waits for it to exit. */
async function stopWorker(worker: WorkerProcess): Promise<void> {
  if (worker.child.exitCode !== null) return;
  const exited = new Promise((done) => worker.child.once('exit', done));
  worker.child.kill('SIGTERM');
  await exited;
}

/** The default worker counts: 1, 2, 4 (issue #13). */
export const DEFAULT_BENCH_WORKERS: readonly number[] = [1, 2, 4];

/** The cores `efficiency` divides by. */
export function benchCores(): number {
  return availableParallelism();
}

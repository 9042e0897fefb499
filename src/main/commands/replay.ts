/**
 * `steer replay info FILE` and `steer replay export FILE --json`: summarise a recorded episode
 * (docs/replays.md) or print the whole of it as JSON. A file that cannot be read — missing, cut
 * short, corrupted, another kind of file, a newer format — is one line on stderr
 * (`steer: error: FILE: …`) and exit code 1, never a stack trace.
 * `steer replay sample` records a seeded episode played by a scripted policy: the player's sample
 * data (samples/replays/, docs/app.md).
 */
import type { Command } from 'commander';
import {
  mujocoReplayToJson,
  type ReplayHeader,
  type ReplaySummary,
  replayToJson,
} from '../../core/replay/index.js';
import { type CommandContext, userPath } from '../cli/context.js';
import { CliError } from '../cli/errors.js';
import { formatCount, formatFields, formatNumber, formatPerAgent } from '../cli/format.js';
import { integerAtLeast } from '../cli/options.js';
import {
  type AnyReplayFileContents,
  type ReplayFileContents,
  ReplayFileError,
  readAnyReplayFile,
  writeReplayFile,
} from '../io/replayFile.js';
import {
  recordSampleReplay,
  SAMPLE_POLICIES,
  type SamplePolicy,
  sampleReplayName,
} from '../replay/recordSampleReplay.js';
import { mujocoReplayInfoReport, mujocoReplayInfoText } from './replayMujoco.js';

/** Options of `steer replay info`. */
export interface ReplayInfoOptions {
  json?: boolean;
}

/** Options of `steer replay export`. */
export interface ReplayExportOptions {
  json?: boolean;
}

/** Options of `steer replay sample` (strings as commander parses them; the seeds parsed). */
export interface ReplaySampleOptions {
  out?: string;
  density: string;
  seed: number;
  policy: string;
  policySeed: number;
  createdAt?: string;
}

/** What `replay info`, `replay export` and `replay sample` do when commander calls them. */
export interface ReplayCommandActions {
  info: (file: string, options: ReplayInfoOptions) => Promise<void>;
  export: (file: string, options: ReplayExportOptions) => Promise<void>;
  sample: (options: ReplaySampleOptions) => Promise<void>;
}

/** What `steer replay info --json` prints (one line). */
export interface ReplayInfoReport {
  file: string;
  fileBytes: number;
  formatVersion: number;
  header: ReplayHeader;
  summary: ReplaySummary;
  frames: number;
  /** Vehicles of the first frame by kind name, e.g. { cav: 4, hdv: 5 }. */
  vehicles: Record<string, number>;
  durationS: number;
}

/** Adds `replay info` and `replay export` to the program. */
export function registerReplayCommand(program: Command, actions: ReplayCommandActions): void {
  const replay = program
    .command('replay')
    .description('inspect recorded episodes, HORM or MuJoCo (.replay files; format in docs/replays.md)');
  replay
    .command('info')
    .description('summary: scenario, model, steps, vehicles, agents, crash, return per agent, size on disk')
    .argument('<file>', 'a replay file, e.g. replays/eval-0.replay')
    .option('--json', 'print one JSON object instead of the table')
    .action(actions.info);
  replay
    .command('export')
    .description('print the whole episode: header, summary and every frame (vehicles and agent decisions)')
    .argument('<file>', 'a replay file')
    .option('--json', 'as one JSON document on stdout (the default and, so far, only format)')
    .action(actions.export);
  replay
    .command('sample')
    .description('record a seeded HORM episode played by a scripted policy (sample data for the player)')
    .option(
      '--out <file>',
      'where to write it; default samples/replays/horm-<level>-<policy>-seed<seed>.replay',
    )
    .option('--density <n>', 'reference traffic density 1, 2 or 3 (3 = HORM hard)', '3')
    .option('--seed <n>', 'episode seed', integerAtLeast(0), 0)
    .option('--policy <name>', `scripted policy: ${SAMPLE_POLICIES.join(' or ')}`, 'random')
    .option('--policy-seed <n>', 'seed of the random policy', integerAtLeast(0), 99)
    .option('--created-at <iso>', 'creation time written to the header (default: now); fixes the bytes')
    .action(actions.sample);
}

/** Reads `file` (relative to ctx.cwd), of either kind; a bad file becomes a CliError `FILE: reason`. */
async function load(file: string, ctx: CommandContext): Promise<AnyReplayFileContents> {
  try {
    return await readAnyReplayFile(userPath(ctx, file));
  } catch (error) {
    if (error instanceof ReplayFileError) throw new CliError(`${file}: ${error.reason}`);
    throw error;
  }
}

/** Vehicle counts of the first frame by kind name. */
function vehicleKinds(replay: ReplayFileContents): Record<string, number> {
  const counts: Record<string, number> = {};
  const first = replay.frames[0];
  if (first === undefined) return counts;
  for (let i = 0; i < first.vehicleCount; i++) {
    const name = replay.header.kinds[first.kind[i]!] ?? `kind ${first.kind[i]}`;
    counts[name] = (counts[name] ?? 0) + 1;
  }
  return counts;
}

/** "13,846 bytes (13.5 KiB)". */
function formatSize(bytes: number): string {
  return bytes < 1024 ? `${bytes} bytes` : `${formatCount(bytes)} bytes (${(bytes / 1024).toFixed(1)} KiB)`;
}

/** "agents 1, 2 at frame 37 (7.4 s)". */
function crashLine(summary: ReplaySummary, stepS: number): string {
  if (summary.crashedAgents.length === 0) return 'no';
  const who = `agent${summary.crashedAgents.length > 1 ? 's' : ''} ${summary.crashedAgents.join(', ')}`;
  const frame = summary.crashFrame;
  return frame === null
    ? `yes: ${who}`
    : `yes: ${who}, first at frame ${frame} (${formatNumber(frame * stepS)} s)`;
}

/** The `replay info` report. */
export function replayInfoReport(file: string, replay: ReplayFileContents): ReplayInfoReport {
  const { header, footer } = replay;
  return {
    file,
    fileBytes: replay.fileBytes,
    formatVersion: replay.formatVersion,
    header,
    summary: footer.summary,
    frames: footer.frames,
    vehicles: vehicleKinds(replay),
    durationS: footer.summary.steps * header.stepS,
  };
}

/** Runs `steer replay info`; exit code 0, or a CliError for a bad file. */
export async function replayInfoCommand(
  file: string,
  options: ReplayInfoOptions,
  ctx: CommandContext,
): Promise<number> {
  const replay = await load(file, ctx);
  if (replay.kind === 'mujoco') {
    const mujoco = mujocoReplayInfoReport(file, replay);
    ctx.stdout.write(
      options.json
        ? `${JSON.stringify(mujoco)}\n`
        : mujocoReplayInfoText(mujoco, formatSize(mujoco.fileBytes)),
    );
    return 0;
  }
  const report = replayInfoReport(file, replay);
  if (options.json) {
    ctx.stdout.write(`${JSON.stringify(report)}\n`);
    return 0;
  }
  const { header: h, summary: s } = report;
  const scenario = [
    h.scenario.name === h.env ? h.env : `${h.scenario.name} (${h.env})`,
    h.scenario.density === undefined ? 'explicit traffic' : `density ${h.scenario.density}`,
    `seed ${h.scenario.seed}`,
    ...(h.scenario.file === undefined ? [] : [`file ${h.scenario.file}`]),
  ].join(', ');
  const m = h.model;
  const model = [
    m.name,
    ...(m.run === undefined ? [] : [`run ${m.run}`]),
    ...(m.checkpoint === undefined ? [] : [`checkpoint ${m.checkpoint}`]),
    ...(m.update === undefined ? [] : [`update ${m.update}`]),
    ...(m.deterministic === undefined ? [] : [m.deterministic ? 'greedy' : 'sampled']),
    ...(m.seed === undefined ? [] : [`seed ${m.seed}`]),
  ].join(', ');
  const kinds = Object.entries(report.vehicles).map(([kind, n]) => `${n} ${kind}`);
  const vehicleTotal = Object.values(report.vehicles).reduce((a, b) => a + b, 0);
  const returns = s.returns.map((r) => (r === null ? Number.NaN : r));
  ctx.stdout.write(
    formatFields([
      ['file', `${file}: ${formatSize(report.fileBytes)} on disk, format version ${report.formatVersion}`],
      ['scenario', scenario],
      ['model', model],
      ['created', `${h.createdAt}${h.generator === undefined ? '' : ` by ${h.generator}`}`],
      [
        'steps',
        `${s.steps} decisions, ${report.frames} frames, ${formatNumber(report.durationS)} s (${formatNumber(h.stepS)} s per step)`,
      ],
      ['vehicles', `${vehicleTotal}${kinds.length > 0 ? ` (${kinds.join(', ')})` : ''}`],
      [
        'agents',
        `${h.agents}, priority rule ${h.priorityRule}, ${h.rewardType} rewards, supervisor ${h.supervisor ? `on (${s.supervisorChanges} action${s.supervisorChanges === 1 ? '' : 's'} changed)` : 'off'}`,
      ],
      ['crashed', crashLine(s, h.stepS)],
      ['returns', formatPerAgent(returns)],
    ]),
  );
  return 0;
}

/** Runs `steer replay export`; the whole episode as JSON on stdout, with or without --json. */
export async function replayExportCommand(
  file: string,
  _options: ReplayExportOptions, // --json: accepted, JSON being the only format
  ctx: CommandContext,
): Promise<number> {
  // JSON is the only format, so it is the default; --json is still accepted (scripts pass it).
  const replay = await load(file, ctx);
  const json = replay.kind === 'mujoco' ? mujocoReplayToJson(replay) : replayToJson(replay);
  ctx.stdout.write(`${JSON.stringify(json)}\n`);
  return 0;
}

/** Parses an integer option; a CliError names the option and what it received. */
function integerOption(name: string, value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n))
    throw new CliError(`replay sample: ${name}: expected an integer, received "${value}"`);
  return n;
}

/** Runs `steer replay sample`: records the episode, writes it atomically, prints one summary line. */
export async function replaySampleCommand(
  options: ReplaySampleOptions,
  ctx: CommandContext,
  generator: string,
): Promise<number> {
  const density = integerOption('--density', options.density);
  if (density !== 1 && density !== 2 && density !== 3) {
    throw new CliError(`replay sample: --density: expected 1, 2 or 3, received ${density}`);
  }
  const { seed, policySeed } = options;
  if (!(SAMPLE_POLICIES as readonly string[]).includes(options.policy)) {
    throw new CliError(
      `replay sample: --policy: expected ${SAMPLE_POLICIES.join(' or ')}, received "${options.policy}"`,
    );
  }
  const policy = options.policy as SamplePolicy;
  const createdAt = options.createdAt ?? new Date().toISOString();
  if (Number.isNaN(Date.parse(createdAt))) {
    throw new CliError(`replay sample: --created-at: expected an ISO 8601 time, received "${createdAt}"`);
  }
  const out = options.out ?? `samples/replays/${sampleReplayName({ density, seed, policy })}`;
  const sample = recordSampleReplay({ density, seed, policy, policySeed, createdAt, generator });
  try {
    await writeReplayFile(userPath(ctx, out), sample.bytes);
  } catch (error) {
    if (error instanceof ReplayFileError) throw new CliError(`${out}: ${error.reason}`);
    throw error;
  }
  ctx.stdout.write(
    `${out}: ${sample.steps} decisions${sample.crashed ? ' (ended by a crash)' : ''}, ${formatSize(sample.bytes.length)}\n`,
  );
  return 0;
}

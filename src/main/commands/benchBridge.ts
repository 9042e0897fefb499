/**
 * `steer bench --env pettingzoo:<module>:<env>`: the Python bridge's overhead: one step of a batch of
 * copies (default 8) through the bridge on 1 and 2 servers against the server's own Python loop, as
 * a table, JSON lines (--json) or a results card (--markdown). docs/envs/bridge.md "Speed".
 */
import { bridgedEnvRequest, canonicalEnvName } from '../../core/envs/registry.js';
import { type BridgeBenchFigure, benchBridge } from '../bench/bridgeBench.js';
import { type BenchCardText, benchRunInfo, reportBenchTable } from '../cli/benchCard.js';
import type { CommandContext } from '../cli/context.js';
import { CliError, errorLine } from '../cli/errors.js';
import { markdownTable } from '../cli/markdownTable.js';

/** The options of `steer bench` this command reads (bench.ts's BenchCommandOptions has them). */
export interface BridgeBenchCommandOptions {
  readonly env?: string;
  readonly json?: boolean;
  readonly repeats: number;
  readonly markdown?: string;
  readonly workers?: number;
  readonly steps?: number;
}

/** Env copies in the batch: issue #12's batch of 8. */
export const BRIDGE_BENCH_COPIES = 8;
/** Default --steps: batch steps per measurement (40 MPE episodes per copy). */
export const DEFAULT_BRIDGE_STEPS = 1000;

/** Runs the bridge figures; returns the exit code. */
export async function benchBridgeCommand(
  options: BridgeBenchCommandOptions,
  ctx: CommandContext,
  argv: readonly string[],
): Promise<number> {
  let envName: string;
  let request: ReturnType<typeof bridgedEnvRequest>;
  try {
    envName = canonicalEnvName(options.env!);
    request = bridgedEnvRequest(envName);
  } catch (error) {
    throw new CliError(`--env: ${errorLine(error)}`);
  }
  if (request === null) throw new CliError(`--env ${envName}: not an env of the Python bridge`);
  const run = benchRunInfo(); // before the load we add
  const servers = [1, Math.max(2, options.workers ?? 2)];
  if (!options.json) {
    ctx.stderr.write(
      `bench: ${envName}, ${BRIDGE_BENCH_COPIES} copies, python loop and bridge on ${servers.join(' and ')} servers …\n`,
    );
  }
  let figures: BridgeBenchFigure[];
  try {
    figures = await benchBridge(
      {
        envName,
        request,
        copies: BRIDGE_BENCH_COPIES,
        steps: options.steps ?? DEFAULT_BRIDGE_STEPS,
        repeats: options.repeats,
        servers,
      },
      (figure) => {
        if (options.json) ctx.stdout.write(`${JSON.stringify(figure)}\n`);
      },
    );
  } catch (error) {
    throw new CliError(errorLine(error));
  }
  const table = formatBridgeBenchTable(figures);
  await reportBenchTable(ctx, options, argv, table, BRIDGE_CARD, run);
  return 0;
}

/** The figures as a Markdown table. */
export function formatBridgeBenchTable(figures: readonly BridgeBenchFigure[]): string {
  return markdownTable(
    ['env', 'path', 'copies', 'servers', 'time per batch step', 'vs python loop', 'median of'],
    figures.map((f) => [
      f.env,
      f.path === 'python' ? "python loop (the server's own)" : 'through the bridge',
      String(f.copies),
      String(f.servers),
      `${f.stepUs.toFixed(0)} µs`,
      `${f.ratio.toFixed(2)}×`,
      String(f.median_of),
    ]),
  );
}

/** The results card's text (--markdown). */
const BRIDGE_CARD: BenchCardText = {
  title: 'Performance: the Python bridge against stepping in Python',
  intro: [
    'Written by `steer bench --env pettingzoo:… --markdown`; do not edit by hand. One step of a batch',
    'of env copies: through the bridge (random actions from the Node side; observations, states,',
    "rewards and dones back, resets at episode ends) against the server's own Python loop over the",
    'same copies (`env.step` with random actions drawn before timing, resets at episode ends), both',
    "in this run. Issue #12's target: ≤ 1.5× for 8 MPE copies on one server (docs/envs/bridge.md",
    '"Speed").',
  ],
};

/**
 * The `steer` command line: one commander program with a subcommand per module in
 * src/main/commands/. `runCli` parses, runs and turns every failure into one line on stderr and a
 * non-zero exit code (a stack trace only with STEER_DEBUG=1); it never calls process.exit, so tests
 * run it in process.
 */
import { createRequire } from 'node:module';
import { Command, CommanderError } from 'commander';
import type { CommandContext } from '../cli/context.js';
import { debugEnabled, errorLine } from '../cli/errors.js';
import { baselineCommand, registerBaselineCommand } from './baseline.js';
import { benchCommand, registerBenchCommand } from './bench.js';
import { bridgeDoctorCommand, bridgeSetupCommand, registerBridgeCommand } from './bridge.js';
import { compareCommand, registerCompareCommand } from './compare.js';
import { evalCommand, registerEvalCommand } from './eval.js';
import {
  registerReplayCommand,
  replayExportCommand,
  replayInfoCommand,
  replaySampleCommand,
} from './replay.js';
import { registerScenarioCommand, scenarioShowCommand, scenarioValidateCommand } from './scenario.js';
import { registerSweepCommand, sweepPlanCommand, sweepRunCommand, sweepStatusCommand } from './sweep.js';
import { sweepBenchCommand } from './sweepBench.js';
import { sweepCancelCommand } from './sweepCancel.js';
import { registerTable1Command, table1Command } from './table1.js';
import { registerTrainCommand, trainCommand } from './train.js';
import { registerWebCommand, webCommand } from './web.js';
import { registerWorkerCommand, workerCommand } from './worker.js';

const VERSION = (createRequire(import.meta.url)('../../../package.json') as { version: string }).version;

/** What `steer --help` says first. */
const DESCRIPTION =
  "STEER Studio: train and evaluate the Stackelberg Decision Transformer (multi-agent RL) on the paper's benchmarks";

/** Runs `steer <argv>` in `ctx`; resolves to the exit code. */
export async function runCli(argv: readonly string[], ctx: CommandContext): Promise<number> {
  let exitCode = 0;
  const program = new Command('steer')
    .description(DESCRIPTION)
    .version(VERSION)
    .exitOverride()
    .configureOutput({
      writeOut: (text) => ctx.stdout.write(text),
      writeErr: (text) => ctx.stderr.write(text),
    })
    .showHelpAfterError('(add --help for usage)');
  /** A command's action: runs it and keeps its exit code. */
  const settle =
    <Args extends unknown[]>(command: (...args: Args) => Promise<number>) =>
    async (...args: Args): Promise<void> => {
      exitCode = await command(...args);
    };
  registerTrainCommand(
    program,
    settle((options) => trainCommand(options, ctx, argv)),
  );
  registerEvalCommand(
    program,
    settle((runDir, options) => evalCommand(runDir, options, ctx)),
  );
  registerTable1Command(
    program,
    settle((options) => table1Command(options, ctx, argv)),
  );
  registerCompareCommand(
    program,
    settle((options) => compareCommand(options, ctx, argv)),
  );
  registerSweepCommand(program, {
    run: settle((file, options) => sweepRunCommand(file, options, ctx)),
    status: settle((file, options) => sweepStatusCommand(file, options, ctx)),
    plan: settle((file, options) => sweepPlanCommand(file, options, ctx)),
    bench: settle((options) => sweepBenchCommand(options, ctx, argv)),
    cancel: settle((file, options) => sweepCancelCommand(file, options, ctx)),
  });
  registerWorkerCommand(
    program,
    settle((options) => workerCommand(options, ctx)),
  );
  registerBenchCommand(
    program,
    settle((options) => benchCommand(options, ctx, argv)),
  );
  registerScenarioCommand(program, {
    validate: settle((files) => scenarioValidateCommand(files, ctx)),
    show: settle((file) => scenarioShowCommand(file, ctx)),
  });
  registerReplayCommand(program, {
    info: settle((file, options) => replayInfoCommand(file, options, ctx)),
    export: settle((file, options) => replayExportCommand(file, options, ctx)),
    sample: settle((options) => replaySampleCommand(options, ctx, `steer-studio ${VERSION}`)),
  });
  registerWebCommand(
    program,
    settle((options) => webCommand(options, ctx, VERSION)),
  );
  registerBaselineCommand(
    program,
    settle((options) => baselineCommand(options, ctx)),
  );
  registerBridgeCommand(program, {
    setup: settle((options) => bridgeSetupCommand(options, ctx)),
    doctor: settle((options) => bridgeDoctorCommand(options, ctx)),
  });

  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode; // commander printed it already
    ctx.stderr.write(`steer: error: ${errorLine(error)}\n`);
    if (debugEnabled() && error instanceof Error && error.stack) ctx.stderr.write(`${error.stack}\n`);
    return 1;
  }
  return exitCode;
}

/**
 * A command's `--scenario <file>` argument through the scenario gate: the opened scenario, or its
 * problems printed one per line on stderr (`file: path: message`, as `steer scenario validate`
 * prints them) and null, after which the command exits 1.
 */
import type { OpenedScenario } from '../../core/envs/horm/index.js';
import { formatIssues, type ScenarioIssue } from '../../core/scenario/index.js';
import { openScenarioFile } from '../io/scenarioFile.js';
import { type CommandContext, userPath } from './context.js';

/** Opens `file` (as the user typed it, relative to the working directory), or reports why not. */
export async function openScenarioArgument(
  file: string,
  ctx: CommandContext,
): Promise<OpenedScenario | null> {
  const gate = await openScenarioFile(userPath(ctx, file), file);
  if (gate.ok) return gate.opened;
  reportScenarioIssues(file, gate.issues, ctx);
  return null;
}

/** A scenario's problems on stderr, one line each: `file: path: message`. */
export function reportScenarioIssues(
  file: string,
  issues: readonly ScenarioIssue[],
  ctx: CommandContext,
): void {
  for (const line of formatIssues(file, issues)) ctx.stderr.write(`${line}\n`);
}

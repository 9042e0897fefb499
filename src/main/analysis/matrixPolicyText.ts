/**
 * The analysis as text: one row per run, one row per (algorithm, game), then each game's target
 * and Nash equilibria, which the "near NE" columns refer to by number (NE1, NE2, …).
 */
import type { MixedNash } from '../../core/analysis/index.js';
import type { MatrixGameInfo } from './matrixGameInfo.js';
import { type MatrixPolicyReport, NEAR_NASH_DISTANCE } from './matrixPolicySummary.js';

/** Probabilities "0.83/0.00/0.17". */
export function formatDistribution(p: readonly number[]): string {
  return p.map((x) => x.toFixed(2)).join('/');
}

/** A joint action "(0,2)". */
function formatCell(cell: readonly number[]): string {
  return `(${cell.join(',')})`;
}

/** Payoffs "-5.71, 4.17". */
function formatPayoffs(payoffs: readonly number[]): string {
  return payoffs.map((x) => x.toFixed(2)).join(', ');
}

/** "NE2" for equilibrium index 1, "–" for none. */
function nashName(index: number | null): string {
  return index === null ? '–' : `NE${index + 1}`;
}

/** A Markdown table with every column padded to its widest cell. */
function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  const line = (cells: readonly string[]) =>
    `| ${cells.map((cell, c) => cell.padEnd(widths[c]!)).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}

/** "NE1 pure: agent 0 1.00/0.00/0.00, agent 1 0.00/0.00/1.00, payoffs 10.00, 10.00". */
function formatNash(nash: MixedNash, index: number): string {
  return (
    `${nashName(index)} ${nash.pure ? 'pure' : 'mixed'}: agent 0 ${formatDistribution(nash.leader)}, ` +
    `agent 1 ${formatDistribution(nash.follower)}, payoffs ${formatPayoffs(nash.payoffs)}`
  );
}

/** A game's target and equilibria, one line each. */
function formatGame(game: MatrixGameInfo): string {
  const head =
    `${game.label} (${game.env}): target = Stackelberg equilibrium ${formatCell(game.target.actions)}, ` +
    `payoffs ${formatPayoffs(game.target.payoffs)}`;
  return [head, ...game.equilibria.map((nash, i) => `  ${formatNash(nash, i)}`)].join('\n');
}

/** One row per run. */
function runsTable(report: MatrixPolicyReport): string {
  return markdownTable(
    [
      'algo',
      'game',
      'seed',
      'greedy',
      'P(greedy)',
      'P(target)',
      'agent 0',
      'agent 1',
      'E[payoff]',
      'near NE',
      'late at target',
    ],
    report.runs.map((run) => [
      run.algo,
      report.games.find((game) => game.env === run.env)!.label,
      String(run.seed),
      formatCell(run.greedy),
      run.greedyProbability.toFixed(2),
      run.targetProbability.toFixed(2),
      formatDistribution(run.leader),
      formatDistribution(run.follower),
      formatPayoffs(run.expectedPayoffs),
      nashName(run.nearNash),
      run.history === null ? '–' : run.history.lateShare.toFixed(2),
    ]),
  );
}

/** One row per (algorithm, game, training config). */
function groupsTable(report: MatrixPolicyReport): string {
  return markdownTable(
    [
      'algo',
      'game',
      'config',
      'runs',
      'updates',
      'greedy = target',
      'mean agent 0',
      'mean agent 1',
      'mean E[payoff]',
      'mean P(target)',
      'near NE (runs)',
      'near a mixed NE',
      'ever at target',
      'mean late at target',
    ],
    report.groups.map((g) => [
      g.algo,
      g.label,
      g.settings || '–',
      String(g.runs),
      g.updates[0] === g.updates[1] ? String(g.updates[0]) : `${g.updates[0]}–${g.updates[1]}`,
      `${g.greedyIsTarget}/${g.runs}`,
      formatDistribution(g.meanLeader),
      formatDistribution(g.meanFollower),
      formatPayoffs(g.meanExpectedPayoffs),
      g.meanTargetProbability.toFixed(2),
      g.nearNash.flatMap((count, i) => (count > 0 ? [`${nashName(i)} ${count}`] : [])).join(', ') || '–',
      `${g.nearMixedNash}/${g.runs}`,
      g.withHistory === 0 ? '–' : `${g.everAtTarget}/${g.withHistory}`,
      g.meanLateShare === null ? '–' : g.meanLateShare.toFixed(2),
    ]),
  );
}

/** The whole report as text. */
export function formatMatrixPolicyReport(report: MatrixPolicyReport): string {
  return [
    'Runs: greedy = the §c.7 greedy cell; agent 0 / agent 1 = marginal action probabilities under the',
    "policy's joint distribution π₀(a₀)·π₁(a₁|a₀); E[payoff] = each agent's expected payoff under it;",
    `near NE = the game's Nash equilibrium (below) both marginals are within ${NEAR_NASH_DISTANCE} of;`,
    'late at target = share of the later half of updates whose greedy cell was the target (metrics.jsonl',
    'eval/converged, logged after every update of a Table 1 game); ever at target = runs where it was once.',
    '',
    runsTable(report),
    '',
    'Per algorithm, game and training config (runs that differ only in seed; config = what sets a',
    'config apart from the others of the same algorithm and game, – when there are none):',
    '',
    groupsTable(report),
    '',
    'Games (Nash equilibria by support enumeration, docs/spec/steer.md §c.5):',
    '',
    ...report.games.map(formatGame),
    '',
  ].join('\n');
}

/**
 * `steer compare`'s pieces (src/main/commands/compare.ts is the command): the plan of runs, the
 * runs as a sweep, each run's final evaluation, learning curves over seeds with their
 * Student-t bands, the charts, the final table and the results card. Import from here, not from the
 * files.
 */

export {
  type CompareEnv,
  prepareCompareEnv,
  registryCompareEnv,
  scenarioCompareEnv,
} from '../sweep/batchEnv.js';
export { type CompareCardInfo, formatCompareCard } from './compareCard.js';
export { type ChartOptions, defaultMetrics, readRunMetrics, writeCharts } from './compareCharts.js';
export {
  type CompareEvalSettings,
  type CompareRunOutcome,
  evaluateCompareRun,
} from './compareEvaluation.js';
export { type CompareJob, planCompare } from './comparePlan.js';
export { type CompareSweepPlan, compareRunTarget, compareSweepRuns } from './compareSweep.js';
export { CURVE_AXES, type CurveAxis } from './curves.js';
export { type FinalTable, formatFinalTable, summarizeFinal } from './finalTable.js';

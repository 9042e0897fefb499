/**
 * `steer compare`'s pieces (src/main/commands/compare.ts is the command): the plan of runs, one
 * run's training and final evaluation in child processes, learning curves over seeds with their
 * Student-t bands, the charts, the final table and the results card. Import from here, not from the
 * files.
 */

export { type CompareCardInfo, formatCompareCard } from './compareCard.js';
export { type ChartOptions, defaultMetrics, readRunMetrics, writeCharts } from './compareCharts.js';
export {
  type CompareEnv,
  prepareCompareEnv,
  registryCompareEnv,
  scenarioCompareEnv,
} from './compareEnv.js';
export { type CompareJob, planCompare } from './comparePlan.js';
export { CURVE_AXES, type CurveAxis } from './curves.js';
export { type FinalTable, formatFinalTable, summarizeFinal } from './finalTable.js';
export { type CompareRunOutcome, type CompareRunSettings, runCompareJob } from './runCompareJob.js';

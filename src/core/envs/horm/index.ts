/** Public surface of the HORM env family (docs/spec/horm.md). */

export * from './fromScenario.js';
export type { HormEnvConfig, HormEnvSnapshot, HormPriorityRule, HormRewardType } from './hormEnv.js';
export { DEFAULT_HORM_ENV_CONFIG, HORM_ENV_PREFIX, HORM_GAMES, HormEnv } from './hormEnv.js';
export * from './scenarioGate.js';

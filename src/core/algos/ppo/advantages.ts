/**
 * What the PPO update does to the advantages between GAE and the losses (docs/spec/steer.md §b.5), on
 * flat arrays laid out [step][env][agent] (env agent order, as rolloutBuffer.ts stores them), in place.
 */

/**
 * Normalise to zero mean and unit standard deviation over the active entries (mask > 0); every
 * entry, active or not, is shifted and scaled by those statistics (the reference's behaviour).
 */
export function normalizeAdvantages(advantages: Float32Array, active: Float32Array): void {
  let count = 0;
  let sum = 0;
  for (let i = 0; i < advantages.length; i++) {
    if (active[i]! > 0) {
      sum += advantages[i]!;
      count += 1;
    }
  }
  const mean = count > 0 ? sum / count : 0;
  let sq = 0;
  for (let i = 0; i < advantages.length; i++) if (active[i]! > 0) sq += (advantages[i]! - mean) ** 2;
  const std = count > 0 ? Math.sqrt(sq / count) : 1;
  for (let i = 0; i < advantages.length; i++) advantages[i] = (advantages[i]! - mean) / (std + 1e-5);
}

/**
 * Multiply each row's leader's advantage by `scale`: its policy gradient shrinks by that factor
 * while its followers' stay, so it learns on a slower timescale while they form their answers to
 * its actions (config `leaderAdvantageScale`; 1 leaves them as they are). `priority` has the same
 * layout as `advantages` (or longer): entry p of a row is the agent deciding p-th, so the leader is
 * `priority[row·agents]` — the agent order can change from step to step (HORM's priority rules).
 */
export function scaleLeaderAdvantages(
  advantages: Float32Array,
  priority: Int32Array,
  agents: number,
  scale: number,
): void {
  if (scale === 1) return;
  for (let row = 0; row < advantages.length; row += agents) {
    const i = row + priority[row]!;
    advantages[i] = advantages[i]! * scale;
  }
}

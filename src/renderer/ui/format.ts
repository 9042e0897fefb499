/** How the player writes numbers and names (SI inside, display units here only). */
import type { ReplayHeader } from '../../core/replay/index.js';
import { NO_ACTION, NO_LANE } from '../../core/replay/index.js';

/** "12.3" with `digits` decimals; "—" for NaN or infinities. */
export function formatNumber(value: number, digits = 1): string {
  return Number.isFinite(value) ? value.toFixed(digits).replace(/^-(0\.?0*)$/, '$1') : '—';
}

/** "24.3 m/s (87 km/h)". */
export function formatSpeed(metresPerSecond: number): string {
  return `${formatNumber(metresPerSecond, 1)} m/s (${formatNumber(metresPerSecond * 3.6, 0)} km/h)`;
}

/** What each lane of the HORM road is (lane ids "from-to-index", docs/spec/horm.md §1.2). */
const LANE_ROLES: Readonly<Record<string, string>> = {
  'a-b-0': 'main road',
  'b-c-0': 'main road, merge zone',
  'c-d-0': 'main road, after the merge',
  'j-k-0': 'on-ramp',
  'k-b-0': 'on-ramp, converging',
  'b-c-1': 'merge lane',
};

/** "b-c-1 (merge lane)" for a lane byte of `header`. */
export function formatLane(header: ReplayHeader, lane: number): string {
  if (lane === NO_LANE) return 'none';
  const id = header.lanes[lane] ?? `lane ${lane}`;
  const role = LANE_ROLES[id];
  return role === undefined ? id : `${id} (${role})`;
}

/** "FASTER" for an action byte; "—" for none. */
export function formatAction(header: ReplayHeader, action: number): string {
  if (action === NO_ACTION) return '—';
  return header.actions[action] ?? `action ${action}`;
}

/** "1.2 KiB", "14.0 KiB", "3.4 MiB". */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

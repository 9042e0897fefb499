/**
 * What the player's panels say (src/renderer/player/panelText.ts), on the bundled samples: every
 * number is checked against the recorded frames as the core reader decodes them (sums, means,
 * counts, ranks), not against strings copied from the code.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeReplay, NO_RANK, type ReplayFrame } from '../../../../src/core/replay/index.js';
import { ReplayPlayer } from '../../../../src/renderer/playback/replayPlayer.js';
import {
  episodeNowRows,
  episodeSummaryRows,
  legendEntries,
  selectedVehiclePanel,
  transportReadout,
  vehicleEntry,
} from '../../../../src/renderer/player/panelText.js';
import {
  CRASHED_COLOUR_HEX,
  HDV_COLOUR_HEX,
  OBSTACLE_COLOUR_HEX,
  RANK_COLOURS_HEX,
  UNRANKED_COLOUR_HEX,
} from '../../../../src/renderer/scene/palette.js';
import type { FieldRow } from '../../../../src/renderer/ui/dom.js';

/** 100 decisions, no crash; agent 3 is on the on-ramp at step 30. */
const CALM = 'horm-hard-random-seed0';
/** 72 decisions; agent 3 crashes into the obstacle at the last one. */
const CRASH = 'horm-hard-random-seed4';

function open(name: string) {
  const bytes = new Uint8Array(
    readFileSync(new URL(`../../../../samples/replays/${name}.replay`, import.meta.url)),
  );
  return { player: new ReplayPlayer(bytes), decoded: decodeReplay(bytes) };
}

/** The value of the row labelled `label` (fails the test when there is none). */
function row(rows: readonly FieldRow[], label: string): FieldRow {
  const found = rows.find(([l]) => l === label);
  expect(found, `row "${label}" in ${JSON.stringify(rows)}`).toBeDefined();
  return found!;
}

/** The numbers in a text, in order ("a0 21.0 · a1 -7.2" → [0, 21, 1, -7.2]). */
function numbers(text: string): number[] {
  return Array.from(text.matchAll(/-?\d+(?:\.\d+)?/g), (m) => Number(m[0]));
}

/** Agent `agent`'s rewards summed over the decisions before frame `index`. */
function rewardsBefore(frames: readonly ReplayFrame[], index: number, agent: number): number {
  let sum = 0;
  for (let i = 0; i < index; i++) if (frames[i]!.decision) sum += frames[i]!.reward[agent]!;
  return sum;
}

describe('episodeSummaryRows', () => {
  it('describes the calm sample: scenario, seed, vehicles by kind, no crash', () => {
    const { player, decoded } = open(CALM);
    const rows = episodeSummaryRows(player);
    expect(rows.map(([label]) => label)).toEqual([
      'scenario',
      'seed',
      'model',
      'steps',
      'agents',
      'supervisor',
      'outcome',
      'returns',
    ]);
    expect(row(rows, 'scenario')[1]).toBe('HORM hard (horm:density-3)');
    expect(row(rows, 'seed')[1]).toBe('0 · density 3');
    expect(row(rows, 'model')[1]).toBe('random, sampled, seed 99');
    const first = decoded.frames[0]!;
    const hdvKind = decoded.header.kinds.indexOf('hdv');
    const hdvs = Array.from(first.kind).filter((k) => k === hdvKind).length;
    expect(hdvs).toBeGreaterThan(0);
    // 100 decisions of 0.2 s: 20 s of traffic.
    expect(row(rows, 'steps')[1]).toBe(
      `100 decisions · 20.0 s · ${first.vehicleCount} vehicles (${first.vehicleCount - hdvs} CAV, ${hdvs} HDV)`,
    );
    expect(row(rows, 'agents')[1]).toBe('4 · priority index · regional rewards');
    expect(row(rows, 'outcome')).toEqual(['outcome', 'no crash', undefined]);
  });

  it("names a trained run's algorithm and folder on the model row, as its replay header does (any algorithm)", () => {
    const { player } = open(CALM);
    for (const algo of ['steer', 'mappo', 'steer-otb-gru']) {
      // the header steer eval --record writes for a run (runModel, src/main/train/replayObserver.ts)
      const model = {
        name: algo,
        run: 'runs/m',
        checkpoint: 'runs/m/checkpoints/latest',
        update: 40,
        deterministic: true,
      };
      const source = {
        header: { ...player.header, model },
        footer: player.footer,
        frame: (i: number) => player.frame(i),
        rankAt: (i: number, j: number) => player.rankAt(i, j),
        returnBefore: (i: number, j: number) => player.returnBefore(i, j),
      };
      expect(row(episodeSummaryRows(source), 'model')[1]).toBe(`${algo}, greedy, update 40 (runs/m)`);
    }
  });

  it('counts the supervisor changes the frames record (proposed ≠ executed)', () => {
    for (const name of [CALM, CRASH]) {
      const { player, decoded } = open(name);
      let changed = 0;
      for (const frame of decoded.frames) {
        if (!frame.decision) continue;
        for (let j = 0; j < decoded.header.agents; j++)
          if (frame.proposed[j] !== frame.executed[j]) changed++;
      }
      expect(changed, name).toBeGreaterThan(1);
      expect(row(episodeSummaryRows(player), 'supervisor')[1], name).toBe(`on · ${changed} actions changed`);
    }
  });

  it('gives each agent the sum of its recorded rewards as its return', () => {
    const { player, decoded } = open(CALM);
    const shown = numbers(row(episodeSummaryRows(player), 'returns')[1]);
    const agents = decoded.header.agents;
    expect(shown).toHaveLength(2 * agents); // "a0 21.0 · a1 5.8 · …"
    for (let j = 0; j < agents; j++) {
      expect(shown[2 * j]).toBe(j);
      expect(shown[2 * j + 1]).toBeCloseTo(rewardsBefore(decoded.frames, decoded.frames.length, j), 1);
    }
  });

  it('names the crashed agent and the step, marked bad', () => {
    const { player } = open(CRASH);
    expect(row(episodeSummaryRows(player), 'outcome')).toEqual([
      'outcome',
      'agent 3 crashed at step 72',
      'bad',
    ]);
  });
});

describe('episodeNowRows', () => {
  it('gives the time, the mean speed of every vehicle and the team reward of the step', () => {
    const { decoded } = open(CALM);
    const frame = decoded.frames[30]!;
    const rows = episodeNowRows(decoded.header, frame);
    expect(row(rows, 'time')[1]).toBe('6.0 s (step 30)');
    const [ms, kmh] = numbers(row(rows, 'mean speed')[1]);
    const mean = Array.from(frame.speed).reduce((a, b) => a + b, 0) / frame.vehicleCount;
    expect(ms).toBeCloseTo(mean, 1);
    expect(kmh).toBeCloseTo(mean * 3.6, 0);
    const team = Array.from(frame.reward).reduce((a, b) => a + b, 0);
    const reward = row(rows, 'reward now')[1];
    expect(reward).toMatch(/\(sum over agents\)$/);
    expect(numbers(reward)[0]).toBeCloseTo(team, 3);
  });

  it('has no reward on the terminal frame', () => {
    const { decoded } = open(CALM);
    const last = decoded.frames.at(-1)!;
    expect(last.decision).toBe(false);
    const rows = episodeNowRows(decoded.header, last);
    expect(row(rows, 'time')[1]).toBe('20.0 s (step 100)');
    expect(row(rows, 'reward now')[1]).toBe('— (terminal state)');
  });
});

describe('vehicleEntry', () => {
  it('lists the agents as CAVs in their rank colour and the others as grey HDVs, with their speed', () => {
    const { player, decoded } = open(CALM);
    const frame = decoded.frames[30]!;
    const agents = decoded.header.agents;
    for (let i = 0; i < frame.vehicleCount; i++) {
      const entry = vehicleEntry(player, 30, i);
      expect(entry.crashed).toBe(false);
      expect(entry.speed).toBe(`${frame.speed[i]!.toFixed(1)} m/s`);
      if (i < agents) {
        const rank = frame.rank[i]!;
        expect(entry.label).toBe(`#${i} CAV · agent ${i} · rank ${rank}`);
        expect(entry.colour).toBe(RANK_COLOURS_HEX[rank]);
      } else {
        expect(entry.label).toBe(`#${i} HDV`);
        expect(entry.colour).toBe(HDV_COLOUR_HEX);
      }
    }
    // The leader is blue; every agent a different colour.
    const colours = Array.from({ length: agents }, (_, j) => vehicleEntry(player, 30, j).colour);
    expect(colours[frame.rank.indexOf(0)]).toBe(RANK_COLOURS_HEX[0]);
    expect(new Set(colours).size).toBe(agents);
  });

  it('shows a crashed vehicle red, "crashed" for its speed, and on the terminal frame the last recorded ranks', () => {
    const { player, decoded } = open(CRASH);
    const index = decoded.frames.length - 1;
    const last = decoded.frames[index]!;
    expect(last.rank[0]).toBe(NO_RANK); // the terminal frame records no rank
    const crashed = vehicleEntry(player, index, 3);
    expect(crashed).toMatchObject({ crashed: true, speed: 'crashed', colour: CRASHED_COLOUR_HEX });
    const before = decoded.frames[index - 1]!;
    expect(crashed.label).toBe(`#3 CAV · agent 3 · rank ${before.rank[3]}`);
    const other = vehicleEntry(player, index, 0);
    expect(other.crashed).toBe(false);
    expect(other.colour).toBe(RANK_COLOURS_HEX[before.rank[0]!]);
    expect(other.colour).not.toBe(UNRANKED_COLOUR_HEX);
  });
});

describe('selectedVehiclePanel', () => {
  it("shows a CAV's lane, rank, leader, proposed and executed action and its return so far", async () => {
    const { player, decoded } = open(CALM);
    await player.warm();
    const h = decoded.header;
    const frame = decoded.frames[30]!;
    const panel = selectedVehiclePanel(player, 30, 3);
    expect(panel.title).toBe('Vehicle #3 · CAV, agent 3');
    expect(panel.rows.map(([label]) => label)).toEqual([
      'speed',
      'position',
      'lane',
      'state',
      'rank',
      'proposed',
      'executed',
      'value',
      'reward',
      'return so far',
    ]);
    expect(row(panel.rows, 'lane')[1]).toBe('j-k-0 (on-ramp)');
    expect(row(panel.rows, 'state')).toEqual(['state', 'driving', undefined]);
    const [x, y] = numbers(row(panel.rows, 'position')[1]);
    expect(x).toBeCloseTo(frame.x[3]!, 1);
    expect(y).toBeCloseTo(frame.y[3]!, 1);
    // "3 of 4 (follows agent 2)": the agent it follows holds the rank before its own.
    const [rank, of, leader] = numbers(row(panel.rows, 'rank')[1]);
    expect(rank).toBe(frame.rank[3]);
    expect(of).toBe(h.agents);
    expect(frame.rank[leader!]).toBe(rank! - 1);
    expect(row(panel.rows, 'proposed')[1]).toBe(h.actions[frame.proposed[3]!]);
    expect(row(panel.rows, 'executed')[1]).toBe(h.actions[frame.executed[3]!]);
    expect(row(panel.rows, 'value')[1]).toBe('— (not recorded by this policy)'); // a random policy
    expect(numbers(row(panel.rows, 'reward')[1])[0]).toBeCloseTo(frame.reward[3]!, 3);
    expect(numbers(row(panel.rows, 'return so far')[1])[0]).toBeCloseTo(
      rewardsBefore(decoded.frames, 30, 3),
      3,
    );
  });

  it('calls the leader the leader', () => {
    const { player, decoded } = open(CALM);
    const leader = decoded.frames[30]!.rank.indexOf(0);
    expect(row(selectedVehiclePanel(player, 30, leader).rows, 'rank')[1]).toBe('0 of 4 (leader)');
  });

  it('marks an action the safety supervisor changed', () => {
    const { player, decoded } = open(CALM);
    const h = decoded.header;
    const index = decoded.frames.findIndex(
      (f) => f.decision && Array.from(f.proposed).some((a, j) => a !== f.executed[j]),
    );
    expect(index).toBeGreaterThanOrEqual(0);
    const frame = decoded.frames[index]!;
    const agent = Array.from(frame.proposed).findIndex((a, j) => a !== frame.executed[j]);
    const rows = selectedVehiclePanel(player, index, agent).rows;
    expect(row(rows, 'proposed')[1]).toBe(h.actions[frame.proposed[agent]!]);
    expect(row(rows, 'executed')).toEqual([
      'executed',
      `${h.actions[frame.executed[agent]!]} (changed by the safety supervisor)`,
      'note',
    ]);
  });

  it('says when the return is not known yet (before the replay is warmed)', () => {
    const { player } = open(CALM);
    expect(row(selectedVehiclePanel(player, 30, 3).rows, 'return so far')[1]).toBe('—');
  });

  it('shows an HDV without decision rows', () => {
    const { player, decoded } = open(CALM);
    const frame = decoded.frames[30]!;
    const hdv = decoded.header.agents; // vehicles after the agents are HDVs
    expect(frame.kind[hdv]).toBe(decoded.header.kinds.indexOf('hdv'));
    const panel = selectedVehiclePanel(player, 30, hdv);
    expect(panel.title).toBe(`Vehicle #${hdv} · HDV`);
    expect(panel.rows.map(([label]) => label)).toEqual(['speed', 'position', 'lane', 'state']);
    const [ms, kmh] = numbers(row(panel.rows, 'speed')[1]);
    expect(ms).toBeCloseTo(frame.speed[hdv]!, 1);
    expect(kmh).toBeCloseTo(frame.speed[hdv]! * 3.6, 0);
  });

  it('shows the crashed agent crashed, with no action on the terminal frame', () => {
    const { player, decoded } = open(CRASH);
    const index = decoded.frames.length - 1;
    const rows = selectedVehiclePanel(player, index, 3).rows;
    expect(row(rows, 'state')).toEqual(['state', 'crashed', 'bad']);
    expect(row(rows, 'proposed')[1]).toBe('— (terminal state)');
    expect(row(rows, 'executed')).toEqual(['executed', '—', undefined]);
    // The last step has no decision: its value is not "not recorded by this policy".
    expect(row(rows, 'value')[1]).toBe('— (terminal state)');
    expect(row(rows, 'reward')[1]).toBe('—');
  });

  it('asks for a vehicle when none (or one not in the frame) is selected', () => {
    const { player, decoded } = open(CALM);
    const hint = { title: 'Selected vehicle', rows: [['—', 'click a vehicle or pick one above']] };
    expect(selectedVehiclePanel(player, 30, -1)).toEqual(hint);
    expect(selectedVehiclePanel(player, 30, decoded.frames[30]!.vehicleCount)).toEqual(hint);
  });
});

describe('legendEntries', () => {
  it('has one colour per rank, leader first, then HDV, crashed and the obstacle', () => {
    const entries = legendEntries(4);
    expect(entries.map((e) => e.text)).toEqual([
      'CAV, rank 0 (leader)',
      'CAV, rank 1',
      'CAV, rank 2',
      'CAV, rank 3',
      'HDV (human-driven)',
      'crashed',
      'obstacle (end of the merge lane)',
    ]);
    expect(entries.slice(0, 4).map((e) => e.colour)).toEqual(RANK_COLOURS_HEX.slice(0, 4));
    expect(entries.slice(4).map((e) => e.colour)).toEqual([
      HDV_COLOUR_HEX,
      CRASHED_COLOUR_HEX,
      OBSTACLE_COLOUR_HEX,
    ]);
  });
});

describe('transportReadout', () => {
  it('counts steps out of the last and gives the time at 0.2 s a step', () => {
    const { player } = open(CRASH);
    const { stepS } = player.header;
    expect(transportReadout(0, player.lastFrame, stepS)).toEqual({ counter: 'step 0 / 72', clock: '0.0 s' });
    expect(transportReadout(40, player.lastFrame, stepS)).toEqual({
      counter: 'step 40 / 72',
      clock: '8.0 s',
    });
    expect(transportReadout(72, player.lastFrame, stepS)).toEqual({
      counter: 'step 72 / 72',
      clock: '14.4 s',
    });
  });
});

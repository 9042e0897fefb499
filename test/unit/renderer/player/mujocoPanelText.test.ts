/**
 * What the player says about a MuJoCo replay (src/renderer/player/mujocoPanelText.ts) and the
 * robot's body colours (palette.ts): agents listed in decision order with their colours, joints and
 * current action values; each body in the colour of the agent whose joint moves it.
 */
import { describe, expect, it } from 'vitest';
import { MujocoReplayPlayer } from '../../../../src/renderer/playback/mujocoReplayPlayer.js';
import {
  mujocoAgentRows,
  mujocoEpisodeRows,
  mujocoLegendEntries,
} from '../../../../src/renderer/player/mujocoPanelText.js';
import {
  RANK_COLOURS_HEX,
  ROBOT_FRAME_COLOUR_HEX,
  robotBodyColoursHex,
} from '../../../../src/renderer/scene/palette.js';
import { formatNumber } from '../../../../src/renderer/ui/format.js';
import { syntheticFrames, syntheticReplay } from '../../core/replay/mujocoFixtures.js';

const player = new MujocoReplayPlayer(syntheticReplay(10, 4));
const written = syntheticFrames(10);

describe('MuJoCo panels', () => {
  it('list the agents leader first, each with the action values of the current frame', () => {
    const rows = mujocoAgentRows(player, 3);
    // agent 0 sends the hip's value, agent 1 roll and pitch; stored as float32
    const [hip, roll, pitch] = Array.from(written[3]!.actions, (v) => formatNumber(Math.fround(v), 2));
    expect(rows).toEqual([
      ['1. agent 1 (roll, pitch, drives pitch, roll)', `${roll} · ${pitch}`],
      ['2. agent 0 (hip)', hip],
    ]);
    // the terminal frame shows the actions of the step before it
    expect(mujocoAgentRows(player, 9)).toEqual(mujocoAgentRows(player, 8));
  });

  it('the legend gives the leader the leader colour, then each follower in turn', () => {
    expect(mujocoLegendEntries(player.header)).toEqual([
      { colour: RANK_COLOURS_HEX[0], text: 'leader: agent 1 (roll, pitch, drives pitch, roll)' },
      { colour: RANK_COLOURS_HEX[1], text: 'follower 1: agent 0 (hip)' },
    ]);
    expect(mujocoEpisodeRows(player).map(([label]) => label)).toEqual([
      'env',
      'task',
      'seed',
      'model',
      'steps',
      'robot',
      'return',
    ]);
  });

  it('colour each body by the rank of the agent whose joint moves it, the rest in the frame colour', () => {
    expect(robotBodyColoursHex(4, [[2], [1, 1]], [1, 0])).toEqual([
      ROBOT_FRAME_COLOUR_HEX,
      RANK_COLOURS_HEX[0],
      RANK_COLOURS_HEX[1],
      ROBOT_FRAME_COLOUR_HEX,
    ]);
  });
});

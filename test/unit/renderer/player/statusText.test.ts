/**
 * What the player's list and status lines say (src/renderer/player/statusText.ts): list entries
 * from a real sample's summary, a real reader error, sizes and times in their units.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ReplayReader } from '../../../../src/core/replay/index.js';
import {
  cannotOpenText,
  frameTimeText,
  hostStatus,
  listPlaceholderText,
  liveStatus,
  openedStatus,
  replayListName,
  replayOption,
  STARTING_COUNTER_TEXT,
  STARTING_TEXT,
  showsFrameTime,
  sourcePlaceholderText,
} from '../../../../src/renderer/player/statusText.js';
import type { ReplayEntry } from '../../../../src/shared/api/contract.js';

const CRASH_PATH = 'samples/replays/horm-hard-random-seed4.replay';

/** The list entry the host makes of the crash sample (its summary from the file's own footer). */
function crashEntry(): ReplayEntry {
  const bytes = new Uint8Array(readFileSync(new URL(`../../../../${CRASH_PATH}`, import.meta.url)));
  const { header, footer } = ReplayReader.open(bytes);
  return {
    path: CRASH_PATH,
    root: 'samples',
    fileBytes: bytes.length,
    modifiedAt: '2026-11-25T12:00:00.000Z',
    summary: {
      env: header.env,
      scenario: header.scenario.name,
      seed: header.scenario.seed,
      model: header.model.name,
      agents: header.agents,
      steps: footer.summary.steps,
      frames: footer.frames,
      crashed: footer.summary.crashedAgents.length > 0,
    },
  };
}

describe('replayOption', () => {
  it('names a listed replay by root, file, scenario, model, steps and crash', () => {
    expect(replayOption(crashEntry())).toEqual({
      text: 'samples/ · horm-hard-random-seed4 · HORM hard · random · 72 steps · crash',
      value: CRASH_PATH,
      disabled: false,
      title: CRASH_PATH,
    });
  });

  it('tells apart replays with the same file name from different runs and evaluations', () => {
    const entry = crashEntry();
    const paths = [
      'runs/dash-1/replays/update-40/eval-1/episode-0-seed-10000.replay',
      'runs/dash-1/replays/update-40/eval-2/episode-00-seed-10000.replay',
      'runs/dash-2/replays/update-40/eval-1/episode-0-seed-10000.replay',
    ];
    const texts = paths.map((path) => replayOption({ ...entry, path, root: 'runs' }).text);
    expect(new Set(texts).size).toBe(paths.length);
    expect(texts[0]).toBe(
      'runs/ · dash-1/update-40/eval-1/episode-0-seed-10000 · HORM hard · random · 72 steps · crash',
    );
    expect(replayListName('runs/replays/editor/easy-idle-seed1-x.replay', 'runs')).toBe(
      'editor/easy-idle-seed1-x',
    );
  });

  it('greys out an unreadable file with the reason as its tooltip', () => {
    const { summary: _, ...entry } = crashEntry();
    const broken = { ...entry, path: 'runs/demo/broken.replay', root: 'runs' as const, error: 'cut short' };
    expect(replayOption(broken)).toEqual({
      text: 'runs/ · demo/broken · unreadable',
      value: 'runs/demo/broken.replay',
      disabled: true,
      title: 'cut short',
    });
  });

  it('prompts to choose, or says where replays would be', () => {
    expect(listPlaceholderText(0)).toBe('No replays under samples/ or runs/');
    expect(listPlaceholderText(2)).toBe('Choose a replay…');
  });

  it('says in the first option what an unlisted replay is', () => {
    expect(sourcePlaceholderText({ label: 'run.replay' }, false)).toBe('Local file: run.replay');
    expect(sourcePlaceholderText({ label: 'run', listText: 'Editor run: run' }, false)).toBe(
      'Editor run: run',
    );
    expect(sourcePlaceholderText({ label: CRASH_PATH }, true)).toBe('Choose a replay…');
  });
});

describe('status lines', () => {
  it('says which host serves the app', () => {
    const info = {
      name: 'STEER Studio',
      version: '0.1.0',
      host: 'web' as const,
      replayRoots: [],
      replayFormatVersions: [1],
    };
    expect(hostStatus(info)).toBe('STEER Studio 0.1.0 · web host');
  });

  it('gives the size in KiB and the time to the first frame in whole ms', () => {
    expect(openedStatus(CRASH_PATH, 15_000, 123.4)).toBe(`${CRASH_PATH} · 14.6 KiB · first frame in 123 ms`);
    expect(openedStatus('tiny.replay', 900, 7.6)).toBe('tiny.replay · 900 B · first frame in 8 ms');
  });

  it('counts the steps of a live run, and sizes its finished file', () => {
    expect(liveStatus('merge', 4000, 12, false)).toBe('merge · simulating… step 12');
    expect(liveStatus('merge.replay', 3 * 1024 * 1024, 100, true)).toBe(
      'merge.replay · 3.0 MiB · 100 steps simulated',
    );
  });

  it("passes the reader's one-line reason on", () => {
    let error: unknown;
    try {
      ReplayReader.open(new TextEncoder().encode('{"name": "not a replay"}'));
    } catch (caught) {
      error = caught;
    }
    const text = cannotOpenText('notes.replay', error);
    expect(text.message).toMatch(/^Cannot open notes\.replay: not a STEER replay/);
    expect(text.status).toBe('cannot open notes.replay');
    expect(cannotOpenText('x', 'host gone').message).toBe('Cannot open x: host gone');
  });

  it('says where the scene draws, and the cap on software WebGL', () => {
    expect(frameTimeText(0.314, 'worker', 30)).toBe(
      '0.31 ms/frame · drawn in a worker at ~30 frames/s (software WebGL)',
    );
    expect(frameTimeText(0.314, 'worker', null)).toBe('0.31 ms/frame · drawn in a worker');
    expect(frameTimeText(2, 'main-thread', null)).toBe('2.00 ms/frame · drawn on the main thread');
  });
});

describe('a live run starting', () => {
  it('says it is starting instead of showing an empty road at "step 0 / 0"', () => {
    expect(STARTING_COUNTER_TEXT).toBe('starting…');
    expect(STARTING_TEXT).toMatch(/^Starting the simulation… .* a few seconds\.$/);
  });
});

describe('showsFrameTime', () => {
  it('shows the developer readout ("ms/frame · drawn in a worker") only with ?debug', () => {
    expect(showsFrameTime('')).toBe(false);
    expect(showsFrameTime('?token=abc&tab=editor')).toBe(false);
    expect(showsFrameTime('?token=abc&debug=1')).toBe(true);
    expect(showsFrameTime('?debug')).toBe(true);
  });
});

import { describe, expect, it } from 'vitest';
import {
  APP_TARGETS,
  FRAME_CLOCK_SCRIPT,
  type FrameSummary,
  missedTargets,
  quantile,
  summarizeFrames,
  taskMetricsPerFrame,
} from '../../../../src/main/web/frameStats.js';

const frames = (p95Ms: number, count = 600): FrameSummary => ({
  frames: count,
  medianMs: 1,
  p95Ms,
  maxMs: 9,
});

describe('frame statistics of bench:app', () => {
  it('takes nearest-rank quantiles whatever the order', () => {
    const values = [5, 1, 4, 2, 3, 10, 9, 8, 7, 6]; // 1..10 shuffled
    expect(quantile(values, 0.5)).toBe(5);
    expect(quantile(values, 0.95)).toBe(10);
    expect(quantile(values, 0.9)).toBe(9);
    expect(quantile(values, 1)).toBe(10);
    expect(quantile([], 0.5)).toBeNaN();
    expect(values).toEqual([5, 1, 4, 2, 3, 10, 9, 8, 7, 6]); // not sorted in place
  });

  it('summarises 100 frames: one slow frame in 10 moves the p95, not the median', () => {
    const times = Array.from({ length: 100 }, (_, k) => (k % 10 === 9 ? 12 : 1 + k / 1000));
    const s = summarizeFrames(times);
    expect(s.frames).toBe(100);
    expect(s.medianMs).toBeLessThan(1.1);
    expect(s.p95Ms).toBe(12); // 10 slow frames of 100 fill ranks 91–100
    expect(s.maxMs).toBe(12);
  });

  it('judges frames on the p95 and openings on their max (list) and median (file)', () => {
    const ok = {
      frames: { '1x': frames(3.9), '8x': frames(APP_TARGETS.frameP95Ms) },
      openListMaxMs: 120,
      openFileMedianMs: 5,
    };
    expect(missedTargets(ok)).toEqual([]);
    const slow = missedTargets({ ...ok, frames: { '1x': frames(3.9), '8x': frames(4.2) } });
    expect(slow).toEqual(['main thread per frame at 8x: p95 4.2 ms over 600 frames > 4 ms']);
    expect(missedTargets({ ...ok, openListMaxMs: 300, openFileMedianMs: 301 })).toHaveLength(2);
  });

  it('counts a speed with no frames, or unmeasured figures, as missed', () => {
    expect(
      missedTargets({ frames: { '1x': summarizeFrames([]) }, openListMaxMs: 10, openFileMedianMs: 10 }),
    ).toHaveLength(1);
    expect(missedTargets({ frames: {}, openListMaxMs: Number.NaN, openFileMedianMs: 10 })).toHaveLength(1);
  });

  it('turns CDP counter deltas [s] into ms per frame', () => {
    const before = {
      TaskDuration: 1,
      ScriptDuration: 0.5,
      RecalcStyleDuration: 0.1,
      LayoutDuration: 0.05,
      ThreadTime: 2,
    };
    const after = {
      TaskDuration: 1.6,
      ScriptDuration: 0.8,
      RecalcStyleDuration: 0.13,
      LayoutDuration: 0.08,
      ThreadTime: 2.3,
    };
    expect(taskMetricsPerFrame(before, after, 300)).toEqual({
      taskMs: 2,
      scriptMs: 1,
      recalcStyleMs: 0.1,
      layoutMs: 0.1,
      cpuMs: 1,
    });
  });

  it('ships a frame clock that is plain script (parses without TypeScript helpers)', () => {
    expect(() => new Function(FRAME_CLOCK_SCRIPT)).not.toThrow();
    expect(FRAME_CLOCK_SCRIPT).not.toMatch(/__name|__awaiter/);
  });
});

import { describe, expect, it } from 'vitest';
import { REFERENCE_QUIRKS } from '../../../../../src/core/sim/horm/config.js';
import { EPISODE_STEPS, episodeStepsForDuration, HormSim } from '../../../../../src/core/sim/horm/hormSim.js';
import type { VehicleSpec } from '../../../../../src/core/sim/horm/scene/spawn.js';

/** Appendix A.2: the seed-0 initial scene of the reference (state injection, docs/spec/horm.md §5.3). */
const A2_SCENE: VehicleSpec[] = [
  { kind: 'cav', x: 170.9978595366, y: 0, speed: 25.1420721164 },
  { kind: 'cav', x: 45.8344702528, y: 10.5, speed: 25.1742585994 },
  { kind: 'hdv', x: 206.1100364447, y: 10.5, speed: 25.0404367949 },
];

const LABELS = ['ab0', 'bc0', 'bc1', 'cd0', 'jk0', 'kb0'];

/** Appendix A.3 rows: step → [agent0 x, v, lane], [agent1 x, v], [hdv x, y, h, v, lane], local, regional. */
const A3: Record<
  number,
  { a0: number[]; a1: number[]; hdv: number[]; lanes: string[]; local: number[]; regional: number[] }
> = {
  1: {
    a0: [176.13023, 0, 26.588122],
    a1: [50.758597, 10.5, 23.634047],
    hdv: [211.118124, 10.5, 0, 25.040437],
    lanes: ['ab0', 'jk0', 'jk0'],
    local: [0.829406, 0.681702],
    regional: [0.829406, 0.681702],
  },
  10: {
    a0: [228.168222, 0, 29.858135],
    a1: [88.848364, 10.5, 20.151103],
    hdv: [256.137831, 8.844114, -0.090247, 25.040437],
    lanes: ['ab0', 'jk0', 'kb0'],
    local: [0.992907, 0.507555],
    regional: [0.750231, 0.507555],
  },
  20: {
    a0: [288.085589, 0, 29.995857],
    a1: [128.936378, 10.5, 20.004413],
    hdv: [305.991924, 4.15471, -0.055904, 25.040437],
    lanes: ['ab0', 'jk0', 'kb0'],
    local: [0.999793, 0.500221],
    regional: [0.750007, 0.500221],
  },
  25: {
    a0: [318.083528, 0, 29.999292],
    a1: [148.938573, 10.5, 20.000754],
    hdv: [330.693328, 3.504498, -0.07811, 23.192775],
    lanes: ['ab0', 'jk0', 'bc1'],
    local: [0.999965, 0.500038],
    regional: [0.750001, 0.500038],
  },
  28: {
    a0: [336.08325, 0, 29.999755],
    a1: [160.938869, 10.5, 20.000261],
    hdv: [343.843949, 1.427527, -0.157379, 21.588789],
    lanes: ['bc0', 'jk0', 'bc0'],
    local: [-5.137765, 0.500013],
    regional: [-5.137765, 0.500013],
  },
  29: {
    a0: [342.083206, 0, 29.999828],
    a1: [164.938915, 10.5, 20.000183],
    hdv: [348.140865, 0.851358, -0.130052, 21.851763],
    lanes: ['bc0', 'jk0', 'bc0'],
    local: [-6.128768, 0.500009],
    regional: [-6.128768, 0.500009],
  },
  30: {
    a0: [348.083175, 0, 22.098439],
    a1: [168.938948, 10.5, 20.000129],
    hdv: [352.505721, 0.412601, -0.0969, 22.098439],
    lanes: ['bc0', 'jk0', 'bc0'],
    local: [-206.55953, 0.500006],
    regional: [-206.55953, 0.500006],
  },
};

describe('HormSim — Appendix A', () => {
  it('A.2: the injected seed-0 scene gives the reference reset observation', () => {
    const sim = new HormSim({ density: 1, quirks: REFERENCE_QUIRKS, safetySupervisor: false });
    sim.resetWith(A2_SCENE);
    const t = sim.world.vehicles;
    expect(Array.from(t.targetSpeed.subarray(0, 3))).toEqual([25, 25, 25.0404367949]);
    expect(t.timer[2]).toBeCloseTo(0.5004991886, 9);
    const agent0 = [
      1, 1.139986, 0, 0.558713, 0, 1, 0.234081, 0.875, -0.002259, 0, 1, -0.834423, 0.875, 0.000715, 0,
    ];
    const agent1 = [
      1, 0.305563, 0.875, 0.559428, 0, 1, 0.834423, -0.875, -0.000715, 0, 1, 1.068504, 0, -0.002974, 0,
    ];
    const obs = Array.from(sim.obs);
    agent0.forEach((v, j) => {
      expect(obs[j]).toBeCloseTo(v, 5);
    });
    agent1.forEach((v, j) => {
      expect(obs[27 + j]).toBeCloseTo(v, 5);
    });
    expect(obs.slice(15, 27)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0]);
    expect(obs.slice(27 + 15, 54)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
  });

  it('A.3: the scripted run with the supervisor off matches the reference within 1e-5', () => {
    const sim = new HormSim({ density: 1, quirks: REFERENCE_QUIRKS, safetySupervisor: false });
    sim.resetWith(A2_SCENE);
    const t = sim.world.vehicles;
    for (let step = 1; step <= 30; step++) {
      expect(sim.done).toBe(false);
      sim.step(step === 1 ? [3, 4] : [1, 1]);
      const row = A3[step];
      if (row === undefined) continue;
      expect(t.x[0]).toBeCloseTo(row.a0[0]!, 5);
      expect(t.speed[0]).toBeCloseTo(row.a0[2]!, 5);
      expect(t.x[1]).toBeCloseTo(row.a1[0]!, 5);
      expect(t.speed[1]).toBeCloseTo(row.a1[2]!, 5);
      expect(t.x[2]).toBeCloseTo(row.hdv[0]!, 5);
      expect(t.y[2]).toBeCloseTo(row.hdv[1]!, 5);
      expect(t.heading[2]).toBeCloseTo(row.hdv[2]!, 5);
      expect(t.speed[2]).toBeCloseTo(row.hdv[3]!, 5);
      expect([0, 1, 2].map((i) => LABELS[t.lane[i]!])).toEqual(row.lanes);
      row.local.forEach((r, k) => {
        expect(sim.localRewards[k]).toBeCloseTo(r, 5);
      });
      row.regional.forEach((r, k) => {
        expect(sim.regionalRewards[k]).toBeCloseTo(r, 5);
      });
    }
    expect(sim.time).toBe(90);
    expect(sim.done).toBe(true);
    expect([t.crashed[0], t.crashed[1], t.crashed[2]]).toEqual([1, 0, 1]);
    expect(sim.globalReward).toBeCloseTo(-103.029762, 5);
  });
});

describe('HormSim — episode length (docs/spec/horm.md §2.3, §2.5)', () => {
  it('durationS → policy steps at 5 Hz: the first step with steps ≥ duration · 5 ends the episode', () => {
    expect(episodeStepsForDuration(20)).toBe(EPISODE_STEPS);
    expect(EPISODE_STEPS).toBe(100);
    expect(episodeStepsForDuration(0.2)).toBe(1);
    expect(episodeStepsForDuration(12)).toBe(60);
    expect(episodeStepsForDuration(20.1)).toBe(101); // 100.5 → the 101st decision
    expect(episodeStepsForDuration(20.2)).toBe(101); // 20.2 · 5 = 101.00000000000001 in floats
    expect(() => episodeStepsForDuration(0)).toThrow('durationS expected a finite number > 0 s, received 0');
  });

  it('the time limit ends the episode after episodeSteps policy steps, with every sub-step', () => {
    const sim = new HormSim({
      vehicles: [{ kind: 'cav', lane: { from: 'a', to: 'b', index: 0 }, positionM: 10, speedMps: 25 }],
      episodeSteps: 60,
    });
    sim.reset(0);
    while (!sim.done) sim.step([1]);
    expect([sim.steps, sim.time, sim.anyCavCrashed()]).toEqual([60, 180, false]);
    expect(() => sim.step([1])).toThrow(/the episode is over/);
  });
});

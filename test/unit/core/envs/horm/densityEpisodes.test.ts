/**
 * Pins density-2 episodes (docs/spec/horm.md §5.1: 3 CAVs, 2–4 HDVs) to the numbers they gave before
 * scenario traffic lists, road lengths and durations reached the simulator: density episodes must
 * stay bit-identical for runs trained before that change (same seed → same episode). Exact
 * equality on purpose; if a deliberate physics change moves these numbers, regenerate them and say
 * so in the change. Regenerated once: the all-IDLE episode's final x of vehicles 4 and 6 moved when
 * MOBIL's safety check began to see a follower on the lane leading into the merge area
 * (behavior/neighbours.ts, docs/horm.md "Lane neighbours").
 */
import { describe, expect, it } from 'vitest';
import { HormEnv } from '../../../../../src/core/envs/horm/index.js';
import { Rng } from '../../../../../src/core/rng.js';

/** Plays one episode (random seeded actions, or all IDLE when actionSeed is null) and digests it. */
function playEpisode(env: HormEnv, seed: number, actionSeed: number | null) {
  const rng = Rng.fromSeed(actionSeed ?? 0).fork('pin-actions');
  const first = env.reset(seed);
  const t = env.sim.world.vehicles;
  const n = env.spec.numAgents;
  const initial = {
    count: t.count,
    x: Array.from(t.x.subarray(0, t.count)),
    y: Array.from(t.y.subarray(0, t.count)),
    speed: Array.from(t.speed.subarray(0, t.count)),
    obs: Array.from(first.obs.subarray(0, 8)),
  };
  const returns: number[] = new Array(n).fill(0);
  const actions = new Int32Array(n).fill(1);
  let steps = 0;
  let changed = 0;
  let merging = 0;
  let priorities = '';
  let done = false;
  let obsSum = 0;
  while (!done) {
    if (actionSeed !== null) for (let k = 0; k < n; k++) actions[k] = rng.int(5);
    const tr = env.step(actions);
    steps++;
    changed += env.sim.actionsChanged;
    merging += tr.info['reward/mergingLane']!;
    for (let k = 0; k < n; k++) returns[k]! += tr.rewards[k]!;
    priorities += Array.from(tr.priority).join('');
    done = tr.episodeDone;
    if (done) for (const v of tr.obs) obsSum += v;
  }
  return {
    initial,
    steps,
    changed,
    merging,
    returns,
    obsSum,
    crashed: Array.from(t.crashed.subarray(0, t.count)),
    finalX: Array.from(t.x.subarray(0, t.count)),
    priorities,
  };
}

/** Digests recorded before the change (random seeded actions, all IDLE, closest-to-merge rule). */
const PINNED = {
  random: [
    {
      initial: {
        count: 6,
        x: [
          209.71581557130244, 164.6654623559029, 45.27795484362798, 90.82329994482484, 4.594072810443284,
          124.10542635257737,
        ],
        y: [0, 10.5, 10.5, 0, 10.5, 10.5],
        speed: [
          26.21297435874564, 26.93580485459584, 26.914830600812255, 25.368786897298474, 25.84092171849581,
          25.365333060614265,
        ],
        obs: [1, 1.3981053829193115, 0, 0.5825105309486389, 0, 1, -0.30033567547798157, 0.875],
      },
      steps: 100,
      changed: 0,
      merging: -0.02609599076894132,
      returns: [69.26549784776437, 63.69913455873369, 30.419826732341424],
      obsSum: 27.0746642273225,
      crashed: [0, 0, 0, 0, 0, 0],
      finalX: [
        705.3955794570142, 614.979461127704, 450.3631937282353, 553.8837120219483, 420.4964069248498,
        410.5125117110963,
      ],
      priorities:
        '012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012',
    },
    {
      initial: {
        count: 6,
        x: [
          8.725412952363135, 164.27485956625605, 204.98569548062162, 88.77659143447002, 125.8114865176397,
          45.93627914413247,
        ],
        y: [0, 10.5, 10.5, 0, 10.5, 10.5],
        speed: [
          25.93367855373339, 26.469046015916465, 26.935148538128452, 25.856629750144645, 25.778597621027327,
          25.284507437891016,
        ],
        obs: [1, 0.058169420808553696, 0, 0.5763039588928223, 0, 1, 0.24807244539260864, 0.875],
      },
      steps: 100,
      changed: 2,
      merging: -0.10207434551866969,
      returns: [61.32348342882541, 60.263383403671234, 60.263383403671234],
      obsSum: 27.509766860435345,
      crashed: [0, 0, 0, 0, 0, 0],
      finalX: [
        454.9135982036551, 613.2739099418941, 694.6042356780905, 549.532731234423, 503.87240389065704,
        423.63645391553007,
      ],
      priorities:
        '012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012',
    },
  ],
  idle: {
    initial: {
      count: 7,
      x: [
        50.5905514479965, 164.0747010733841, 205.18335898798324, 129.40410645223764, 9.04283412783507,
        84.91854103580013, 4.385371905072061,
      ],
      y: [0, 10.5, 10.5, 0, 0, 10.5, 10.5],
      speed: [
        26.592190048218608, 25.245046272597786, 25.458789976736035, 26.049760393897287, 25.830609683233018,
        25.961362671924704, 26.41333129274729,
      ],
      obs: [1, 0.3372703492641449, 0, 0.5909375548362732, 0, 1, 0.2288532704114914, 0.875],
    },
    steps: 95,
    changed: 11,
    merging: -3.925129880847374,
    returns: [-215.10356910538752, 10.51032253457944, 18.455314515215015],
    obsSum: 27.21933233446908,
    crashed: [1, 0, 0, 1, 0, 0, 0],
    finalX: [
      473.53916390397075, 503.50978160303185, 520.7466588758286, 478.0370789709919, 414.58434324069293,
      445.32144842528714, 405.16861250862667,
    ],
    priorities:
      '012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012012',
  },
  closestToMerge: {
    initial: {
      count: 6,
      x: [
        10.045863867201968, 206.34986932659214, 164.74586732343994, 129.59981364632492, 45.251725861909094,
        84.25742753628694,
      ],
      y: [0, 10.5, 10.5, 0, 10.5, 10.5],
      speed: [
        26.74570309135867, 25.5721022911526, 25.59053639809912, 25.972133511748627, 25.631723533176096,
        26.580547468636595,
      ],
      obs: [1, 0.06697242707014084, 0, 0.5943489670753479, 0, 1, 0.23470574617385864, 0.875],
    },
    steps: 93,
    changed: 11,
    merging: -4.078670423174979,
    returns: [-189.3171578863272, 5.920859853552275, 13.311424623412824],
    obsSum: 26.784686939330346,
    crashed: [1, 0, 0, 0, 0, 1],
    finalX: [
      446.98008810388905, 517.9811897030187, 500.3882719247569, 475.0734166882225, 422.0277580305633,
      451.45516192139337,
    ],
    priorities:
      '120120120120120120120120120120120120120120120120120120120120120120120120120120210210210210210210210210210210210210210210210210201201201201021021021021021021021021021021021021021021021021021021021021021021021021021021021021021021021021021021021021021021021021021021021021021021021',
  },
};

describe('density-2 episodes are pinned', () => {
  it('random actions, supervisor on, regional rewards: seeds 7 and 8 in one env', () => {
    const env = new HormEnv(2);
    expect([playEpisode(env, 7, 1), playEpisode(env, 8, 2)]).toEqual(PINNED.random);
  });

  it('all IDLE: ramp CAVs reach the merge lane, the supervisor steps in, one crashes', () => {
    expect(playEpisode(new HormEnv(2), 3, null)).toEqual(PINNED.idle);
  });

  it('closest-to-merge priority rule and local rewards', () => {
    const env = new HormEnv(2, { priority: 'closestToMerge', rewardType: 'local' });
    expect(playEpisode(env, 5, null)).toEqual(PINNED.closestToMerge);
  });
});

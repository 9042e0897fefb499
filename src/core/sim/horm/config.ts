/**
 * Switches between the correct behaviour (default) and the STEER reference's quirks
 * (docs/spec/horm.md §10, header note: "the product does the correct thing by default and keeps the
 * reference behaviour behind an option"). This file imports nothing, so every simulator layer may
 * read it.
 */

/** Reference quirks that change simulated outcomes; each `true` restores the reference behaviour. */
export interface HormQuirks {
  /**
   * Collision test: `false` = exact overlap of the 90 % rectangles (planck contacts in the world,
   * separating-axis test in the supervisor); `true` = the reference 9-point test with the +heading
   * rotation sign and the 5 m centre pre-check (docs/spec/horm.md §2.6, §10.8).
   */
  readonly referenceCollision: boolean;
  /** The 100th policy step stops after its first sub-step (docs/spec/horm.md §2.3, §10.4). */
  readonly shortLastStep: boolean;
  /**
   * IDM/MOBIL only see vehicles on the current lane segment ±5 m, also beyond x = 525 m
   * (docs/spec/horm.md §4.2, §10.9). `false`: a leader on the next lane is seen too and the last lane
   * has no end.
   */
  readonly segmentLocalNeighbours: boolean;
  /** IDM desired gap d* is not clamped, so a negative d* still brakes (docs/spec/horm.md §4.2, §10.10). */
  readonly unclampedDesiredGap: boolean;
  /**
   * FASTER/SLOWER step from the index of the current speed (numpy round-half-even), not of the
   * current target (docs/spec/horm.md §3.2, §10.11).
   */
  readonly speedIndexFromSpeed: boolean;
}

/** Correct behaviour everywhere (the product default). */
export const CORRECT_BEHAVIOUR: HormQuirks = Object.freeze({
  referenceCollision: false,
  shortLastStep: false,
  segmentLocalNeighbours: false,
  unclampedDesiredGap: false,
  speedIndexFromSpeed: false,
});

/** Every reference quirk on: matches the STEER reference (Appendix A/B comparisons). */
export const REFERENCE_QUIRKS: HormQuirks = Object.freeze({
  referenceCollision: true,
  shortLastStep: true,
  segmentLocalNeighbours: true,
  unclampedDesiredGap: true,
  speedIndexFromSpeed: true,
});

/**
 * How vehicle poses evolve (docs/design.md "HORM physics"): "reference" integrates the kinematic
 * bicycle model in float64 (docs/spec/horm.md §2.2) and only reads contacts from planck; "dynamic" lets
 * planck integrate rigid bodies driven by a tyre model (vehicle/tyreModel.ts). Everything else
 * (controllers, observation, reward, supervisor, frequencies) is the same in both.
 */
export type HormPhysicsMode = 'reference' | 'dynamic';

/** The physics modes, in documentation order. */
export const HORM_PHYSICS_MODES: readonly HormPhysicsMode[] = Object.freeze(['reference', 'dynamic']);

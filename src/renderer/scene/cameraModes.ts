/**
 * The player's camera views (cameraRig.ts draws them): a file of its own, without three.js, so the
 * worker's message schemas (sceneMessages.ts) can name them.
 */

/** A camera mode. */
export type CameraMode = 'orbit' | 'follow' | 'top';

/** Camera modes in button order. */
export const CAMERA_MODES = Object.freeze([
  'orbit',
  'follow',
  'top',
] as const satisfies readonly CameraMode[]);

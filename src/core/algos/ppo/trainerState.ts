/**
 * A Trainer's state as checkpoint data: the meta JSON (`TrainerMeta`: counters, RNG, value
 * normaliser, env snapshots, configs) and every parameter's weights and Adam moments as named
 * float32 arrays; on import, the architecture check and the loading of those arrays, then the
 * migration of what older versions wrote (last section). The trainer's `exportState`/`importState`
 * put the pieces together; src/main/train/trainerCheckpoint.ts writes and reads them.
 */
import type { Adam } from '../../nn/adam.js';
import { GAIN_ACTIVATE } from '../../nn/init.js';
import * as tf from '../../nn/tf.js';
import type { RngState } from '../../rng.js';
import type { TrainConfig } from '../config.js';
import type { MarlNetwork, NetworkConfig } from '../marl.js';
import type { ValueNormState } from './valueNorm.js';

/** Everything a checkpoint needs besides the tensors. */
export interface TrainerMeta {
  config: TrainConfig;
  envName: string;
  /** The network's config (its algorithm's; STEER's for runs before algorithms were named). */
  modelConfig: NetworkConfig;
  update: number;
  envSteps: number;
  rng: RngState;
  valueNorm: ValueNormState;
  adamStep: number;
  envSnapshots: unknown[] | null;
  episodeReturns: number[][];
  episodeLengths: number[];
}

/** A named float32 tensor as plain data. */
export interface NamedArray {
  name: string;
  shape: number[];
  data: Float32Array;
}

/**
 * Every parameter's weights (`model.<name>`) and Adam moments (`adam.m.<name>`, `adam.v.<name>`),
 * copied: training on does not change them.
 */
export function exportTensors(model: MarlNetwork, optimizer: Adam): NamedArray[] {
  const tensors: NamedArray[] = [];
  const { m, v } = optimizer.moments();
  model.params.entries().forEach(([name, p], i) => {
    tensors.push({ name: `model.${name}`, shape: p.shape, data: p.dataSync() as Float32Array });
    tensors.push({ name: `adam.m.${name}`, shape: p.shape, data: m[i]!.slice() });
    tensors.push({ name: `adam.v.${name}`, shape: p.shape, data: v[i]!.slice() });
  });
  return tensors;
}

/**
 * Refuses a checkpoint's model config unless it equals `mine` field by field (fields added since
 * it was written take the value that reproduces it), naming the field.
 */
export function checkModelConfig(mine: NetworkConfig, theirs: NetworkConfig): void {
  const ours = withAddedModelDefaults(mine) as unknown as Record<string, unknown>;
  const saved = withAddedModelDefaults(theirs) as unknown as Record<string, unknown>;
  for (const key of Object.keys(ours)) {
    if (JSON.stringify(ours[key]) !== JSON.stringify(saved[key])) {
      throw new Error(
        `checkpoint modelConfig.${key} is ${JSON.stringify(saved[key])}, but this run needs ${JSON.stringify(ours[key])}`,
      );
    }
  }
}

/**
 * Loads `exportTensors` data into `model` and `optimizer` by name, after splitting fused attention
 * (older checkpoints). Moments are optional (they start at zero); a missing weight or a wrong shape
 * is refused, naming the tensor.
 */
export function importTensors(model: MarlNetwork, optimizer: Adam, tensors: NamedArray[]): void {
  const byName = new Map(splitFusedAttention(tensors).map((t) => [t.name, t]));
  const { m, v } = optimizer.moments();
  model.params.entries().forEach(([name, p], i) => {
    for (const [prefix, target] of [
      ['model.', p],
      ['adam.m.', m[i]!],
      ['adam.v.', v[i]!],
    ] as const) {
      const t = byName.get(prefix + name);
      if (!t) {
        if (prefix !== 'model.') continue; // moments are optional: they start at zero
        throw new Error(`checkpoint has no tensor "${prefix}${name}"`);
      }
      if (t.shape.join(',') !== p.shape.join(',')) {
        throw new Error(`checkpoint tensor "${prefix}${name}" has shape [${t.shape}], expected [${p.shape}]`);
      }
      if (target instanceof Float32Array) {
        target.set(t.data);
      } else {
        const value = tf.tensor(t.data, p.shape);
        target.assign(value);
        value.dispose();
      }
    }
  });
}

// --- migration of checkpoints written by older versions ---

/**
 * Model-config fields added after checkpoints were written, each with the value that reproduces
 * those checkpoints (the model-config twin of config.ts's ADDED_KEY_DEFAULTS).
 */
export const ADDED_MODEL_CONFIG_DEFAULTS = { actionEncoderGain: GAIN_ACTIVATE } as const;

/**
 * A model config with the fields it lacks (written before they existed) filled in. They are STEER
 * network fields: only a STEER config (one with an embedding width and the state token switch)
 * gets them.
 */
export function withAddedModelDefaults(c: NetworkConfig): NetworkConfig {
  const isSteer = 'embedDim' in c && 'useStateToken' in c;
  return isSteer ? { ...ADDED_MODEL_CONFIG_DEFAULTS, ...c } : c;
}

/**
 * Checkpoints written before key, query and value became separate layers hold one fused
 * `attn.qkv` tensor ([D, 3D] weight, [3D] bias, thirds in key, query, value order) per block and
 * per Adam moment; this splits them into the three tensors the model now has. Others pass through.
 */
export function splitFusedAttention(tensors: NamedArray[]): NamedArray[] {
  const out: NamedArray[] = [];
  for (const t of tensors) {
    const match = /^(.*\.attn\.)qkv\.(weight|bias)$/.exec(t.name);
    if (!match) {
      out.push(t);
      continue;
    }
    const [, prefix, kind] = match as unknown as [string, string, 'weight' | 'bias'];
    const width = t.shape[t.shape.length - 1]! / 3; // D
    const rows = kind === 'weight' ? t.shape[0]! : 1;
    ['key', 'query', 'value'].forEach((part, third) => {
      const data = new Float32Array(rows * width);
      for (let r = 0; r < rows; r++) {
        data.set(
          t.data.subarray(r * 3 * width + third * width, r * 3 * width + (third + 1) * width),
          r * width,
        );
      }
      out.push({
        name: `${prefix}${part}.${kind}`,
        shape: kind === 'weight' ? [rows, width] : [width],
        data,
      });
    });
  }
  return out;
}

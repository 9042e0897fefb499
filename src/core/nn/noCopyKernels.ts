/**
 * Identity and same-dtype Cast without a copy, for the wasm backend. Its own kernels copy the
 * whole tensor; the gradients of Add, Multiply and many more call them on every activation (a
 * HORM update ran ~300 such copies of [2000, 4, 64]-sized tensors, ≈ 5 % of its time). TF.js's
 * cpu backend already answers both by sharing the input's data with one more reference, which is
 * safe because tensors are immutable; this does the same on wasm (its backend counts references
 * like the cpu one: Reshape shares data the same way).
 */
import * as tf from './tf.js';

/** The part of a backend these kernels use. */
interface RefCountingBackend {
  incRef(dataId: tf.DataId): void;
}

/** A kernel's input as the registry hands it over. */
interface KernelInput {
  dataId: tf.DataId;
  shape: number[];
  dtype: tf.DataType;
}

/**
 * Replaces `backendName`'s Identity and Cast kernels (Cast only when the dtype does not change; a
 * real conversion still runs the backend's own kernel). Call after the backend's package has
 * registered its kernels; calling it again changes nothing.
 */
export function installNoCopyKernels(backendName: string): void {
  for (const kernelName of ['Identity', 'Cast'] as const) {
    const original = tf.getKernel(kernelName, backendName);
    if (original === undefined || (original.kernelFunc as { noCopy?: boolean }).noCopy) continue;
    const kernelFunc = Object.assign(
      (args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap }) => {
        const x = args.inputs.x as KernelInput;
        const sameType = kernelName === 'Identity' || args.attrs?.dtype === x.dtype;
        if (!sameType || x.dtype === 'string') return original.kernelFunc(args as never);
        (args.backend as RefCountingBackend).incRef(x.dataId);
        return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
      },
      { noCopy: true },
    );
    tf.unregisterKernel(kernelName, backendName);
    tf.registerKernel({ ...original, kernelFunc: kernelFunc as unknown as tf.KernelFunc });
  }
}

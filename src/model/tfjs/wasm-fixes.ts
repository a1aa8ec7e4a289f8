/**
 * A workaround for tfjs-backend-wasm 4.22, the worker's third backend: its OneHot kernel always writes
 * int32 values, so a float32 one-hot (the model's token embedding and its loss labels) reads 1 as 1.4e-45
 * and the model cannot learn. The replacement asks the original kernel for int32 and casts the result.
 * tests/unit/model/wasm-backend.test.ts checks the upstream bug is still there and that the fix works.
 */
import * as tf from './tf';

let fixed = false;

/** Re-register the wasm backend's OneHot so a float32 one-hot holds its on and off values (idempotent). */
export function fixWasmOneHot(): void {
  if (fixed) return;
  const original = tf.getKernel('OneHot', 'wasm');
  const cast = tf.getKernel('Cast', 'wasm');
  if (!original || !cast) return; // the wasm backend is not loaded
  tf.unregisterKernel('OneHot', 'wasm');
  tf.registerKernel({
    kernelName: 'OneHot',
    backendName: 'wasm',
    setupFunc: original.setupFunc, // runs when the backend starts, if it has not yet
    kernelFunc: ({ inputs, attrs, backend }) => {
      const dtype = (attrs as unknown as tf.OneHotAttrs).dtype;
      const ints = original.kernelFunc({
        inputs,
        attrs: { ...attrs, dtype: 'int32' },
        backend,
      }) as tf.TensorInfo; // (..., depth) int32
      if (dtype === 'int32') return ints;
      const out = cast.kernelFunc({ inputs: { x: ints }, attrs: { dtype }, backend }) as tf.TensorInfo; // (..., depth)
      (backend as tf.KernelBackend).disposeData(ints.dataId);
      return out;
    },
  });
  fixed = true;
}

/**
 * Dropout as one WGSL dispatch: the hash of ../dropout.ts computed with exact u32 arithmetic (every
 * intermediate < P² < 2²⁴, so it equals the integer replay in ../dropout-mask.ts bit for bit) and applied in
 * the same pass: out = x · (keep ? 1/(1 − rate) : 0). The portable version needs about 16 tensor ops and,
 * on WebGPU, computes `mod` in f32, which can be off by ±P near multiples of P; this kernel has no such
 * error. Registered as the tfjs kernel 'HashDropoutWGSL' for the webgpu backend, so tf.profile and the
 * bench count it as one dispatch; the gradient is dy through the same kernel with the same key.
 */
import * as tf from '../../tf';
import { webgpu_util, type WebGPUBackend, type WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';
import { dropoutKeys, HASH_MULTIPLIERS, HASH_PRIME, type DropoutKey } from '../dropout';
import { dropoutThreshold } from '../dropout-mask';

/** The tfjs kernel name of the fused dropout (registered for 'webgpu' on first use). */
export const WGSL_DROPOUT_KERNEL = 'HashDropoutWGSL';

const { A1, B1, E, A2, B2, R2 } = HASH_MULTIPLIERS;

/** The program: one thread per element, the flat index split into (row, column) of the (rows, cols) view. */
class HashDropoutProgram implements WebGPUProgram {
  variableNames = ['x'];
  outputShape: number[];
  shaderKey = 'hashDropout';
  dispatchLayout: { x: number[] };
  dispatch: [number, number, number];
  workgroupSize: [number, number, number] = [64, 1, 1];
  size = true;
  uniforms = 'cols : u32, k1 : u32, k2 : u32, threshold : u32, scale : f32,';

  constructor(shape: number[]) {
    this.outputShape = shape;
    this.dispatchLayout = webgpu_util.flatDispatchLayout(shape);
    this.dispatch = webgpu_util.computeDispatch(this.dispatchLayout, shape, this.workgroupSize);
  }

  getUserCode(): string {
    const u = (n: number): string => `${n}u`;
    const P = u(HASH_PRIME);
    return `
      fn cubeMod(h : u32) -> u32 {
        return (((h * h) % ${P}) * h) % ${P};
      }
      fn main(index : i32) {
        if (index < uniforms.size) {
          let i = u32(index);
          let r = i / uniforms.cols;
          let c = (i - r * uniforms.cols) % ${P};
          let rLow = r % ${P};
          let rHigh = (r / ${P}) % ${P};
          var h = cubeMod((c * ${u(A1)} + uniforms.k1 + rLow * ${u(B1)}) % ${P});
          h = cubeMod((h * ${u(E)} + c * ${u(A2)} + uniforms.k2 + rLow * ${u(B2)} + rHigh * ${u(R2)}) % ${P});
          let keep = select(0.0, uniforms.scale, h >= uniforms.threshold);
          setOutputAtIndex(index, x[index] * keep);
        }
      }
    `;
  }
}

/** Attributes of one launch: the hash's view, keys and threshold, and the kept elements' scale. */
interface DropoutAttrs {
  cols: number;
  k1: number;
  k2: number;
  threshold: number;
  scale: number;
}

/** The tfjs kernel function: runs the program on input x with the attributes as uniforms. */
const hashDropoutKernel: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const x = inputs.x as tf.TensorInfo;
  const a = attrs as unknown as DropoutAttrs;
  const program = new HashDropoutProgram(x.shape);
  return (backend as unknown as WebGPUBackend).runWebGPUProgram(program, [x], 'float32', [
    { type: 'uint32', data: [a.cols] },
    { type: 'uint32', data: [a.k1] },
    { type: 'uint32', data: [a.k2] },
    { type: 'uint32', data: [a.threshold] },
    { type: 'float32', data: [a.scale] },
  ]);
};

function ensureRegistered(): void {
  if (!tf.getKernel(WGSL_DROPOUT_KERNEL, 'webgpu')) {
    tf.registerKernel({
      kernelName: WGSL_DROPOUT_KERNEL,
      backendName: 'webgpu',
      kernelFunc: hashDropoutKernel,
    });
  }
}

/** Inverted dropout in one WGSL dispatch forward and one backward; same mask as hashDropout for the key. */
export const wgslDropout = tf.op({
  wgslDropout_(x: tf.Tensor, rate: number, key: DropoutKey): tf.Tensor {
    if (rate === 0) return x;
    ensureRegistered();
    const [k1, k2] = dropoutKeys(key);
    const cols = x.shape.length ? x.shape[x.shape.length - 1] : 1;
    const attrs: DropoutAttrs = {
      cols,
      k1,
      k2,
      threshold: dropoutThreshold(rate),
      scale: Math.fround(1 / (1 - rate)),
    };
    const apply = (t: tf.Tensor): tf.Tensor =>
      tf.engine().runKernel(WGSL_DROPOUT_KERNEL, { x: t }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor; // (...t.shape)
    const f = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => ({
      value: apply(args[0] as tf.Tensor), // (...x.shape)
      gradFunc: (dy: tf.Tensor) => apply(dy), // (...x.shape)
    }));
    return f(x);
  },
});

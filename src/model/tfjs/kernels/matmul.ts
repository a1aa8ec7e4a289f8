/**
 * Matrix products for the model's Linear layers and embedding, in two formulations with equal values:
 *
 *  - portable (every backend but wasm): tf.matMul / tf.fused.matMul with transpose flags, which cost
 *    nothing where a kernel reads with strides (webgl, webgpu, cpu);
 *  - untransposed (wasm): tfjs-backend-wasm 4.22 runs a 2-D product through XNNPACK only when neither
 *    operand is transposed; with a transpose flag (or a batch) it falls back to a scalar loop that ran
 *    15–25× slower here (a (2048, 128) × (128, 512) product: 0.4 GFLOP/s with transposeB, 5–10 without).
 *    tfjs's own matMul gradient always uses flags (dA = dY·Bᵀ, dB = Aᵀ·dY), so the untransposed version has
 *    its own gradient that transposes the smaller operand explicitly (a copy) and multiplies without flags.
 */
import * as tf from '../tf';

/** What the Linear layer applies after x·Wᵀ + b. */
export type Activation = 'linear' | 'relu';

/** a (M, K) @ b (K, N) → (M, N) with tfjs's own gradient. */
export function matMulOps(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
  return tf.matMul(a, b); // (M, K) @ (K, N) -> (M, N)
}

/** nn.Linear with PyTorch's (out, in) weight as one fused product: x (N, in) → x·Wᵀ + b (N, out). */
export function linearOps(
  x: tf.Tensor2D,
  w: tf.Tensor2D,
  bias: tf.Tensor1D | undefined,
  activation: Activation,
): tf.Tensor2D {
  return tf.fused.matMul({ a: x, b: w, transposeB: true, bias, activation }) as tf.Tensor2D; // (N, in) @ (in, out) -> (N, out)
}

/** x (R, C) → xᵀ (C, R) as a copy. */
function t2(x: tf.Tensor): tf.Tensor2D {
  return tf.transpose(x as tf.Tensor2D); // (C, R)
}

/**
 * Aᵀ·dY (K, N) for a (M, K), dy (M, N) without a transpose flag: transpose a (M·K values), or transpose dy
 * and the result (M·N + K·N values), whichever copies less.
 */
function transposedProduct(a: tf.Tensor2D, dy: tf.Tensor2D): tf.Tensor2D {
  const [M, K] = a.shape;
  const N = dy.shape[1];
  if (M * K <= M * N + K * N) return tf.matMul(t2(a), dy); // (K, M) @ (M, N) -> (K, N)
  return t2(tf.matMul(t2(dy), a)); // ((N, M) @ (M, K))ᵀ -> (K, N)
}

/** a (M, K) @ b (K, N) → (M, N) whose forward and backward products all run without transpose flags. */
export const untransposedMatMul = tf.op({
  untransposedMatMul_: (a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D =>
    tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
      const [x, y, save] = args as [tf.Tensor2D, tf.Tensor2D, tf.GradSaveFunc];
      save([x, y]);
      return {
        value: tf.matMul(x, y), // (M, K) @ (K, N) -> (M, N)
        gradFunc: (dy: tf.Tensor, [xs, ys]: tf.Tensor[]) => [
          tf.matMul(dy as tf.Tensor2D, t2(ys)), // dA = dY·Bᵀ: (M, N) @ (N, K) -> (M, K)
          transposedProduct(xs as tf.Tensor2D, dy as tf.Tensor2D), // dB = Aᵀ·dY (K, N)
        ],
      };
    })(a, b) as tf.Tensor2D,
});

/**
 * nn.Linear with every product untransposed (see the top): forward x·(Wᵀ as a copy) + b fused with the
 * activation; backward dX = G·W, dW = Gᵀ·X (the smaller operand transposed) and db = 1ᵀ·G as a product
 * too, since wasm's Sum over rows first transposes its input with the slow general transpose.
 */
export const untransposedLinear = tf.op({ untransposedLinear_ });

function untransposedLinear_(
  x: tf.Tensor2D,
  w: tf.Tensor2D,
  bias: tf.Tensor1D | undefined,
  activation: Activation,
): tf.Tensor2D {
  const f = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const save = args.pop() as tf.GradSaveFunc;
    const [xs, ws, b] = args as [tf.Tensor2D, tf.Tensor2D, tf.Tensor1D | undefined];
    const y = tf.fused.matMul({ a: xs, b: t2(ws), bias: b, activation }); // (N, in) @ (in, out) -> (N, out)
    save([xs, ws, y]);
    return {
      value: y,
      gradFunc: (dy: tf.Tensor, [xSaved, wSaved, ySaved]: tf.Tensor[]) => {
        const N = xSaved.shape[0];
        // relu′(pre) = [pre > 0] = [y > 0]
        const g = (activation === 'relu' ? tf.mul(dy, tf.step(ySaved)) : dy) as tf.Tensor2D; // (N, out)
        const dx = tf.matMul(g, wSaved as tf.Tensor2D); // (N, out) @ (out, in) -> (N, in)
        const dw = transposedProduct(g, xSaved as tf.Tensor2D); // Gᵀ·X (out, in)
        if (!b) return [dx, dw];
        const db = tf.reshape(tf.matMul(tf.ones([1, N]), g), [-1]); // (1, N) @ (N, out) -> (out)
        return [dx, dw, db];
      },
    };
  });
  return (bias ? f(x, w, bias) : f(x, w)) as tf.Tensor2D;
}

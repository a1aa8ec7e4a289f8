/** Runnable cells of chapter 3 (training and inference). */

/** The five training steps on a tiny model in TensorFlow.js, then inference without them. */
export const fiveSteps = `import * as tf from 'tfjs';

// A tiny model: y = x · w + b, learning y = 2x + 1 from four points.
const xs = tf.tensor2d([[0], [1], [2], [3]]);       // (4, 1)
const ys = tf.tensor2d([[1], [3], [5], [7]]);       // (4, 1)
const w = tf.variable(tf.zeros([1, 1]));
const b = tf.variable(tf.zeros([1]));
const optimizer = tf.train.sgd(0.05);
const losses: number[] = [];

for (let step = 0; step < 60; step++) {
  // 1. zero_grad: tfjs computes fresh gradients each call, nothing accumulates.
  // 2. forward pass and 3. loss, inside the function whose gradients we want:
  const lossFn = () => tf.losses.meanSquaredError(ys, tf.add(tf.matMul(xs, w), b)) as tf.Scalar;
  // 4. backward (gradients) and 5. optimizer step, in one call:
  const { value, grads } = tf.variableGrads(lossFn);
  optimizer.applyGradients(grads);
  losses.push(value.dataSync()[0]);
  tf.dispose([value, ...Object.values(grads)]);
}
plot(losses, { title: 'training loss' });
console.log('w', w.dataSync()[0], 'b', b.dataSync()[0]);

// Inference omits steps 1, 3, 4 and 5: no targets, no loss, no gradients, no update.
tf.add(tf.matMul(xs, w), b) // predictions, (4, 1)
`;

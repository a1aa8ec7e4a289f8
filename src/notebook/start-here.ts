/** Runnable cells of chapter 0 (Start here): the code the learner edits and runs. */

/** Softmax from src/lib, its stages, and a plot of the weights at three temperatures. */
export const softmaxCell = `import { softmax } from 'lib';

const logits = [2, 1, 0.1];
const { weights, sum } = softmax(logits);
console.log('weights', weights, 'sum of exps', sum);

// The same logits at three temperatures: lower is sharper.
plot({
  'τ = 0.5': softmax(logits, 0.5).weights,
  'τ = 1': weights,
  'τ = 2': softmax(logits, 2).weights,
}, { title: 'softmax weights per logit' });

softmax(logits)
`;

/** Exercise (chapter 9): temperature and top-k filtering, checked against src/lib's sampleFromLogits. */
import { sampleFromLogits } from '../../lib/sampling';
import { exported, show, type Exercise } from '../types';

export const topKExercise: Exercise = {
  id: 'sampling-and-quantization/top-k',
  chapter: 'sampling-and-quantization',
  title: 'Temperature and top-k',
  starter: `import { softmax } from 'lib';

// topK(logits, k, temperature): softmax(logits / temperature), keep the k most likely tokens
// (ties: the lower index first), set the rest to 0, and renormalize so the kept ones sum to 1.
export function topK(logits: number[], k: number, temperature = 1): number[] {
  const probs = softmax(logits, temperature).weights;
  const order = probs.map((_, i) => i).sort((a, b) => probs[b] - probs[a] || a - b);
  const keep = new Set(order.slice(0, k));
  // TODO: renormalize the kept probabilities
  return probs.map((p, i) => (keep.has(i) ? p : 0));
}

topK([2, 1, 0.5, -1], 2);
`,
  solution: `import { softmax } from 'lib';

export function topK(logits: number[], k: number, temperature = 1): number[] {
  const probs = softmax(logits, temperature).weights;
  const order = probs.map((_, i) => i).sort((a, b) => probs[b] - probs[a] || a - b);
  const keep = new Set(order.slice(0, k));
  const total = order.slice(0, k).reduce((s, i) => s + probs[i], 0);
  return probs.map((p, i) => (keep.has(i) ? p / total : 0));
}

topK([2, 1, 0.5, -1], 2);
`,
  check(mod, c, rng) {
    const f = exported<(l: number[], k: number, t?: number) => number[]>(mod, 'topK');
    const cases: [number[], number, number][] = [[[2, 1, 0.5, -1], 2, 1]];
    for (const [k, t] of [
      [1, 1],
      [3, 0.7],
      [4, 2],
    ]) {
      cases.push([Array.from({ length: 6 }, () => +rng.normal(0, 2).toFixed(3)), k, t]);
    }
    for (const [logits, k, t] of cases) {
      const what = `topK(${show(logits)}, k = ${k}, temperature ${t})`;
      const ref = sampleFromLogits(logits, { topK: k, temperature: t }).filteredProbs;
      c.run(what, () => c.close(f(logits, k, t), ref, what));
    }
  },
};

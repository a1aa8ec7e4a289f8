/** Runnable cells of chapter 5 (attention). */

/** Softmax and scaled dot-product attention from scratch, with the causal mask, checked against lib. */
export const attentionFromScratch = `import { matmul, transpose, scaledDotProductAttention, createRng } from 'lib';

const rng = createRng(3);
const T = 4, dk = 3;
const rand = (r: number, c: number) => Array.from({ length: r }, () => Array.from({ length: c }, () => rng.normal()));
const Q = rand(T, dk), K = rand(T, dk), V = rand(T, 2);

function softmax(row: number[]): number[] {
  const max = Math.max(...row);                 // subtract the max: exp never overflows
  const exps = row.map((s) => Math.exp(s - max));
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / sum);
}

const scores = matmul(Q, transpose(K)).map((r) => r.map((s) => s / Math.sqrt(dk))); // (T, T)
const masked = scores.map((r, i) => r.map((s, j) => (j > i ? -Infinity : s)));    // causal mask
const weights = masked.map(softmax);                                               // rows sum to 1
const output = matmul(weights, V);                                                 // (T, 2)

plot(weights, { title: 'causal attention weights (query row, key column)' });
const ref = scaledDotProductAttention(Q, K, V, { causal: true });
console.log('max difference from lib', Math.max(...output.flat().map((v, i) => Math.abs(v - ref.output.flat()[i]))));
weights
`;

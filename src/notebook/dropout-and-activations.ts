/** Runnable cells of chapter 4 (dropout and activations). */

/** Inverted dropout: zero some units, scale the rest, and the mean survives. */
export const invertedDropout = `import { dropout, createRng } from 'lib';

const x = Array.from({ length: 10 }, (_, i) => i + 1);
const p = 0.3;
const { mask, scale, output } = dropout(x, p, { training: true, rng: createRng(1) });
console.log('mask', mask.map((k) => (k ? 1 : 0)), 'scale 1/(1-p) =', scale);
console.log('output', output);

// Averaged over many masks, each unit keeps its value: that is why we scale by 1/(1-p).
const rng = createRng(2);
const mean = x.map(() => 0);
for (let t = 0; t < 2000; t++) dropout(x, p, { training: true, rng }).output.forEach((v, i) => (mean[i] += v / 2000));
console.log('mean over 2000 masks', mean);

// In eval mode dropout does nothing:
dropout(x, p, { training: false }).output
`;

/** Runnable cells of chapter 9 (sampling and quantization). */

/** Temperature, top-k and top-p on one set of logits. */
export const sampling = `import { sampleFromLogits, createRng } from 'lib';

const logits = [2.0, 1.0, 0.5, 0.2, -1.0]; // scores for e, y, a, o, !
const show = (name: string, probs: number[]) => console.log(name.padEnd(18), probs.map((p) => p.toFixed(3)).join('  '));

show('T = 1', sampleFromLogits(logits).probs);
show('T = 0.5 (sharper)', sampleFromLogits(logits, { temperature: 0.5 }).probs);
show('T = 2 (flatter)', sampleFromLogits(logits, { temperature: 2 }).probs);
show('top-k = 2', sampleFromLogits(logits, { topK: 2 }).filteredProbs);
show('top-p = 0.9', sampleFromLogits(logits, { topP: 0.9 }).filteredProbs);

// Draw 10 tokens with top-p = 0.9 from a seeded generator:
const rng = createRng(7);
Array.from({ length: 10 }, () => 'eyao!'[sampleFromLogits(logits, { topP: 0.9, rng }).sample!]).join('')
`;

/** Int8 quantization of a small weight matrix. */
export const int8 = `import { quantizeInt8 } from 'lib';

const w = [
  [0.12, -0.5, 0.33, 0.9],
  [-1.7, 0.02, 0.4, -0.25],
];
for (const mode of ['per-tensor', 'per-channel'] as const) {
  const q = quantizeInt8(w, mode);
  console.log(mode, 'scales', q.scales, 'max error', q.maxAbsError, 'bytes', q.bytesBefore, '→', q.bytesAfter);
  console.log(q.q);
}
quantizeInt8(w).dequantized
`;

/** Runnable cells of chapter 11 (capstone). */

/** get_batch and estimate_loss on plain arrays, with a bigram count model standing in for the GPT. */
export const batchAndLoss = `import { buildCharVocab, encodeChars, createRng } from 'lib';

const text = 'to be or not to be that is the question whether tis nobler in the mind to suffer';
const vocab = buildCharVocab(text);
const data = encodeChars(vocab, text).ids;
const n = Math.floor(0.9 * data.length);
const split = { train: data.slice(0, n), val: data.slice(n) };
const blockSize = 8, batchSize = 4;
const rng = createRng(0);

// get_batch: random starts, x = data[i : i + block], y = the same shifted by one.
function getBatch(which: 'train' | 'val') {
  const d = split[which];
  const ix = Array.from({ length: batchSize }, () => Math.floor(rng.next() * (d.length - blockSize)));
  return { x: ix.map((i) => d.slice(i, i + blockSize)), y: ix.map((i) => d.slice(i + 1, i + blockSize + 1)) };
}

// A stand-in model: bigram counts from the training split (add-one smoothed).
const V = vocab.size;
const counts = Array.from({ length: V }, () => new Array(V).fill(1));
for (let i = 0; i + 1 < split.train.length; i++) counts[split.train[i]][split.train[i + 1]]++;
const logProb = (a: number, b: number) => Math.log(counts[a][b] / counts[a].reduce((s, c) => s + c, 0));

// estimate_loss: average the loss over eval_iters batches of each split, without training.
function estimateLoss(evalIters = 20) {
  const out: Record<string, number> = {};
  for (const which of ['train', 'val'] as const) {
    let total = 0;
    for (let k = 0; k < evalIters; k++) {
      const { x, y } = getBatch(which);
      let loss = 0;
      x.forEach((row, b) => row.forEach((tok, t) => (loss -= logProb(tok, y[b][t]))));
      total += loss / (batchSize * blockSize);
    }
    out[which] = total / evalIters;
  }
  return out;
}
console.log(getBatch('train'));
estimateLoss()
`;

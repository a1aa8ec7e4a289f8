/**
 * DOM-free logic behind the dropout visualizer: a small dense layer h = W·x with seeded weights, a
 * stream of dropout masks drawn by src/lib/dropout.ts, and the running mean of the training-mode
 * outputs that converges to the eval-mode output. Also the checks for what a learner types.
 */
import { dropout } from '../../../src/lib/dropout';
import { matVec } from '../../../src/lib/matrix';
import { createRng, type Rng } from '../../../src/lib/rng';
import { SEED as SHARED_SEED, parseNumberList, type NumberRule, type Parsed } from '../shared/parse';

/** Seed of the layer's weights (fixed, so the page and the tests see the same layer). */
export const WEIGHT_SEED = 7;
export const MAX_INPUTS = 6;
export const MAX_UNITS = 8;

/** Round to two decimals (and turn −0 into 0) so the weights shown are the weights used. */
export function round2(x: number): number {
  return Math.round(x * 100) / 100 + 0;
}

/** Weights W (units, inputs), drawn row by row from N(0, 1) with a fixed seed and rounded to 0.01. */
export function layerWeights(units: number, inputs: number, seed = WEIGHT_SEED): number[][] {
  const rng = createRng(seed);
  return Array.from({ length: units }, () => Array.from({ length: inputs }, () => round2(rng.normal(0, 1)))); // (units, inputs)
}

/** Hidden activations h = W·x (no bias, to keep the numbers few), (units). */
export function hiddenActivations(weights: number[][], x: number[]): number[] {
  return matVec(weights, x);
}

/** One drawn mask and what dropout did with it (src/lib/dropout.ts in training mode). */
export interface MaskDraw {
  /** true = kept, (units). */
  mask: boolean[];
  /** 1/(1 − p); 0 when p = 1 (everything dropped). */
  scale: number;
  /** h ⊙ mask · scale, (units). */
  output: number[];
}

/**
 * A seeded stream of dropout masks over fixed activations h at rate p, with running sums so the mean
 * training-mode output after k masks is available at any time. Mask i is the i-th draw from
 * createRng(seed), so the page and a test that replays the stream agree exactly.
 */
export class MaskStream {
  readonly h: readonly number[];
  readonly p: number;
  readonly seed: number;
  private rng: Rng;
  private sums: number[];
  private keptCounts: number[];
  /** Masks drawn so far. */
  count = 0;
  /** The latest mask (null before the first draw). */
  last: MaskDraw | null = null;

  constructor(h: readonly number[], p: number, seed: number) {
    this.h = h.slice();
    this.p = p;
    this.seed = seed;
    this.rng = createRng(seed);
    this.sums = h.map(() => 0);
    this.keptCounts = h.map(() => 0);
  }

  /** Draw the next mask and add its output to the running sums. */
  draw(): MaskDraw {
    const r = dropout(this.h as number[], this.p, { training: true, rng: this.rng });
    r.output.forEach((v, i) => {
      this.sums[i] += v;
      if (r.mask[i]) this.keptCounts[i] += 1;
    });
    this.count += 1;
    this.last = { mask: r.mask, scale: r.scale, output: r.output };
    return this.last;
  }

  /** Draw n more masks; returns the last. */
  drawMany(n: number): MaskDraw {
    for (let i = 0; i < n - 1; i++) this.draw();
    return this.draw();
  }

  /** Mean training-mode output per unit over the masks drawn so far, (units). */
  means(): number[] {
    return this.sums.map((s) => (this.count === 0 ? 0 : s / this.count));
  }

  /** Share of the masks that kept each unit, (units). */
  keptShares(): number[] {
    return this.keptCounts.map((c) => (this.count === 0 ? 0 : c / this.count));
  }
}

/**
 * Standard error of the mean of k training outputs for an activation h at rate p: one output is
 * h/(1−p) with probability 1−p and 0 otherwise, so its standard deviation is |h|·√(p/(1−p)).
 */
export function standardError(h: number, p: number, k: number): number {
  if (p >= 1 || k < 1) return 0;
  return (Math.abs(h) * Math.sqrt(p / (1 - p))) / Math.sqrt(k);
}

/** The dropout rate p: a number in [0, 1]. */
export const RATE: NumberRule = { label: 'Dropout rate p', min: 0, max: 1 };
/** The hidden layer's width. */
export const UNITS: NumberRule = { label: 'Hidden units', min: 1, max: MAX_UNITS, integer: true };
/** The seed of the mask stream. */
export const SEED: NumberRule = { ...SHARED_SEED, label: 'Mask seed' };

/** Inputs are limited in size so that every number fits in the diagram. */
export const MAX_ABS_INPUT = 100;

/** The input vector x: 1 to MAX_INPUTS numbers, each within ±MAX_ABS_INPUT. */
export function readInputs(text: string): Parsed<number[]> {
  return parseNumberList(text, { label: 'Inputs x', maxCount: MAX_INPUTS, maxAbs: MAX_ABS_INPUT });
}

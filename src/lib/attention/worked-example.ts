/**
 * Chapter 5's worked example, “I love apples a lot”: four tokens with 3-dimensional inputs and projections
 * to d_k = d_v = 2. The chapter's tables and the one-query figure are computed from these numbers.
 */
import type { Matrix } from '../matrix';
import { selfAttention, type AttentionStages, type QkvProjections } from './scaled-dot';

/** The tokens, in order (“a lot” is one token, as in the notes). */
export const WORKED_TOKENS: readonly string[] = ['I', 'love', 'apples', 'a lot'];

/** Made-up input vectors, (T, d_x) = (4, 3). */
export const WORKED_X: Matrix = [
  [0, 0, 1],
  [0, 1, 1],
  [1, 0, 1],
  [0, 1, 0],
];

/** Projections W_Q, W_K (d_x, d_k) = (3, 2) and W_V (d_x, d_v) = (3, 2). */
export const WORKED_W: QkvProjections = {
  wq: [
    [1, 0],
    [0, 1],
    [1, 1],
  ],
  wk: [
    [0, 1],
    [1, 0],
    [1, 1],
  ],
  wv: [
    [1, 0],
    [0, 1],
    [1, 0],
  ],
};

/** Every stage of the worked example's self-attention, with or without the causal mask. */
export function workedExample(causal: boolean): AttentionStages {
  return selfAttention(WORKED_X, WORKED_W, { causal });
}

/**
 * The course's running example, defined once: the character vocabulary of the default corpus (the Brown
 * corpus as scripts/prepare-corpus.mjs prepares it) and the numbers that follow from it. Chapters import
 * these instead of typing them; tests/unit/chapters/running-example.test.ts checks the size against the
 * prepared corpus and that no chapter hard-codes another value.
 */
import { estimateParams, presets } from '../model/config';

/** Distinct characters in the default corpus (train + val): public/data/brown/vocab.json's `size`. */
export const VOCAB_SIZE = 85;

/** Format a count with thousands separators, e.g. 25,360,469. */
const count = (n: number): string => n.toLocaleString('en-US');

/** The notes' GPT (C = 512, T = 128, 8 blocks) with this vocabulary, as PyTorch counts it. */
const notesParams = estimateParams({ ...presets.notes, vocabSize: VOCAB_SIZE });
const C = presets.notes.nEmbd;

/** Every number the chapters derive from the vocabulary size, formatted as the chapters print them. */
export const RUNNING = {
  /** V itself. */
  V: String(VOCAB_SIZE),
  /** ln V to two decimals: the cross-entropy of a uniform guess, where training starts. */
  lnV: Math.log(VOCAB_SIZE).toFixed(2),
  /** The notes' GPT's parameter count with this vocabulary. */
  notesParams: count(notesParams),
  /** Its token embedding table, V × C. */
  tokenEmbedding: count(VOCAB_SIZE * C),
  /** Its head, C × V + V. */
  head: count(C * VOCAB_SIZE + VOCAB_SIZE),
  /** Per-output-channel int8 scales: each block's Q, K, V, projection and both feed-forward layers, plus the token table, position table and head rows. */
  perChannelScales: count(
    presets.notes.nLayer * (3 * C + C + 4 * C + C) + VOCAB_SIZE + presets.notes.blockSize + VOCAB_SIZE,
  ),
  /** Its float32 weights in MB (10^6 bytes), one decimal. */
  weightsMB: ((notesParams * 4) / 1e6).toFixed(1),
  /** Weights, gradients and AdamW's two moments in MB, rounded. */
  trainingStateMB: String(Math.round((notesParams * 16) / 1e6)),
} as const;

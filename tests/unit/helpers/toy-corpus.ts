/**
 * A toy corpus for training tests: the vocabulary of `text`, a config built on the tiny preset over it,
 * and in-memory train/val batches (90/10) of its token ids.
 */
import { makeConfig, type GPTConfig } from '../../../src/model/config';
import {
  buildVocab,
  encode,
  memoryBatches,
  splitTrainVal,
  type BatchSource,
  type Vocab,
} from '../../../src/model/data';

/** Vocabulary, config (tiny + overrides, vocabSize from the text) and batches for `text`. */
export function toyCorpus(
  text: string,
  overrides: Partial<GPTConfig> = {},
): { vocab: Vocab; cfg: GPTConfig; data: BatchSource } {
  const vocab = buildVocab(text);
  const cfg = makeConfig('tiny', { vocabSize: vocab.size, ...overrides });
  const { train, val } = splitTrainVal(encode(text, vocab).ids);
  return { vocab, cfg, data: memoryBatches(train, val, cfg) };
}

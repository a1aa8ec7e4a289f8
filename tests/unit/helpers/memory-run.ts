/**
 * The memory tests' run: train a fresh tfjs engine on a toy corpus with the worker's loop (train() with
 * its estimate_loss evaluations and samples) and read tf.memory() after the chosen steps.
 */
import * as tf from '../../../src/model/tfjs/tf';
import { createTfjsEngine } from '../../../src/model/tfjs/engine';
import type { GPTConfig } from '../../../src/model/config';
import { train, type StopReason } from '../../../src/model/train';
import { toyCorpus } from './toy-corpus';

/** Tensor count and bytes after one step. */
export interface MemoryAt {
  step: number;
  tensors: number;
  bytes: number;
}

/** Train on `text` (tiny preset + `overrides`) and record tf.memory() after every step `at` accepts. */
export async function memoryOverRun(
  text: string,
  overrides: Partial<GPTConfig>,
  at: (step: number) => boolean,
): Promise<{ cfg: GPTConfig; reason: StopReason; seen: MemoryAt[] }> {
  const { vocab, cfg, data } = toyCorpus(text, overrides);
  const engine = createTfjsEngine(cfg);
  const seen: MemoryAt[] = [];
  const stop = await train(engine, {
    data,
    vocab,
    sampleInterval: 250,
    sampleTokens: 10,
    convergence: false,
    onStep: (e) => {
      if (!at(e.step)) return;
      const m = tf.memory();
      seen.push({ step: e.step, tensors: m.numTensors, bytes: m.numBytes });
    },
  });
  engine.dispose();
  return { cfg, reason: stop.reason, seen };
}

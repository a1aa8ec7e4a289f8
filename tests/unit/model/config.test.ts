import { describe, expect, test } from 'vitest';
import * as config from '../../../src/model/config';

const tiny = config.makeConfig('tiny');

describe('presets', () => {
  test.each(Object.keys(config.presets) as (keyof typeof config.presets)[])('%s is valid', (name) => {
    expect(config.validateConfig(config.makeConfig(name))).toEqual([]);
  });

  test('notes matches the notes’ hyperparameters except the learning rate', () => {
    expect(config.presets.notes).toMatchObject({
      batchSize: 64,
      blockSize: 128,
      maxIters: 12000,
      evalIters: 100,
      evalInterval: 100,
      nEmbd: 512,
      nHead: 8,
      nLayer: 8,
      dropout: 0.14,
      learningRate: 3e-4,
    });
    expect(config.notesLearningRate).toBe(3e-6);
    expect(config.notesLearningRateExplanation).toMatch(/3e-6/);
  });

  test('tiny is the e2e-sized model (C 32, 2 heads, 2 layers, T 32, B 8)', () => {
    expect(tiny).toMatchObject({ nEmbd: 32, nHead: 2, nLayer: 2, blockSize: 32, batchSize: 8 });
  });

  test('makeConfig(name, overrides) copies and overrides', () => {
    const cfg = config.makeConfig('small', { vocabSize: 85 });
    expect(cfg.vocabSize).toBe(85);
    expect(config.presets.small.vocabSize).toBe(96);
  });
});

describe('validateConfig(cfg)', () => {
  test.each<[string, Partial<config.GPTConfig>, keyof config.GPTConfig, RegExp]>([
    ['nEmbd not divisible by nHead', { nEmbd: 30, nHead: 4 }, 'nHead', /divisible/],
    ['NaN learning rate', { learningRate: NaN }, 'learningRate', /finite/],
    ['zero learning rate', { learningRate: 0 }, 'learningRate', /\(0, 1\]/],
    ['dropout of 1', { dropout: 1 }, 'dropout', /\[0, 1\)/],
    ['negative dropout', { dropout: -0.1 }, 'dropout', /\[0, 1\)/],
    ['fractional block size', { blockSize: 31.5 }, 'blockSize', /whole number/],
    ['zero batch size', { batchSize: 0 }, 'batchSize', /between 1/],
    ['vocabulary of one', { vocabSize: 1 }, 'vocabSize', /between 2/],
    ['NaN layers', { nLayer: NaN }, 'nLayer', /must be a number/],
    ['missing seed', { seed: undefined }, 'seed', /nothing/],
    ['negative weight decay', { weightDecay: -1 }, 'weightDecay', /\[0, 1\)/],
    ['Infinity max iters', { maxIters: Infinity }, 'maxIters', /whole number/],
    ['zero eval interval', { evalInterval: 0 }, 'evalInterval', /between 1/],
  ])('%s → an error on that field', (_label, patch, field, message) => {
    const errors = config.validateConfig({ ...tiny, ...patch } as config.GPTConfig);
    const hit = errors.find((e) => e.field === field);
    expect(hit, JSON.stringify(errors)).toBeDefined();
    expect(hit!.message).toMatch(message);
  });

  test('reports every problem at once', () => {
    expect(config.validateConfig({ ...tiny, nLayer: 0, dropout: 2, batchSize: 1.5 }).length).toBe(3);
  });
});

describe('estimateParams(cfg)', () => {
  // Counts printed by PyTorch for the notes' GPTLanguageModel (scripts/reference/gpt_reference.py modules).
  test.each([
    [85, 128, 512, 8, 8, 25_360_469],
    [96, 32, 32, 2, 2, 32_544],
    [96, 64, 128, 4, 4, 824_672],
    [65, 8, 24, 3, 1, 10_577],
  ])('V=%i T=%i C=%i H=%i L=%i → %i like PyTorch', (vocabSize, blockSize, nEmbd, nHead, nLayer, expected) => {
    expect(config.estimateParams({ ...tiny, vocabSize, blockSize, nEmbd, nHead, nLayer })).toBe(expected);
  });
});

describe('estimateFlopsPerStep(cfg)', () => {
  test('counts every matmul of the tiny golden config by hand', () => {
    const cfg = { ...tiny, vocabSize: 11, blockSize: 8, nEmbd: 16, nHead: 2, nLayer: 2, batchSize: 3 };
    // per layer: qkv 36864 + scores 6144 + weights@v 6144 + proj 12288 + ffwd 98304; embed 8448; lm_head 8448
    expect(config.estimateFlopsPerStep(cfg)).toEqual({ forward: 336_384, perStep: 1_009_152 });
  });

  test('is about 6 × params × tokens for a wide model (the usual rule of thumb)', () => {
    const cfg = config.makeConfig('notes', { vocabSize: 85 });
    const tokens = cfg.batchSize * cfg.blockSize;
    const ratio = config.estimateFlopsPerStep(cfg).perStep / (6 * config.estimateParams(cfg) * tokens);
    expect(ratio).toBeGreaterThan(1);
    expect(ratio).toBeLessThan(1.1);
  });
});

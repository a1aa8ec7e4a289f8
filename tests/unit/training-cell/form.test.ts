import { describe, expect, test } from 'vitest';
import { estimateParams, presets } from '../../../src/model/config';
import {
  checkForm,
  configSummary,
  presetValues,
  readConfig,
  readSampleSettings,
  sampleProblems,
  wholeNumber,
} from '../../../components/training-cell/form';

const form = (over: Record<string, string> = {}): Record<string, string> => ({
  ...presetValues('tiny'),
  checkpointEvery: '50',
  sampleEvery: '100',
  ...over,
});

describe('the training cell form, without the DOM', () => {
  test('a preset reads back as its own config', () => {
    const cfg = readConfig(presetValues('small'));
    for (const key of ['batchSize', 'blockSize', 'nEmbd', 'nHead', 'nLayer', 'learningRate'] as const) {
      expect(cfg[key]).toBe(presets.small[key]);
    }
  });

  test('the tiny preset with valid run settings has no problems', () => {
    const check = checkForm(form());
    expect([...check.problems]).toEqual([]);
    expect([check.checkpointEvery, check.sampleEvery]).toEqual([50, 100]);
  });

  test.each([
    [{ nEmbd: '30', nHead: '4' }, 'nHead', /n_embd \(30\) must be divisible by n_head \(4\)/],
    [{ batchSize: '' }, 'batchSize', /batch_size/],
    [{ dropout: '1.5' }, 'dropout', /dropout/],
    [
      { checkpointEvery: '0' },
      'checkpointEvery',
      /checkpoint every must be a whole number from 1 to 1000000, got "0"/,
    ],
    [{ sampleEvery: 'x' }, 'sampleEvery', /sample every must be a whole number from 0 to 1000000, got "x"/],
  ])('%j is named in the notes’ words', (over, field, message) => {
    const { problems } = checkForm(form(over));
    expect(problems.get(field)).toMatch(message);
    expect(problems.get(field)).not.toMatch(/nEmbd|nHead|batchSize/);
  });

  test('wholeNumber names empty text as nothing', () => {
    expect(wholeNumber('  ', 1, 5)).toBe('must be a whole number from 1 to 5, got nothing');
    expect(wholeNumber(' 3 ', 1, 5)).toBe(3);
  });

  test('the summary counts parameters with the data’s own vocabulary, not a fixed one', () => {
    const cfg = readConfig(presetValues('tiny'));
    const at = (v: number) => (estimateParams({ ...cfg, vocabSize: v }) / 1e6).toFixed(3);
    expect(configSummary(cfg, 86)).toContain(`${at(86)} M parameters with a vocabulary of 86 characters`);
    expect(configSummary(cfg, 300)).toContain(`${at(300)} M parameters with a vocabulary of 300 characters`);
    expect(configSummary(cfg, null)).toContain(
      `${at(0)} M parameters plus ${2 * cfg.nEmbd + 1} per character`,
    );
    expect(configSummary({ ...cfg, nHead: 5 }, 86)).toBe('');
  });

  test.each([
    [1, 1, '1 character per step.'],
    [2, 8, '16 characters per step.'],
  ])('the summary of batch %d × block %d says "%s"', (batchSize, blockSize, want) => {
    const cfg = { ...readConfig(presetValues('tiny')), batchSize, blockSize };
    expect(configSummary(cfg, 86)).toContain(want);
  });

  test('generation settings are read and checked', () => {
    const s = readSampleSettings({
      prompt: 'Hi',
      maxNewTokens: '20',
      temperature: '0.8',
      topK: '0',
      topP: '0.9',
    });
    expect(s).toEqual({ prompt: 'Hi', maxNewTokens: 20, temperature: 0.8, topK: 0, topP: 0.9, seed: 1337 });
    expect(sampleProblems(s)).toEqual([]);
    const bad = readSampleSettings({ prompt: '', maxNewTokens: '', temperature: '0', topK: '-1', topP: '2' });
    expect(sampleProblems(bad)).toHaveLength(4);
  });
});

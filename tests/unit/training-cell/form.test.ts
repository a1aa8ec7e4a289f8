import { describe, expect, test } from 'vitest';
import { estimateParams, presets } from '../../../src/model/config';
import * as tcForm from '../../../components/training-cell/form';

const form = (over: Record<string, string> = {}): Record<string, string> => ({
  ...tcForm.presetValues('tiny'),
  checkpointEvery: '50',
  sampleEvery: '100',
  ...over,
});

describe('the training cell form, without the DOM', () => {
  test('a preset reads back as its own config', () => {
    const cfg = tcForm.readConfig(tcForm.presetValues('small'));
    for (const key of ['batchSize', 'blockSize', 'nEmbd', 'nHead', 'nLayer', 'learningRate'] as const) {
      expect(cfg[key]).toBe(presets.small[key]);
    }
  });

  test('the tiny preset with valid run settings has no problems', () => {
    const check = tcForm.checkForm(form());
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
      /^Checkpoint every must be a whole number from 1 to 1000000 \(got “0”\)\.$/,
    ],
    [
      { sampleEvery: 'x' },
      'sampleEvery',
      /^Sample every must be a whole number from 0 to 1000000 \(got “x”\)\.$/,
    ],
    [{ sampleEvery: '2.5' }, 'sampleEvery', /^Sample every must be a whole number .* \(got “2\.5”\)\.$/],
  ])('%j is named in the notes’ words', (over, field, message) => {
    const { problems } = tcForm.checkForm(form(over));
    expect(problems.get(field)).toMatch(message);
    expect(problems.get(field)).not.toMatch(/nEmbd|nHead|batchSize/);
  });

  test('the run fields are read like every widget’s numbers (shared parseNumber wording)', () => {
    expect(tcForm.checkForm(form({ checkpointEvery: '  ' })).problems.get('checkpointEvery')).toBe(
      'Checkpoint every must be a whole number from 1 to 1000000 (it is empty).',
    );
    expect(tcForm.checkForm(form({ checkpointEvery: ' 3 ' })).checkpointEvery).toBe(3);
  });

  test('the summary counts parameters with the data’s own vocabulary, not a fixed one', () => {
    const cfg = tcForm.readConfig(tcForm.presetValues('tiny'));
    const at = (v: number) => (estimateParams({ ...cfg, vocabSize: v }) / 1e6).toFixed(3);
    expect(tcForm.configSummary(cfg, 86)).toContain(
      `${at(86)} M parameters with a vocabulary of 86 characters`,
    );
    expect(tcForm.configSummary(cfg, 300)).toContain(
      `${at(300)} M parameters with a vocabulary of 300 characters`,
    );
    expect(tcForm.configSummary(cfg, null)).toContain(
      `${at(0)} M parameters plus ${2 * cfg.nEmbd + 1} per character`,
    );
    expect(tcForm.configSummary({ ...cfg, nHead: 5 }, 86)).toBe('');
  });

  test.each([
    [1, 1, '1 character per step.'],
    [2, 8, '16 characters per step.'],
  ])('the summary of batch %d × block %d says "%s"', (batchSize, blockSize, want) => {
    const cfg = { ...tcForm.readConfig(tcForm.presetValues('tiny')), batchSize, blockSize };
    expect(tcForm.configSummary(cfg, 86)).toContain(want);
  });

  test('generation settings are read and checked', () => {
    const s = tcForm.readSampleSettings({
      prompt: 'Hi',
      maxNewTokens: '20',
      temperature: '0.8',
      topK: '0',
      topP: '0.9',
    });
    expect(s).toEqual({ prompt: 'Hi', maxNewTokens: 20, temperature: 0.8, topK: 0, topP: 0.9, seed: 1337 });
    expect(tcForm.sampleProblems({ maxNewTokens: '20', temperature: '0.8', topK: '0', topP: '0.9' })).toEqual(
      [],
    );
  });

  test('bad generation settings get the widgets’ wording, one sentence per field', () => {
    expect(tcForm.sampleProblems({ maxNewTokens: '', temperature: '0', topK: '-1', topP: '2' })).toEqual([
      'Max new tokens must be a whole number from 1 to 5000 (it is empty).',
      'Temperature must be a number above 0 and at most 10 (got “0”).',
      'Top-k must be a whole number from 0 (got “-1”). 0 turns it off.',
      'Top-p must be a number above 0 and at most 1 (got “2”).',
    ]);
  });
});

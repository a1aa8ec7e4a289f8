import { describe, expect, it } from 'vitest';
import { workedExample } from '../../../src/lib/index';
import { readChapters } from './chapter-files';

const body = readChapters().find((c) => c.id === '05-attention')!.body;
const fmt = (x: number) => (Number.isInteger(x) ? String(x) : x.toFixed(3));

describe('chapter 5’s worked example is what src/lib computes', () => {
  it.each([
    ['causal', true],
    ['unmasked', false],
  ] as const)('%s weights and outputs appear in the chapter as printed', (_name, causal) => {
    const { weights, output } = workedExample(causal);
    for (const row of [...weights, ...output]) {
      const printed = row.map((x) => (x === 0 || x === 1 ? String(x) : x.toFixed(3))).join(' & ');
      expect(body, `row ${printed}`).toContain(printed.replace(/\b0\.000\b/g, '0.000'));
    }
  });
  it('gives the “apples” query the weights 0.140, 0.576, 0.284 and output (1.284, 0.576) with the mask', () => {
    const s = workedExample(true);
    expect(s.weights[2].map(fmt)).toEqual(['0.140', '0.576', '0.284', '0']);
    expect(s.output[2].map(fmt)).toEqual(['1.284', '0.576']);
    expect(s.scores[2]).toEqual([3, 5, 4, 2]);
  });
});

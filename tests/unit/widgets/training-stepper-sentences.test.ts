import { describe, expect, test } from 'vitest';
import {
  MODELS,
  advance,
  createTrainer,
  readData,
  setInference,
} from '../../../components/widgets/training-stepper/model';
import {
  lossChartLabel,
  lossLine,
  lossRose,
  phaseSentence,
} from '../../../components/widgets/training-stepper/sentences';

const examples = () => {
  const r = readData(MODELS.w, MODELS.w.defaultData);
  if (!r.ok) throw new Error(r.message);
  return r.value;
};

describe('the training stepper’s sentences, without the DOM', () => {
  test('each phase says what it did, in PyTorch’s words', () => {
    let t = createTrainer(MODELS.w, examples(), 'sgd', 0.01);
    const n = t.data.length;
    expect(phaseSentence(t)).toBe('');
    const said: string[] = [];
    for (let i = 0; i < 5; i++) {
      t = advance(t);
      said.push(phaseSentence(t));
    }
    expect(said[0]).toMatch(/^optimizer\.zero_grad\(\): every \.grad is now None/);
    const many = (one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;
    expect(said[1]).toBe(
      `outputs = model(inputs): ${many('output')} computed from the current weights (see the examples table).`,
    );
    expect(said[2]).toMatch(
      new RegExp(`^loss = criterion\\(outputs, labels\\) = \\S+, the mean over ${many('example')}\\.$`),
    );
    expect(said[3]).toMatch(/^loss\.backward\(\): w\.grad = \S+\. No weight has changed yet\.$/);
    expect(said[4]).toMatch(/^optimizer\.step\(\) with .*, lr 0\.01: w \S+ → \S+\. Step 1 done\.$/);
    expect(phaseSentence(setInference(t, true))).toMatch(
      /^with torch\.no_grad\(\): outputs = model\(inputs\): \d+ predictions? from/,
    );
  });

  test.each([
    [[], 'No step completed yet.', false],
    [[2], 'Loss at step 1: 2.0000.', false],
    [[2, 1], 'Loss at step 2: 1.0000 (step 1: 2.0000).', false],
    [
      [1, 2],
      'Loss at step 2: 2.0000 (step 1: 1.0000). The loss went up (from 1.0000): a sign the learning rate may be too high.',
      true,
    ],
  ])('the loss line for %j', (history, want, rose) => {
    expect(lossLine(history, false)).toBe(want);
    expect(lossRose(history)).toBe(rose);
  });

  test('a diverged run is not told its loss went up (the diverged box says more)', () => {
    expect(lossLine([1, 2], true)).toBe('Loss at step 2: 2.0000 (step 1: 1.0000).');
  });

  test.each([
    [[], 'Loss per step: no step completed yet.'],
    [[2], 'Loss per step for 1 step, from 2.0000 to 2.0000.'],
    [[2, 0.5], 'Loss per step for 2 steps, from 2.0000 to 0.5000.'],
  ])('the chart of %j is named "%s"', (history, want) => {
    expect(lossChartLabel(history)).toBe(want);
  });
});

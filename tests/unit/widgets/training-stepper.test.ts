import { describe, expect, it } from 'vitest';
import { parseNumber } from '../../../components/widgets/shared/parse';
import { useLogAxis } from '../../../components/widgets/training-stepper/chart';
import { crossEntropy } from '../../../src/lib/loss';
import { adamStep, adamWStep, createAdamState, createSgdState, sgdStep } from '../../../src/lib/optimizers';
import { createRng } from '../../../src/lib/rng';
import {
  MODELS,
  PHASES,
  advance,
  createTrainer,
  divergence,
  finishStep,
  forward,
  gradientAt,
  lossAt,
  optimizerStep,
  predictions,
  readData,
  LEARNING_RATE,
  runSteps,
  setInference,
  setOptimizer,
  setSkipZeroGrad,
  type Example,
  type ModelId,
  type Trainer,
} from '../../../components/widgets/training-stepper/model';

const data = (id: ModelId): Example[] => {
  const r = readData(MODELS[id], MODELS[id].defaultData);
  if (!r.ok) throw new Error(r.message);
  return r.value;
};

describe('training stepper: gradients', () => {
  for (const id of ['w', 'wb', 'classifier'] as ModelId[]) {
    it(`${id}: the analytic gradient matches central finite differences`, () => {
      const spec = MODELS[id];
      const rng = createRng(11);
      const examples: Example[] = Array.from({ length: 5 }, () => ({
        x: Array.from({ length: spec.features }, () => rng.normal(0, 2)),
        y: spec.task === 'classification' ? rng.int(2) : rng.normal(0, 3),
      }));
      for (let trial = 0; trial < 5; trial++) {
        const params = spec.init.map(() => rng.normal(0, 1));
        const g = gradientAt(spec, params, examples);
        const h = 1e-6;
        g.forEach((gi, i) => {
          const up = params.slice();
          const down = params.slice();
          up[i] += h;
          down[i] -= h;
          const numeric = (lossAt(spec, up, examples) - lossAt(spec, down, examples)) / (2 * h);
          expect(gi).toBeCloseTo(numeric, 5);
        });
      }
    });
  }

  it('the classifier loss is src/lib crossEntropy of the logits W·x + b', () => {
    const spec = MODELS.classifier;
    const ex = data('classifier');
    const logits = forward(spec, spec.init, ex);
    expect(logits[0]).toEqual([0.5 * 1 - 0.4 * 2 + 0.1, -0.2 * 1 + 0.3 * 2 - 0.1]);
    expect(lossAt(spec, spec.init, ex)).toBe(
      crossEntropy(
        logits,
        ex.map((e) => e.y),
      ).loss,
    );
  });
});

describe('training stepper: the chapter’s worked example', () => {
  it('w = 0.5, x = 2, t = 3: loss 4, w.grad −8, SGD lr 0.01 gives 0.58, 0.6536, 0.7213', () => {
    let t = createTrainer(MODELS.w, data('w'), 'sgd', 0.01);
    expect(PHASES[t.next].id).toBe('zero_grad');
    t = advance(t); // zero_grad
    expect(t.grad).toBeNull();
    t = advance(t); // forward
    expect(t.outputs).toEqual([[1]]);
    t = advance(t); // loss
    expect(t.loss?.loss).toBe(4);
    t = advance(t); // backward
    expect(t.grad).toEqual([-8]);
    expect(t.params).toEqual([0.5]); // backward changes no weight
    t = advance(t); // step
    expect(t.params[0]).toBeCloseTo(0.58, 12);
    expect(t.lastStep?.old).toEqual([0.5]);
    expect(t.iteration).toBe(1);
    expect(PHASES[t.next].id).toBe('zero_grad');
    t = finishStep(t);
    expect(t.history[1]).toBeCloseTo(3.3856, 12);
    expect(t.params[0]).toBeCloseTo(0.6536, 12);
    t = finishStep(t);
    expect(t.params[0]).toBeCloseTo(0.721312, 6); // the chapter: 0.7213
    expect(t.history[2]).toBeCloseTo(2.86557, 4);
  });

  it('Adam with lr 0.1 moves w from 0.5 to (almost exactly) 0.6 on the first step', () => {
    const t = finishStep(createTrainer(MODELS.w, data('w'), 'adam', 0.1));
    expect(t.params[0]).toBeCloseTo(0.6, 6);
  });

  it('skipping zero_grad makes backward add to the old gradient', () => {
    let t = createTrainer(MODELS.w, data('w'), 'sgd', 0.01, { skipZeroGrad: true });
    expect(PHASES[t.next].id).toBe('forward');
    t = finishStep(t);
    expect(t.grad).toEqual([-8]);
    t = finishStep(t);
    // Fresh gradient at w = 0.58 is 2·(1.16 − 3)·2 = −7.36; accumulated −15.36.
    expect(t.freshGrad?.[0]).toBeCloseTo(-7.36, 12);
    expect(t.grad?.[0]).toBeCloseTo(-15.36, 12);
    expect(t.params[0]).toBeCloseTo(0.58 + 0.01 * 15.36, 12);
  });
});

describe('training stepper: optimizers and state', () => {
  it('delegates to src/lib optimizers with PyTorch settings', () => {
    const p = [0.5, -0.2];
    const g = [0.3, -0.7];
    expect(optimizerStep('sgd', p, g, createSgdState(), 0.1).params).toEqual(
      sgdStep(p, g, createSgdState(), { lr: 0.1 }).params,
    );
    const m1 = optimizerStep('momentum', p, g, createSgdState(), 0.1);
    const m2 = optimizerStep('momentum', m1.params, g, m1.state, 0.1);
    const r1 = sgdStep(p, g, createSgdState(), { lr: 0.1, momentum: 0.9 });
    expect(m2.params).toEqual(sgdStep(r1.params, g, r1.state, { lr: 0.1, momentum: 0.9 }).params);
    expect(optimizerStep('adam', p, g, createAdamState(2), 0.1).params).toEqual(
      adamStep(p, g, createAdamState(2), { lr: 0.1 }).params,
    );
    expect(optimizerStep('adamw', p, g, createAdamState(2), 0.1).params).toEqual(
      adamWStep(p, g, createAdamState(2), { lr: 0.1, weightDecay: 0.01 }).params,
    );
  });

  it('changing the optimizer starts a fresh optimizer state', () => {
    let t = runSteps(createTrainer(MODELS.wb, data('wb'), 'adam', 0.1), 3);
    expect((t.optState as { step: number }).step).toBe(3);
    t = setOptimizer(t, 'momentum');
    expect(t.optState).toEqual({ momentumBuffer: null });
    t = setOptimizer(t, 'adamw');
    expect((t.optState as { step: number }).step).toBe(0);
  });

  it('training lowers the loss on every default problem', () => {
    for (const id of ['w', 'wb', 'classifier'] as ModelId[]) {
      for (const opt of ['sgd', 'momentum', 'adam', 'adamw'] as const) {
        const lr = opt.startsWith('adam') ? 0.05 : MODELS[id].defaultLr;
        const t = runSteps(createTrainer(MODELS[id], data(id), opt, lr), 30);
        expect(t.diverged, `${id}/${opt}`).toBeNull();
        expect(t.history.at(-1)!, `${id}/${opt}`).toBeLessThan(t.history[0]);
      }
    }
  });

  it('runSteps finishes a half-done step first', () => {
    let t = createTrainer(MODELS.wb, data('wb'), 'sgd', 0.05);
    t = advance(advance(t));
    t = runSteps(t, 2);
    expect(t.iteration).toBe(2);
    expect(PHASES[t.next].id).toBe('zero_grad');
  });
});

describe('training stepper: inference and divergence', () => {
  it('inference runs only the forward pass and never changes a weight', () => {
    let t = runSteps(createTrainer(MODELS.classifier, data('classifier'), 'sgd', 0.5), 2);
    const before = t.params.slice();
    t = setInference(t, true);
    expect(PHASES[t.next].id).toBe('forward');
    t = advance(t);
    t = advance(t);
    expect(t.params).toEqual(before);
    expect(t.loss).toBeNull();
    expect(t.iteration).toBe(2);
    expect(finishStep(t).iteration).toBe(2);
    const preds = predictions(t.spec, t.outputs!);
    expect(preds).toHaveLength(4);
    preds.forEach((p) => expect(p.probs![0] + p.probs![1]).toBeCloseTo(1, 12));
    t = setInference(t, false);
    expect(PHASES[t.next].id).toBe('zero_grad');
  });

  it('toggling skip at the start of a step moves the pointer', () => {
    let t = createTrainer(MODELS.w, data('w'), 'sgd', 0.01);
    t = setSkipZeroGrad(t, true);
    expect(PHASES[t.next].id).toBe('forward');
    t = setSkipZeroGrad(advance(t), false);
    expect(PHASES[t.next].id).toBe('loss');
  });

  it('a too-high learning rate makes the loss explode; the stepper says so and stops', () => {
    let t = runSteps(createTrainer(MODELS.wb, data('wb'), 'sgd', 0.5), 50);
    expect(t.diverged).toMatch(/loss is exploding/);
    expect(t.diverged).toMatch(/learning rate \(0\.5\) is too high/);
    const frozen = advance(t);
    expect(frozen).toBe(t);
    expect(t.iteration).toBeLessThan(50);
    // Even a huge rate that overflows in one step is caught, not thrown.
    t = runSteps(createTrainer(MODELS.wb, data('wb'), 'sgd', 100), 200);
    expect(t.diverged).not.toBeNull();
  });

  it('divergence flags non-finite and huge numbers', () => {
    expect(divergence([1, 2], [NaN], 1)).toMatch(/overflowed/);
    expect(divergence([1, Infinity], [1], 1)).toMatch(/no longer a finite/);
    expect(divergence([1, 50, 200], [1], 1)).toMatch(/exploding/);
    expect(divergence([1, 300, 200], [1], 1)).toBeNull(); // falling again
    expect(divergence([4, 3, 2], [1e13], 1)).toMatch(/overflowed/);
  });
});

describe('training stepper: input checks and formatting', () => {
  it('reads data lines and explains each kind of bad line', () => {
    expect(readData(MODELS.wb, '1, 3\n\n2 5')).toEqual({
      ok: true,
      value: [
        { x: [1], y: 3 },
        { x: [2], y: 5 },
      ],
    });
    const msg = (id: ModelId, text: string) => {
      const r = readData(MODELS[id], text);
      return r.ok ? '' : r.message;
    };
    expect(msg('wb', '   ')).toMatch(/at least one example/);
    expect(msg('wb', '1')).toBe('Example 1: enter exactly two numbers (got 1).');
    expect(msg('wb', '1, 2; 1, NaN')).toBe('Example 2: entry 2 (“NaN”) is not a finite number.');
    expect(msg('wb', '1, 1e9')).toMatch(/between/);
    expect(msg('classifier', '1, 2, 1\n1, 2, 3')).toBe('Example 2: the class must be 0 or 1.');
    expect(msg('wb', Array(9).fill('1, 1').join('\n'))).toMatch(/at most 8/);
  });

  it('reads the learning rate', () => {
    expect(parseNumber('0.01', LEARNING_RATE)).toEqual({ ok: true, value: 0.01 });
    for (const bad of ['0', '-1', '', 'abc', 'NaN', '1000'])
      expect(parseNumber(bad, LEARNING_RATE)).toMatchObject({
        ok: false,
        message: expect.stringMatching(/^Learning rate must be a number above 0 and at most 100 \(/),
      });
  });

  it('every trainer field survives a full cycle of phases', () => {
    const t: Trainer = runSteps(createTrainer(MODELS.classifier, data('classifier'), 'adamw', 0.1), 1);
    expect(t.history).toHaveLength(1);
    expect(t.grad).toHaveLength(6);
    expect(t.lastStep?.updated).toEqual(t.params);
  });
});

describe('training stepper: loss chart axis', () => {
  it.each([
    // a diverging run: on a linear axis steps 1–5 (about 1) lay flat under step 9 (1e6)
    [[1.2, 1.5, 3, 10, 80, 900, 1e4, 1e5, 1e6], true],
    [[1.2, 1.5, 3, 10, 80, 900, 1e4, Infinity], true],
    [[0.7, 0.5, 0.4, 0.35], false],
    [[1, 50], false],
    [[0, 10, 1e6], false], // a zero loss cannot go on a log axis
    [[5], false],
  ])('%j → log axis %s', (history, want) => {
    expect(useLogAxis(history)).toBe(want);
  });
});

import { describe, expect, test } from 'vitest';
import { notesConvergenceFlags } from '../../../src/model/train';
import * as msg from '../../../components/training-cell/messages';

describe('the training cell’s sentences', () => {
  test('the notes’ convergence line follows notesConvergenceFlags (it fires whenever the loss falls)', () => {
    const losses = [4.2, 3.9, 4.0, 3.5, 3.6];
    const flags = notesConvergenceFlags(losses);
    losses.forEach((loss, i) => {
      const lines = msg.notesEvalLines(100 * i, loss, loss + 0.1, losses.slice(0, i + 1));
      expect(lines[0].text).toBe(
        `step: ${100 * i}, train loss: ${loss.toFixed(3)}, val loss: ${(loss + 0.1).toFixed(3)}`,
      );
      expect(lines.some((l) => l.text.startsWith('Algorithm has converged'))).toBe(flags[i]);
    });
    const third = msg.notesEvalLines(200, 4.0, 4.1, losses.slice(0, 3));
    expect(third[1].text).toBe(
      'Current train loss: 4.000000, Loss difference: 0.100000, Percentage change: 2.56%',
    );
  });

  test('the step timer leaves out the first step (it compiles kernels), then smooths and counts', () => {
    const t = new msg.StepTimer();
    t.add(7900);
    t.add(100);
    t.add(200);
    expect(t.steps).toBe(2);
    expect(t.msPerStep).toBeCloseTo(110, 10);
    t.reset();
    expect([t.steps, t.msPerStep]).toEqual([0, 0]);
  });

  test('no ETA until a few steps are timed (a 7.9 s first step once promised 4 h 24 min)', () => {
    const t = new msg.StepTimer();
    const line = (step: number) =>
      msg.stepProgressText({ step, loss: 2.5, tokensPerSec: 1234.4, msPerStep: 500 }, 130, t);
    t.add(7900);
    expect(line(1)).toBe(
      'step 1 / 130 · loss 2.5000 · 1,234 tokens/s · 500 ms/step · ETA after 5 timed steps',
    );
    for (let i = 0; i < 4; i++) t.add(500);
    expect(line(5)).toMatch(/ETA after 5 timed steps$/);
    t.add(500);
    expect(line(10)).toBe('step 10 / 130 · loss 2.5000 · 1,234 tokens/s · 500 ms/step · ETA 1 min 0 s');
  });

  test('the loading line gives bytes', () => {
    expect(msg.loadingText(2_100_000, 5_976_578)).toBe('Loading the text: 2.1 / 6.0 MB…');
    expect(msg.loadingText(2_100_000, 0)).toBe('Loading the text: 2.1 MB…');
  });

  test('the advice after a NaN', () => {
    expect(msg.nonFiniteAdvice('40')).toMatch(/checkpoint \(step 40\) was kept.*Resume from step 40/);
    expect(msg.nonFiniteAdvice(undefined)).toMatch(/No checkpoint had been saved yet/);
  });

  test('between steps the progress line says what runs', () => {
    expect(
      msg.phaseText({ type: 'phase', phase: 'estimating', step: 0, done: 12, total: 20 }, 'webgpu'),
    ).toBe('Step 0: estimating loss 12/20…');
    expect(msg.phaseText({ type: 'phase', phase: 'sampling', step: 100 }, 'cpu')).toBe('Step 100: sampling…');
    expect(msg.phaseText({ type: 'phase', phase: 'first-step', step: 0 }, 'webgpu')).toMatch(
      /^Step 1: compiling kernels/,
    );
    expect(msg.phaseText({ type: 'phase', phase: 'first-step', step: 40 }, 'wasm')).toBe(
      'Step 41: the first step…',
    );
  });
});

import { describe, expect, test } from 'vitest';
import { notesConvergenceFlags } from '../../../src/model/train';
import {
  nonFiniteAdvice,
  notesEvalLines,
  phaseText,
  StepTimer,
  stepProgressText,
} from '../../../components/training-cell/messages';

describe('the training cell’s sentences', () => {
  test('the notes’ convergence line follows notesConvergenceFlags (it fires whenever the loss falls)', () => {
    const losses = [4.2, 3.9, 4.0, 3.5, 3.6];
    const flags = notesConvergenceFlags(losses);
    losses.forEach((loss, i) => {
      const lines = notesEvalLines(100 * i, loss, loss + 0.1, losses.slice(0, i + 1));
      expect(lines[0].text).toBe(
        `step: ${100 * i}, train loss: ${loss.toFixed(3)}, val loss: ${(loss + 0.1).toFixed(3)}`,
      );
      expect(lines.some((l) => l.text.startsWith('Algorithm has converged'))).toBe(flags[i]);
    });
    const third = notesEvalLines(200, 4.0, 4.1, losses.slice(0, 3));
    expect(third[1].text).toBe(
      'Current train loss: 4.000000, Loss difference: 0.100000, Percentage change: 2.56%',
    );
  });

  test('the step timer smooths and counts', () => {
    const t = new StepTimer();
    t.add(100);
    t.add(200);
    expect(t.steps).toBe(2);
    expect(t.msPerStep).toBeCloseTo(110, 10);
    t.reset();
    expect([t.steps, t.msPerStep]).toEqual([0, 0]);
  });

  test('the progress line and the advice after a NaN', () => {
    const t = new StepTimer();
    t.add(500);
    expect(stepProgressText({ step: 10, loss: 2.5, tokensPerSec: 1234.4, msPerStep: 500 }, 130, t)).toBe(
      'step 10 / 130 · loss 2.5000 · 1,234 tokens/s · 500 ms/step · ETA 1 min 0 s',
    );
    expect(nonFiniteAdvice('40')).toMatch(/checkpoint \(step 40\) was kept.*Resume from step 40/);
    expect(nonFiniteAdvice(undefined)).toMatch(/No checkpoint had been saved yet/);
  });

  test('between steps the progress line says what runs', () => {
    expect(phaseText({ type: 'phase', phase: 'estimating', step: 0, done: 12, total: 20 }, 'webgpu')).toBe(
      'Step 0: estimating loss 12/20…',
    );
    expect(phaseText({ type: 'phase', phase: 'sampling', step: 100 }, 'cpu')).toBe('Step 100: sampling…');
    expect(phaseText({ type: 'phase', phase: 'first-step', step: 0 }, 'webgpu')).toMatch(
      /^Step 1: compiling kernels/,
    );
    expect(phaseText({ type: 'phase', phase: 'first-step', step: 40 }, 'wasm')).toBe(
      'Step 41: the first step…',
    );
  });
});

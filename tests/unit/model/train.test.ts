import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import { makeConfig, type GPTConfig } from '../../../src/model/config';
import { buildVocab, encode, memoryBatches, splitTrainVal } from '../../../src/model/data';
import type { Batch, Engine, StepResult } from '../../../src/model/engine';
import { createTfjsEngine, type TfjsEngine } from '../../../src/model/tfjs/engine';
import {
  attentionForPrompt,
  ConvergenceDetector,
  generate,
  notesConvergenceFlags,
  promptIds,
  train,
  TrainingControl,
  type PhaseEvent,
  type TrainEvent,
} from '../../../src/model/train';
import { useCpuBackend } from './tfjs/tf-backend';
import { stubEngine } from '../helpers/stub-engine';

beforeAll(useCpuBackend);

const text = 'the cat sat on the mat. the dog sat on the log. '.repeat(40);
const vocab = buildVocab(text);
const { train: trainIds, val: valIds } = splitTrainVal(encode(text, vocab).ids);
const cfg: GPTConfig = makeConfig('tiny', {
  vocabSize: vocab.size,
  blockSize: 16,
  batchSize: 4,
  learningRate: 1e-2,
});
const engines: TfjsEngine[] = [];
afterEach(() => engines.splice(0).forEach((e) => e.dispose()));

function realEngine(): TfjsEngine {
  const e = createTfjsEngine(cfg);
  engines.push(e);
  return e;
}

/** An Engine stand-in: scripted losses, records learning rates; no tensors. */
function fakeEngine(
  losses: (step: number) => number,
  val: (evalIndex: number) => number = () => 1,
): Engine & {
  lrs: number[];
} {
  let steps = 0;
  let evals = 0;
  const lrs: number[] = [];
  const engine = Object.defineProperty(stubEngine(cfg, 'fake'), 'stepCount', { get: () => steps });
  engine.step = async (_b: Batch, opts = {}): Promise<StepResult> => {
    const loss = losses(steps);
    lrs.push(opts.learningRate ?? NaN);
    if (Number.isFinite(loss)) steps++;
    return { step: steps, loss, finite: Number.isFinite(loss), ms: 1 };
  };
  engine.estimateLoss = async () => val(Math.floor(evals++ / 2));
  return Object.assign(engine, { lrs });
}

const data = () => memoryBatches(trainIds, valIds, cfg);

describe('train(engine, opts) with a real engine', () => {
  test('calls back in order: eval, steps, eval, sample, steps, eval, stop', async () => {
    const events: string[] = [];
    const log = (e: TrainEvent): void => {
      events.push(`${e.type}@${e.step}`);
    };
    const result = await train(realEngine(), {
      data: data(),
      maxIters: 6,
      evalInterval: 3,
      evalIters: 2,
      sampleInterval: 3,
      sampleTokens: 5,
      vocab,
      onStep: log,
      onEval: log,
      onSample: log,
      onStop: log,
    });
    expect(events).toEqual([
      'eval@0',
      'step@1',
      'step@2',
      'step@3',
      'eval@3',
      'sample@3',
      'step@4',
      'step@5',
      'step@6',
      'eval@6',
      'stop@6',
    ]);
    expect(result.reason).toBe('max-iters');
  });

  test.each([
    [1, 'Finished 1 step.'],
    [2, 'Finished 2 steps.'],
  ])('after maxIters %d the stop message reads "%s"', async (maxIters, want) => {
    const result = await train(realEngine(), { data: data(), maxIters, evalInterval: 100, evalIters: 1 });
    expect(result.message).toBe(want);
  });

  test('reduces the validation loss on a repetitive text', async () => {
    const evals: number[] = [];
    await train(realEngine(), {
      data: data(),
      maxIters: 80,
      evalInterval: 40,
      evalIters: 4,
      convergence: false,
      onEval: (e) => {
        evals.push(e.val);
      },
    });
    expect(evals.length).toBe(3);
    expect(evals[2]).toBeLessThan(evals[0] * 0.6);
  });

  test('step events carry loss, throughput and the learning rate', async () => {
    const steps: TrainEvent[] = [];
    await train(realEngine(), {
      data: data(),
      maxIters: 2,
      evalInterval: 100,
      evalIters: 1,
      learningRate: (s) => 0.01 / (s + 1),
      onStep: (e) => {
        steps.push(e);
      },
    });
    expect(steps[1]).toMatchObject({ type: 'step', step: 2, lr: 0.005 });
    const s = steps[1] as Extract<TrainEvent, { type: 'step' }>;
    expect(s.tokensPerSec).toBeCloseTo((4 * 16 * 1000) / s.msPerStep, 5);
  });

  test('generate(engine, vocab, prompt) crops to block_size and streams text', async () => {
    const e = realEngine();
    const chunks: string[] = [];
    const prompt = 'the cat sat on the mat. the dog'; // longer than blockSize 16
    const out = await generate(e, vocab, prompt, 20, { seed: 1, onText: (c) => chunks.push(c) });
    expect(out.text.startsWith(prompt)).toBe(true);
    expect([...out.completion].length).toBe(20);
    expect(chunks.join('')).toBe(out.completion);
  });

  test('attentionForPrompt labels the axes with the prompt’s characters', async () => {
    const maps = await attentionForPrompt(realEngine(), vocab, 'the cat');
    expect(maps.labels).toEqual([...'the cat']);
    expect(maps.weights[1][0].length).toBe(49);
  });

  test('promptIds("") starts from a newline or id 0', () => {
    expect(Array.from(promptIds('', vocab))).toEqual([0]);
    expect(Array.from(promptIds('', buildVocab('a\nb')))).toEqual([0]);
    expect(Array.from(promptIds('', buildVocab('ab')))).toEqual([0]);
    expect(Array.from(promptIds('b', buildVocab('a\nb')))).toEqual([2]);
  });
});

describe('train(engine, opts) control flow', () => {
  test('a NaN loss stops training before the update and says why', async () => {
    const e = fakeEngine((s) => (s === 2 ? NaN : 3 - s));
    const stops: TrainEvent[] = [];
    const result = await train(e, {
      data: data(),
      maxIters: 10,
      evalInterval: 100,
      onStop: (x) => void stops.push(x),
    });
    expect(result).toMatchObject({ reason: 'non-finite', step: 2, lastLoss: 2 });
    expect(Number.isNaN(result.badLoss)).toBe(true);
    expect(result.message).toMatch(/NaN at step 3.*after step 2/);
    expect(stops).toEqual([result]);
  });

  test('an infinite loss stops it too', async () => {
    const result = await train(
      fakeEngine(() => Infinity),
      { data: data(), maxIters: 5, evalInterval: 100 },
    );
    expect(result).toMatchObject({ reason: 'non-finite', step: 0, lastLoss: null, badLoss: Infinity });
  });

  test('pause() holds the loop, resume() continues, stop() ends it', async () => {
    const control = new TrainingControl();
    const e = fakeEngine(() => 1);
    const seen: number[] = [];
    const run = train(e, {
      data: data(),
      maxIters: 100,
      evalInterval: 1000,
      control,
      onStep: (s) => {
        seen.push(s.step);
        if (s.step === 2) control.pause();
        if (s.step === 4) control.stop();
      },
    });
    await new Promise((r) => setTimeout(r, 30));
    expect(seen).toEqual([1, 2]);
    expect(control.paused).toBe(true);
    control.resume();
    const result = await run;
    expect(seen).toEqual([1, 2, 3, 4]);
    expect(result).toMatchObject({ reason: 'stopped', step: 4 });
  });

  test('yields to the host often enough that a timer can stop a fast loop', async () => {
    const control = new TrainingControl();
    setTimeout(() => control.stop(), 30);
    const result = await train(
      fakeEngine(() => 1),
      { data: data(), maxIters: 1e9, evalInterval: 1e9, control },
    );
    expect(result.reason).toBe('stopped');
    expect(result.step).toBeGreaterThan(0);
  });

  /** Block the thread for ms (a backend whose read-backs resolve as microtasks never lets a message in). */
  const spin = (ms: number): void => {
    const end = performance.now() + ms;
    while (performance.now() < end);
  };

  test('Stop during the first loss estimate ends the run before step 1, with estimate progress', async () => {
    const control = new TrainingControl();
    const phases: PhaseEvent[] = [];
    const events: string[] = [];
    const e = fakeEngine(() => 1);
    e.estimateLoss = async (batches) => {
      spin(batches.length); // 1 ms a batch
      return 1;
    };
    setTimeout(() => control.stop(), 50); // as a worker's Stop message would arrive
    const result = await train(e, {
      data: data(),
      maxIters: 10,
      evalInterval: 5,
      evalIters: 2000,
      control,
      onPhase: (p) => void phases.push(p),
      onEval: () => void events.push('eval'),
      onStep: () => void events.push('step'),
    });
    expect(result).toMatchObject({ reason: 'stopped', step: 0 });
    expect(events).toEqual([]);
    const last = phases.at(-1)!;
    expect(last).toMatchObject({ type: 'phase', phase: 'estimating', step: 0, total: 4000 });
    expect(last.done).toBeGreaterThan(0);
    expect(last.done).toBeLessThan(4000);
  });

  test('Stop during an in-training sample ends the run without the sample', async () => {
    const control = new TrainingControl();
    const phases: string[] = [];
    const samples: string[] = [];
    const e = fakeEngine(() => 1);
    e.generate = async (ctx, n, opts = {}) => {
      const out = Array.from(ctx);
      for (let i = 0; i < n; i++) {
        if (await opts.shouldStop?.()) break;
        spin(1);
        out.push(0);
      }
      return Int32Array.from(out);
    };
    const result = await train(e, {
      data: data(),
      vocab,
      maxIters: 10,
      evalInterval: 1000,
      sampleInterval: 1,
      sampleTokens: 5000,
      control,
      onPhase: (p) => {
        phases.push(p.phase);
        if (p.phase === 'sampling') setTimeout(() => control.stop(), 30);
      },
      onSample: (x) => void samples.push(x.text),
    });
    expect(result).toMatchObject({ reason: 'stopped', step: 1 });
    expect(phases.filter((p, i) => p !== phases[i - 1])).toEqual(['estimating', 'first-step', 'sampling']);
    expect(samples).toEqual([]);
  });

  test('stop() while paused ends the loop', async () => {
    const control = new TrainingControl();
    control.pause();
    const run = train(
      fakeEngine(() => 1),
      { data: data(), maxIters: 10, control },
    );
    control.stop();
    expect((await run).reason).toBe('stopped');
  });

  test('an aborted AbortSignal stops the loop', async () => {
    const abort = new AbortController();
    const result = await train(
      fakeEngine(() => 1),
      {
        data: data(),
        maxIters: 50,
        evalInterval: 1000,
        signal: abort.signal,
        onStep: (s) => {
          if (s.step === 3) abort.abort();
        },
      },
    );
    expect(result).toMatchObject({ reason: 'stopped', step: 3 });
  });

  test('stops on convergence of the validation loss and reports it once', async () => {
    const conv: TrainEvent[] = [];
    // val loss: 3.0, 2.0, 1.5, then flat at 1.5 → converged once the window of 2 evals shows < 1 % gain
    const e = fakeEngine(
      () => 1,
      (k) => [3, 2, 1.5][k] ?? 1.5,
    );
    const result = await train(e, {
      data: data(),
      maxIters: 100,
      evalInterval: 5,
      evalIters: 1,
      convergence: { window: 2, minRelativeImprovement: 0.01 },
      onConvergence: (c) => void conv.push(c),
    });
    expect(result.reason).toBe('converged');
    expect(result.step).toBe(20); // evals at 0, 5, 10, 15, 20: best 3, 2, 1.5, 1.5, 1.5
    expect(conv).toEqual([
      { type: 'convergence', step: 20, bestVal: 1.5, bestStep: 10, relativeImprovement: 0, window: 2 },
    ]);
  });

  test('stopOnConvergence: false reports convergence and keeps training', async () => {
    let reported = 0;
    const result = await train(
      fakeEngine(
        () => 1,
        () => 1,
      ),
      {
        data: data(),
        maxIters: 30,
        evalInterval: 5,
        evalIters: 1,
        convergence: { window: 1 },
        stopOnConvergence: false,
        onConvergence: () => void reported++,
      },
    );
    expect(result.reason).toBe('max-iters');
    expect(reported).toBe(1);
  });

  test('passes the scheduled learning rate to every step', async () => {
    const e = fakeEngine(() => 1);
    await train(e, { data: data(), maxIters: 3, evalInterval: 100, learningRate: (s) => (s + 1) / 10 });
    expect(e.lrs).toEqual([0.1, 0.2, 0.3]);
  });
});

describe('ConvergenceDetector', () => {
  test.each<[string, number[], number | null]>([
    ['steady progress never converges', [4, 3, 2.5, 2.2, 2.0, 1.85, 1.75], null],
    ['a plateau converges after the window', [4, 3, 2.5, 2.49, 2.489, 2.488], 4],
    ['a rising val loss (overfitting) converges', [3, 2, 2.1, 2.3, 2.6], 3],
    ['noise around a floor converges', [2, 1.99, 2.01, 1.995, 2.0, 2.02], 2],
  ])('%s', (_label, vals, firstConvergedIndex) => {
    const d = new ConvergenceDetector({ window: 2, minRelativeImprovement: 0.01 });
    const verdicts = vals.map((v, i) => d.update(i * 100, v));
    const first = verdicts.findIndex((v) => v !== null);
    expect(first === -1 ? null : first).toBe(firstConvergedIndex);
  });

  test('state round-trips', () => {
    const a = new ConvergenceDetector({ window: 2 });
    [3, 2, 1.99].forEach((v, i) => a.update(i, v));
    const b = new ConvergenceDetector({ window: 2 });
    b.setState(a.getState());
    expect(b.update(3, 1.99)).toEqual(a.update(3, 1.99));
  });

  test('rejects a window below 1', () => {
    expect(() => new ConvergenceDetector({ window: 0 })).toThrow(/window/);
  });
});

describe('notesConvergenceFlags(trainLosses) reproduces the notes’ check', () => {
  test('fires at the first evaluation and on every decrease, i.e. while training still progresses', () => {
    expect(notesConvergenceFlags([3.0, 2.9, 2.95, 3.1, 2.5, 2.51])).toEqual([
      true,
      true,
      false,
      false,
      true,
      true,
    ]);
  });
});

/**
 * The training loop's step pipeline (Engine.submitStep): step n + 1 goes to the engine before step n's loss
 * is awaited; everything that reads the engine (estimates, samples, checkpoints) runs with no step in flight;
 * a non-finite loss stops the run and says whether a step already queued behind it moved the weights.
 * The engine is a fake whose "device" resolves each step a macrotask after it was submitted.
 */
import { describe, expect, test } from 'vitest';
import { makeConfig } from '../../../src/model/config';
import { buildVocab, encode, memoryBatches, splitTrainVal } from '../../../src/model/data';
import type { Batch, Engine, StepResult } from '../../../src/model/engine';
import { nonFiniteMessage, train, TrainingControl } from '../../../src/model/train';
import { stubEngine } from '../helpers/stub-engine';

const text = 'the cat sat on the mat. '.repeat(20);
const vocab = buildVocab(text);
const { train: trainIds, val: valIds } = splitTrainVal(encode(text, vocab).ids);
const cfg = makeConfig('tiny', { vocabSize: vocab.size, blockSize: 8, batchSize: 2 });
const data = () => memoryBatches(trainIds, valIds, cfg);

/**
 * A queue-running engine: `submitStep` logs `submit k` (k = the step's number) and resolves a macrotask
 * later; stepCount counts the finite steps resolved, as a device would have applied them. `losses(k)` is the
 * loss of the k-th submitted step. Reading methods log what they saw and how many steps were in flight.
 */
function queueEngine(losses: (k: number) => number, pipelined = true) {
  const log: string[] = [];
  let applied = 0;
  let submittedCount = 0;
  let inFlight = 0;
  let maxInFlight = 0;
  const run = (_b: Batch): Promise<StepResult> => {
    const k = ++submittedCount;
    const loss = losses(k);
    log.push(`submit ${k}`);
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    return new Promise((resolve) =>
      setTimeout(() => {
        inFlight--;
        const finite = Number.isFinite(loss);
        if (finite) applied++;
        resolve({ step: applied, loss, finite, ms: 1 });
      }, 0),
    );
  };
  const engine: Engine = Object.defineProperty(stubEngine(cfg, 'fake-queue'), 'stepCount', {
    get: () => applied,
  });
  engine.step = async (b) => run(b);
  engine.estimateLoss = async () => {
    log.push(`estimate at ${applied}, ${inFlight} in flight`);
    return 1;
  };
  engine.generate = async (ctx) => {
    log.push(`sample at ${applied}, ${inFlight} in flight`);
    return ctx;
  };
  if (pipelined) engine.submitStep = (b) => run(b);
  return { engine, log, maxInFlight: () => maxInFlight };
}

describe('train(): the step pipeline', () => {
  test('submits step n + 1 before reporting step n, and drains before every loss estimate', async () => {
    const { engine, log, maxInFlight } = queueEngine(() => 1);
    const result = await train(engine, {
      data: data(),
      maxIters: 6,
      evalInterval: 4,
      evalIters: 1,
      onStep: (e) => void log.push(`step ${e.step}`),
    });
    expect(result).toMatchObject({ reason: 'max-iters', step: 6 });
    expect(log).toEqual([
      'estimate at 0, 0 in flight',
      'estimate at 0, 0 in flight',
      'submit 1',
      'submit 2',
      'step 1',
      'submit 3',
      'step 2',
      'submit 4',
      'step 3',
      'step 4', // step 4 is due for an estimate: drained, nothing submitted behind it
      'estimate at 4, 0 in flight',
      'estimate at 4, 0 in flight',
      'submit 5',
      'submit 6',
      'step 5',
      'step 6',
      'estimate at 6, 0 in flight',
      'estimate at 6, 0 in flight',
    ]);
    expect(maxInFlight()).toBe(2);
  });

  test('an engine without submitStep runs one step at a time, as before', async () => {
    const { engine, log, maxInFlight } = queueEngine(() => 1, false);
    await train(engine, {
      data: data(),
      maxIters: 3,
      evalInterval: 100,
      onStep: (e) => void log.push(`step ${e.step}`),
    });
    expect(log.filter((l) => !l.startsWith('estimate'))).toEqual([
      'submit 1',
      'step 1',
      'submit 2',
      'step 2',
      'submit 3',
      'step 3',
    ]);
    expect(maxInFlight()).toBe(1);
  });

  test('onCheckpoint runs with nothing in flight, after every earlier step was reported finite', async () => {
    const { engine, log } = queueEngine(() => 1);
    const due: number[] = [];
    await train(engine, {
      data: data(),
      maxIters: 7,
      evalInterval: 100,
      checkpointInterval: 3,
      onStep: (e) => void log.push(`step ${e.step}`),
      onCheckpoint: (e) => {
        due.push(e.step);
        log.push(`checkpoint at ${engine.stepCount} (event ${e.step})`);
      },
    });
    expect(due).toEqual([3, 6]);
    const at = log.indexOf('checkpoint at 3 (event 3)');
    expect(log.slice(at - 3, at + 3)).toEqual([
      'submit 3',
      'step 2',
      'step 3', // drained: step 3's loss is known before its weights are captured
      'checkpoint at 3 (event 3)',
      'submit 4',
      'submit 5',
    ]);
    expect(log).toContain('checkpoint at 6 (event 6)');
  });

  test('samples are drawn with no step in flight', async () => {
    const { engine, log } = queueEngine(() => 1);
    await train(engine, { data: data(), vocab, maxIters: 5, evalInterval: 100, sampleInterval: 2 });
    expect(log.filter((l) => l.startsWith('sample'))).toEqual([
      'sample at 2, 0 in flight',
      'sample at 4, 0 in flight',
    ]);
  });

  test.each<[string, (k: number) => number, number | undefined, RegExp]>([
    [
      'a NaN with a finite step queued behind it: the weights moved past it and are not kept',
      (k) => (k === 3 ? NaN : 1),
      1,
      /NaN at step 3; training stopped, but the GPU had already run 1 more step queued behind it, so these weights are not kept/,
    ],
    [
      'an Infinity followed by another bad step: the weights are still those after step 2',
      (k) => (k >= 3 ? Infinity : 1),
      undefined,
      /Infinity at step 3; training stopped before that update, so the weights are those after step 2/,
    ],
  ])('%s', async (_label, losses, stepsAfterBad, message) => {
    const { engine, log } = queueEngine(losses);
    const result = await train(engine, {
      data: data(),
      maxIters: 10,
      evalInterval: 100,
      onStep: (e) => void log.push(`step ${e.step}`),
    });
    expect(result.reason).toBe('non-finite');
    expect(result.stepsAfterBad).toBe(stepsAfterBad);
    expect(result.message).toMatch(message);
    expect(result.lastLoss).toBe(1);
    expect(log.filter((l) => l.startsWith('step'))).toEqual(['step 1', 'step 2']);
    expect(log.at(-1)).toBe('submit 4'); // nothing is submitted after the bad loss is seen
  });

  test('pause drains the pipeline; stop ends the run after the step in flight is reported', async () => {
    const control = new TrainingControl();
    const { engine, log } = queueEngine(() => 1);
    const run = train(engine, {
      data: data(),
      maxIters: 100,
      evalInterval: 1000,
      control,
      onStep: (e) => {
        log.push(`step ${e.step}`);
        if (e.step === 2) control.pause();
      },
    });
    await new Promise((r) => setTimeout(r, 30));
    expect(log.slice(-3)).toEqual(['submit 3', 'step 2', 'step 3']); // paused with nothing in flight
    control.stop();
    expect(await run).toMatchObject({ reason: 'stopped', step: 3 });
  });

  test('nonFiniteMessage pluralises the steps queued behind the bad one', () => {
    expect(nonFiniteMessage(NaN, 5, 6, 2)).toMatch(/2 more steps queued/);
    expect(nonFiniteMessage(NaN, 5, 4, 0)).toMatch(/weights are those after step 4/);
  });
});

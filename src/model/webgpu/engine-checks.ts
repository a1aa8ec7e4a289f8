/**
 * Engine-level cases of the kernel self-check (./check.ts runs them on the browser's device): the step
 * pipeline (step n + 1 submitted before step n's loss is read) gives the same weights and losses as steps
 * awaited one by one, generation with the KV cache gives the same tokens as without it past block_size, and
 * flat buffers split into several bindings (a fake low maxStorageBufferBindingSize) train like whole ones,
 * and so does a batch run in row slices (activation buffers for fewer sequences than the batch).
 */
import { createRng } from '../../lib/rng';
import { makeConfig, type GPTConfig } from '../config';
import type { Batch } from '../engine';
import { createWebGPUEngine, type WebGPUEngine } from './engine';
import type { Runtime } from './runtime';

/** One case: pairs of (got, want) arrays whose largest relative error must stay within tol. */
export interface EngineCase {
  name: string;
  tol: number;
  run(rt: Runtime): Promise<[ArrayLike<number>, ArrayLike<number>][]>;
}

/** A model small enough to run in milliseconds on SwiftShader, with dropout on and a 6-token block. */
const small: GPTConfig = makeConfig('tiny', {
  vocabSize: 11,
  blockSize: 6,
  nEmbd: 8,
  nLayer: 2,
  dropout: 0.1,
  batchSize: 2,
  learningRate: 1e-2,
  seed: 5,
});

/** Seeded random batches of the config's shape. */
function batches(cfg: GPTConfig, n: number): Batch[] {
  const rng = createRng(17);
  const ids = (): Int32Array =>
    Int32Array.from({ length: cfg.batchSize * cfg.blockSize }, () => Math.floor(rng.next() * cfg.vocabSize));
  return Array.from({ length: n }, () => ({
    x: ids(),
    y: ids(),
    batchSize: cfg.batchSize,
    blockSize: cfg.blockSize,
  }));
}

/** Every parameter of an engine, concatenated in layout order. */
async function flatWeights(e: WebGPUEngine): Promise<Float32Array> {
  const parts = [...(await e.getWeights()).values()].map((w) => w.data);
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) out.set(p, (at += p.length) - p.length);
  return out;
}

/** Four steps with two in flight at a time against the same four steps awaited one by one. */
function pipelineCase(): EngineCase {
  return {
    name: 'step pipeline: 4 steps with step n + 1 submitted before step n is read = 4 awaited steps (weights, losses, AdamW step)',
    tol: 0,
    async run(rt) {
      const bs = batches(small, 4);
      const a = await createWebGPUEngine(null, small, { device: rt.device });
      const b = await createWebGPUEngine(null, small, { device: rt.device });
      try {
        const one: number[] = [];
        for (const x of bs) one.push((await a.step(x)).loss);
        const inFlight = [b.submitStep(bs[0]), b.submitStep(bs[1])];
        const two: number[] = [];
        for (let k = 2; k <= bs.length; k++) {
          two.push((await inFlight.shift()!).loss);
          if (k < bs.length) inFlight.push(b.submitStep(bs[k]));
        }
        two.push((await inFlight.shift()!).loss);
        const stepsA = (await a.getOptimizerState()).step;
        const stepsB = (await b.getOptimizerState()).step;
        return [
          [two, one],
          [
            [b.stepCount, stepsB],
            [a.stepCount, stepsA],
          ],
          [await flatWeights(b), await flatWeights(a)],
        ];
      } finally {
        a.dispose();
        b.dispose();
      }
    },
  };
}

/** Sampled tokens with and without the KV cache, from 2 tokens to 3 × block_size. */
function cachedGenerationCase(): EngineCase {
  return {
    name: 'generation: the same 16 sampled tokens with and without the KV cache, past block_size 6',
    tol: 0,
    async run(rt) {
      const cached = await createWebGPUEngine(null, small, { device: rt.device });
      const plain = await createWebGPUEngine(null, small, { device: rt.device, kvCache: false });
      try {
        const ctx = Int32Array.of(1, 2);
        const got = await cached.generate(ctx, 16, { seed: 4, temperature: 1 });
        const want = await plain.generate(ctx, 16, { seed: 4, temperature: 1 });
        return [[got, want]];
      } finally {
        cached.dispose();
        plain.dispose();
      }
    },
  };
}

/** The same config on two engines: [planned under a fake low maxStorageBufferBindingSize of `bytes`, whole]. */
async function limitedAndWhole(
  rt: Runtime,
  cfg: GPTConfig,
  bytes: number,
): Promise<[WebGPUEngine, WebGPUEngine]> {
  const whole = await createWebGPUEngine(null, cfg, { device: rt.device });
  const limits = { maxStorageBufferBindingSize: bytes };
  return [await createWebGPUEngine(null, cfg, { device: rt.device, limits }), whole];
}

/** Step two engines through the same batches, alternately; their losses, in the engines' order. */
async function stepBoth(a: WebGPUEngine, b: WebGPUEngine, bs: Batch[]): Promise<[number[], number[]]> {
  const losses: [number[], number[]] = [[], []];
  for (const x of bs) {
    losses[0].push((await a.step(x)).loss);
    losses[1].push((await b.step(x)).loss);
  }
  return losses;
}

/** Three steps with the flat buffers bound as several 2 KiB ranges (a fake low limit) against whole bindings. */
function splitBindingCase(): EngineCase {
  return {
    name: 'flat buffers split under a fake 2 KiB maxStorageBufferBindingSize: 3 steps = 3 steps bound whole',
    tol: 0,
    async run(rt) {
      const [split, whole] = await limitedAndWhole(rt, small, 2048);
      try {
        const losses = await stepBoth(split, whole, batches(small, 3));
        const chunks = split.flatChunks;
        return [
          [
            [Math.min(chunks.length, 2), whole.flatChunks.length],
            [2, 1],
          ], // really split (and not without)
          [chunks.map((c) => (4 * c.size <= 2048 ? 1 : 0)), chunks.map(() => 1)],
          losses,
          [await flatWeights(split), await flatWeights(whole)],
          [
            Object.values((await split.getOptimizerState()).v).flatMap((w) => [...w.data]),
            Object.values((await whole.getOptimizerState()).v).flatMap((w) => [...w.data]),
          ],
        ];
      } finally {
        whole.dispose();
        split.dispose();
      }
    },
  };
}

/**
 * A batch of 3 in row slices of 2 and 1 (a fake 1.5 KiB binding limit: one sequence's feed-forward
 * activations take 768 bytes) against the same engine bound whole: 3 training steps, then the loss
 * estimate and the logits of a batch. Float sums run in another order, so equal within 1e-5, not bitwise.
 */
function rowSliceCase(): EngineCase {
  const cfg = { ...small, batchSize: 3 };
  return {
    name: 'a batch of 3 in row slices of 2 + 1 under a fake 1.5 KiB maxStorageBufferBindingSize: 3 steps, loss estimate and logits = the batch run whole',
    tol: 1e-5,
    async run(rt) {
      const bs = batches(cfg, 4);
      const [sliced, whole] = await limitedAndWhole(rt, cfg, 1536);
      try {
        const losses = await stepBoth(sliced, whole, bs.slice(0, 3));
        const estimate = [await sliced.estimateLoss(bs), await whole.estimateLoss(bs)];
        return [
          [
            [sliced.sliceB, whole.sliceB],
            [2, 3],
          ], // really sliced (and not without)
          losses,
          [await flatWeights(sliced), await flatWeights(whole)],
          [[estimate[0]], [estimate[1]]],
          [(await sliced.logits(bs[3])).data, (await whole.logits(bs[3])).data],
        ];
      } finally {
        whole.dispose();
        sliced.dispose();
      }
    },
  };
}

/** A batch of more sequences than batch_size is refused before anything is written (its ids would not fit). */
function oversizedBatchCase(): EngineCase {
  return {
    name: 'a batch of more sequences than batch_size: refused with a message, the engine still trains',
    tol: 0,
    async run(rt) {
      const engine = await createWebGPUEngine(null, small, { device: rt.device });
      try {
        const [ok] = batches(small, 1);
        const big = batches({ ...small, batchSize: small.batchSize + 1 }, 1)[0];
        const said: string[] = [];
        for (const f of [() => engine.step(big), () => engine.logits(big), () => engine.estimateLoss([big])])
          await f().catch((e: unknown) => said.push(String(e)));
        const refused = said.filter((m) => m.includes('at most batch_size = 2 sequences, got B = 3')).length;
        const loss = (await engine.step(ok)).loss;
        return [
          [
            [refused, engine.stepCount, Number.isFinite(loss) ? 1 : 0],
            [3, 1, 1],
          ],
        ];
      } finally {
        engine.dispose();
      }
    },
  };
}

/** The engine-level cases, in the order the self-check runs them. */
export function engineCases(): EngineCase[] {
  return [pipelineCase(), cachedGenerationCase(), splitBindingCase(), rowSliceCase(), oversizedBatchCase()];
}

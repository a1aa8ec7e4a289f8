import { describe, expect, test } from 'vitest';
import {
  bindingChunks,
  bufferPlan,
  checkPlan,
  paramLayout,
  rowSlices,
  ALIGN_FLOATS,
  FLAT_BUFFERS,
} from '../../../src/model/webgpu/plan';
import { makeConfig, estimateParams } from '../../../src/model/config';
import { parameterSpecs } from '../../../src/model/params';

describe('the WebGPU engine’s memory plan', () => {
  test.each(['tiny', 'small', 'notes'] as const)(
    '%s: every parameter once, aligned, qkv stacked in PyTorch order',
    (preset) => {
      const cfg = makeConfig(preset);
      const layout = paramLayout(cfg);
      expect(layout.slots.map((s) => s.name)).toEqual(parameterSpecs(cfg).map((s) => s.name));
      expect(layout.slots.reduce((n, s) => n + s.size, 0)).toBe(estimateParams(cfg));
      const hs = cfg.nEmbd / cfg.nHead;
      for (const s of layout.slots) {
        const head = /^blocks\.(\d+)\.sa\.heads\.(\d+)\.(key|query|value)\.weight$/.exec(s.name);
        if (!head) expect(s.offset % ALIGN_FLOATS).toBe(0);
        else {
          const k = ['key', 'query', 'value'].indexOf(head[3]);
          expect(s.offset).toBe(
            layout.qkvOffset[Number(head[1])] + (Number(head[2]) * 3 + k) * hs * cfg.nEmbd,
          );
        }
      }
      for (let i = 1; i < layout.slots.length; i++) {
        expect(layout.slots[i].offset).toBeGreaterThanOrEqual(
          layout.slots[i - 1].offset + layout.slots[i - 1].size,
        );
      }
      expect(layout.qkvOffset.every((o) => o % ALIGN_FLOATS === 0)).toBe(true);
    },
  );

  /** WebGPU's default limits: what every adapter offers at least. */
  const spec = { maxStorageBufferBindingSize: 128 * 2 ** 20, maxBufferSize: 256 * 2 ** 20 };

  test('notes with 12 layers: flat buffers over maxStorageBufferBindingSize are split, not refused', () => {
    const cfg = makeConfig('notes', { nLayer: 12 });
    const total = paramLayout(cfg).total;
    expect(4 * total).toBeGreaterThan(spec.maxStorageBufferBindingSize); // 145 MiB per flat buffer
    const { refusal, flatChunks } = checkPlan(cfg, spec);
    expect(refusal).toBeNull();
    expect(flatChunks).toEqual([
      { offset: 0, size: 32 * 2 ** 20 },
      { offset: 32 * 2 ** 20, size: total - 32 * 2 ** 20 },
    ]);
  });

  test.each<[string, number, number, number]>([
    ['fits one binding', 1000, 4096, 1],
    ['exactly one binding', 1024, 4096, 1],
    ['one float more', 1025, 4096, 2],
    ['limit not a multiple of the alignment', 1000, 1000, 6], // 192 floats (3 × 64) per binding
  ])('bindingChunks: %s', (_l, total, maxBytes, count) => {
    const chunks = bindingChunks(total, maxBytes);
    expect(chunks).toHaveLength(count);
    let at = 0;
    for (const c of chunks) {
      expect(c.offset).toBe(at); // consecutive, covering [0, total)
      expect(c.offset % ALIGN_FLOATS).toBe(0); // every binding offset aligned
      expect(4 * c.size).toBeLessThanOrEqual(maxBytes);
      at += c.size;
    }
    expect(at).toBe(total);
  });

  test('tiny at B = 1 under a fake 32 KiB binding limit: AdamW walks the flat buffers in chunks; at 8 KiB one sequence cannot fit', () => {
    const cfg = makeConfig('tiny', { vocabSize: 11, batchSize: 1 });
    const total = paramLayout(cfg).total; // about 30 k floats: 4 bindings of 8,192
    const { refusal, flatChunks, sliceB } = checkPlan(cfg, {
      maxStorageBufferBindingSize: 32 * 2 ** 10,
      maxBufferSize: 2 ** 30,
    });
    expect(refusal).toBeNull();
    expect(sliceB).toBe(1);
    expect(flatChunks.length).toBe(Math.ceil(total / 8192));
    expect(flatChunks.length).toBeGreaterThan(1);
    const low = checkPlan(cfg, { maxStorageBufferBindingSize: 8 * 2 ** 10, maxBufferSize: 2 ** 30 });
    expect(low.sliceB).toBe(0);
    expect(low.refusal).toMatch(
      /binds 16\.0 KiB at once \(hid, for one sequence\), more than this GPU's maxStorageBufferBindingSize of 8\.0 KiB/,
    );
  });

  test('notes with a batch of 512 (hid would be 512 MiB): 4 row slices of 128 sequences, no refusal', () => {
    const cfg = makeConfig('notes', { batchSize: 512 });
    const { refusal, sliceB, bytes } = checkPlan(cfg, spec);
    expect(refusal).toBeNull();
    // one sequence's hid is 128 × 2048 floats = 1 MiB; 128 of them fit 128 MiB
    expect(sliceB).toBe(128);
    expect(rowSlices(512, sliceB).length).toBe(4);
    const activations = bufferPlan(cfg, paramLayout(cfg), sliceB).filter(
      (b) => !FLAT_BUFFERS.includes(b.name),
    );
    for (const b of activations)
      expect(4 * b.floats, b.name).toBeLessThanOrEqual(spec.maxStorageBufferBindingSize);
    const whole = bufferPlan(cfg).reduce((s, b) => s + 4 * b.floats, 0);
    expect(bytes).toBeLessThan(whole / 3); // activations for 128 sequences, not 512
  });

  test('the default notes batch (64) fits the default limits whole: one slice', () => {
    expect(checkPlan(makeConfig('notes'), spec).sliceB).toBe(64);
  });

  test('flat buffers over maxBufferSize cannot exist: refused with the limit and the size', () => {
    const cfg = makeConfig('notes');
    const mb = (4 * paramLayout(cfg).total) / 2 ** 20;
    const { refusal, sliceB } = checkPlan(cfg, {
      maxStorageBufferBindingSize: 2 ** 20,
      maxBufferSize: 8 * 2 ** 20,
    });
    expect(sliceB).toBe(0);
    expect(refusal).toContain(`needs a ${mb.toFixed(1)} MiB buffer (params`);
    expect(refusal).toContain('maxBufferSize of 8.0 MiB');
  });

  test('one parameter over the binding limit is refused even when activations could be sliced', () => {
    const cfg = makeConfig('tiny', { vocabSize: 4096, nEmbd: 64, batchSize: 4 });
    const { refusal } = checkPlan(cfg, {
      maxStorageBufferBindingSize: 2 ** 20 - 1024,
      maxBufferSize: 2 ** 30,
    });
    expect(refusal).toMatch(/\((token_embedding_table|lm_head)\.weight\)/);
  });

  test.each<[number, number, [number, number][]]>([
    [4, 4, [[0, 4]]],
    [4, 8, [[0, 4]]],
    [
      5,
      2,
      [
        [0, 2],
        [2, 2],
        [4, 1],
      ],
    ],
    [
      3,
      1,
      [
        [0, 1],
        [1, 1],
        [2, 1],
      ],
    ],
  ])('rowSlices(%i, %i): consecutive slices covering the batch', (B, sliceB, want) => {
    expect(rowSlices(B, sliceB).map((s) => [s.b0, s.n])).toEqual(want);
  });

  test('the plan allocates nothing per (B, T): its size depends on the config alone', () => {
    const cfg = makeConfig('small');
    const bytes = bufferPlan(cfg).reduce((s, b) => s + 4 * b.floats, 0);
    expect(checkPlan(cfg, { maxStorageBufferBindingSize: 2 ** 31, maxBufferSize: 2 ** 31 }).bytes).toBe(
      bytes,
    );
  });
});

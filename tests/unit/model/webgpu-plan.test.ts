import { describe, expect, test } from 'vitest';
import {
  bindingChunks,
  bufferPlan,
  checkPlan,
  paramLayout,
  ALIGN_FLOATS,
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

  test('tiny at B = 1 under a fake 32 KiB binding limit: AdamW walks the flat buffers in chunks; at 8 KiB an activation cannot fit', () => {
    const cfg = makeConfig('tiny', { vocabSize: 11, batchSize: 1 });
    const total = paramLayout(cfg).total; // about 30 k floats: 4 bindings of 8,192
    const { refusal, flatChunks } = checkPlan(cfg, {
      maxStorageBufferBindingSize: 32 * 2 ** 10,
      maxBufferSize: 2 ** 30,
    });
    expect(refusal).toBeNull();
    expect(flatChunks.length).toBe(Math.ceil(total / 8192));
    expect(flatChunks.length).toBeGreaterThan(1);
    const low = checkPlan(cfg, { maxStorageBufferBindingSize: 8 * 2 ** 10, maxBufferSize: 2 ** 30 });
    expect(low.refusal).toMatch(
      /binds 16\.0 KiB at once \(hid0\), more than this GPU's maxStorageBufferBindingSize of 8\.0 KiB/,
    );
  });

  test.each<[string, Parameters<typeof makeConfig>[1], RegExp]>([
    [
      'a buffer over maxBufferSize cannot be split: refused with the limit and the size',
      { batchSize: 512 },
      /needs a 512\.0 MiB buffer \((hid|dHid)\d*\), more than this GPU's maxBufferSize of 256\.0 MiB/,
    ],
    [
      'an activation bound whole over maxStorageBufferBindingSize: refused with the limit and the size',
      { batchSize: 192 },
      /binds 192\.0 MiB at once \((hid|dHid)\d*\), more than this GPU's maxStorageBufferBindingSize of 128\.0 MiB/,
    ],
  ])('%s', (_l, over, message) => {
    const { refusal } = checkPlan(makeConfig('notes', over), spec);
    expect(refusal).toMatch(message);
  });

  test('the plan allocates nothing per (B, T): its size depends on the config alone', () => {
    const cfg = makeConfig('small');
    const bytes = bufferPlan(cfg).reduce((s, b) => s + 4 * b.floats, 0);
    expect(checkPlan(cfg, { maxStorageBufferBindingSize: 2 ** 31, maxBufferSize: 2 ** 31 }).bytes).toBe(
      bytes,
    );
  });
});

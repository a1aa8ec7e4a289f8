import { describe, expect, test } from 'vitest';
import { bufferPlan, checkPlan, paramLayout, ALIGN_FLOATS } from '../../../src/model/webgpu/plan';
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

  test('a config whose largest buffer passes maxStorageBufferBindingSize is refused with the limit and the size', () => {
    const cfg = makeConfig('notes');
    const limits = { maxStorageBufferBindingSize: 128 * 2 ** 20, maxBufferSize: 256 * 2 ** 20 };
    expect(checkPlan(cfg, limits).refusal).toBeNull();
    const big = { ...cfg, batchSize: 512 };
    const { refusal } = checkPlan(big, limits);
    expect(refusal).toMatch(/maxStorageBufferBindingSize of 128\.0 MiB/);
    expect(refusal).toMatch(/needs a 512\.0 MiB buffer \((hid|dHid)\d*\)/);
  });

  test('the plan allocates nothing per (B, T): its size depends on the config alone', () => {
    const cfg = makeConfig('small');
    const bytes = bufferPlan(cfg).reduce((s, b) => s + 4 * b.floats, 0);
    expect(checkPlan(cfg, { maxStorageBufferBindingSize: 2 ** 31, maxBufferSize: 2 ** 31 }).bytes).toBe(
      bytes,
    );
  });
});

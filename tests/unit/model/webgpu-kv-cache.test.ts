import { describe, expect, test } from 'vitest';
import { planDecode } from '../../../src/model/webgpu/kv-cache';

const ids = (...a: number[]) => Int32Array.from(a);

describe('planDecode: when the WebGPU engine’s KV cache is used', () => {
  test.each<[string, Int32Array | null, Int32Array, boolean, unknown, number[] | null]>([
    [
      'no cache yet: the whole context runs and fills it',
      null,
      ids(1, 2, 3),
      true,
      { kind: 'full', T: 3 },
      [1, 2, 3],
    ],
    [
      'one token more than the cache: only its row runs',
      ids(1, 2, 3),
      ids(1, 2, 3, 4),
      true,
      { kind: 'extend', row: 3 },
      [1, 2, 3, 4],
    ],
    ['another prefix: re-encoded', ids(1, 2, 3), ids(1, 9, 3, 4), true, { kind: 'full', T: 4 }, [1, 9, 3, 4]],
    ['two tokens more: re-encoded', ids(1, 2), ids(1, 2, 3, 4), true, { kind: 'full', T: 4 }, [1, 2, 3, 4]],
    [
      'the same context again: re-encoded (its last row is not new)',
      ids(1, 2, 3),
      ids(1, 2, 3),
      true,
      { kind: 'full', T: 3 },
      [1, 2, 3],
    ],
    [
      'past block_size the window slides: the whole window re-encodes, nothing cached',
      ids(1, 2, 3, 4),
      ids(1, 2, 3, 4, 5),
      true,
      { kind: 'full', T: 4 },
      null,
    ],
    [
      'far past block_size: still the whole window',
      null,
      ids(1, 2, 3, 4, 5, 6, 7),
      true,
      { kind: 'full', T: 4 },
      null,
    ],
    [
      'the cache switched off: always the whole window',
      ids(1, 2, 3),
      ids(1, 2, 3, 4),
      false,
      { kind: 'full', T: 4 },
      null,
    ],
  ])('%s', (_label, held, context, useCache, plan, after) => {
    const r = planDecode(held, context, 4, useCache);
    expect(r.plan).toEqual(plan);
    expect(r.held === null ? null : Array.from(r.held)).toEqual(after);
  });

  test('the cache it returns is a copy: the caller may reuse its context buffer', () => {
    const ctx = ids(1, 2);
    const { held } = planDecode(null, ctx, 4);
    ctx[0] = 7;
    expect(Array.from(held!)).toEqual([1, 2]);
  });
});

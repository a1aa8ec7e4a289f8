import { describe, expect, it } from 'vitest';
import {
  decodeAttentionExtra,
  encodeAttentionExtra,
} from '../../../components/widgets/attention-calculator/share';
import { decodeState, encodeState } from '../../../src/site/fragment-state';

describe('attention calculator shared extra state', () => {
  it('is undefined at the defaults', () => {
    expect(encodeAttentionExtra('embed', 'embed', new Map())).toBeUndefined();
    expect(encodeAttentionExtra('softmax', 'softmax', new Map([['cat', new Map()]]))).toBeUndefined();
  });

  it('round-trips the stage and the typed cells through a link value', () => {
    const edits = new Map([
      [
        'cat',
        new Map([
          [0, 1.5],
          [3, -0.25],
        ]),
      ],
      ['the', new Map([[1, 2]])],
    ]);
    const extra = encodeAttentionExtra('mask', 'embed', edits);
    expect(extra).toEqual({
      s: 'mask',
      e: [
        [
          'cat',
          [
            [0, 1.5],
            [3, -0.25],
          ],
        ],
        ['the', [[1, 2]]],
      ],
    });
    const back = decodeState(encodeState({ $: extra }));
    expect(back.ok).toBe(true);
    const decoded = decodeAttentionExtra((back as { value: { $: unknown } }).value.$);
    expect(decoded?.stage).toBe('mask');
    expect(decoded?.edits).toEqual(edits);
  });

  it.each([
    [undefined, true],
    [{}, true],
    [{ s: 'softmax' }, true],
    [{ s: 'nope' }, false],
    [[1], false],
    ['mask', false],
    [{ e: 'x' }, false],
    [{ e: [['cat', [[0, 'NaN']]]] }, false],
    [{ e: [['cat', [[-1, 1]]]] }, false],
    [{ e: [['cat', [[1.5, 1]]]] }, false],
    [{ e: [[3, [[0, 1]]]] }, false],
    [{ e: [['cat', [[0, 1, 2]]]] }, false],
  ])('%j is accepted: %s', (value, ok) => {
    expect(decodeAttentionExtra(value) !== null).toBe(ok);
  });
});

import { describe, expect, test } from 'vitest';
import { clampFocus, heatmapPick } from '../../../components/widgets/attention-calculator/focus';
import type { Focus, MatrixName } from '../../../components/widgets/attention-calculator/matrices';
import type { StageId } from '../../../components/widgets/attention-calculator/model';

/** A (rows, cols) matrix of zeros named `name`. */
const m = (name: MatrixName, rows: number, cols: number) => ({
  name,
  values: Array.from({ length: rows }, () => new Array<number>(cols).fill(0)),
});
const x = m('x', 3, 4);

describe('the attention calculator’s focused cell', () => {
  test.each<[string, Focus, ReturnType<typeof m>[], Focus]>([
    [
      'stays on its matrix when the stage shows it',
      { matrix: 'q', i: 1, j: 2 },
      [m('k', 3, 4), m('q', 3, 4)],
      { matrix: 'q', i: 1, j: 2 },
    ],
    [
      'moves to the first shown matrix when its own is gone',
      { matrix: 'weights', i: 1, j: 1 },
      [m('q', 3, 2)],
      { matrix: 'q', i: 1, j: 1 },
    ],
    [
      'is clamped into a smaller matrix',
      { matrix: 'scores', i: 5, j: 7 },
      [m('scores', 3, 3)],
      { matrix: 'scores', i: 2, j: 2 },
    ],
    [
      'falls back to the embeddings when the stage shows no table',
      { matrix: 'v', i: 9, j: 9 },
      [],
      { matrix: 'x', i: 2, j: 3 },
    ],
  ])('%s', (_what, focus, shown, want) => {
    expect(clampFocus(focus, shown, x)).toEqual(want);
  });

  test.each<[StageId, StageId, MatrixName]>([
    ['scores', 'scores', 'scores'],
    ['scale', 'scale', 'scaled'],
    ['mask', 'mask', 'masked'],
    ['softmax', 'softmax', 'weights'],
    ['hard', 'hard', 'hardWeights'],
    ['embed', 'softmax', 'weights'],
    ['out', 'softmax', 'weights'],
  ])('a heatmap click at stage %s shows stage %s and focuses %s', (stage, wantStage, matrix) => {
    expect(heatmapPick(stage, 2, 1)).toEqual({ stage: wantStage, focus: { matrix, i: 2, j: 1 } });
  });
});

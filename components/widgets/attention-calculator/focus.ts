/**
 * Where the attention calculator's focused cell goes when the stage changes or a heatmap is clicked.
 * Pure: no DOM, unit-tested in tests/unit/widgets/attention-focus.test.ts.
 */
import type { Focus, MatrixName } from './matrices';
import type { StageId } from './model';

/** The focus kept inside the matrices a stage shows: its matrix if shown, else the first's; row and column clamped. */
export function clampFocus(
  focus: Focus,
  shown: readonly { name: MatrixName; values: number[][] }[],
  fallback: { name: MatrixName; values: number[][] },
): Focus {
  const first = shown[0] ?? fallback;
  const spec = shown.find((s) => s.name === focus.matrix) ?? first;
  return {
    matrix: spec.name,
    i: Math.min(focus.i, spec.values.length - 1),
    j: Math.min(focus.j, spec.values[0].length - 1),
  };
}

/** Stages whose own (T, T) matrix a heatmap click focuses; other stages jump to the softmax weights. */
const HEATMAP_MATRIX: Partial<Record<StageId, MatrixName>> = {
  scores: 'scores',
  scale: 'scaled',
  mask: 'masked',
  softmax: 'weights',
  hard: 'hardWeights',
};

/** A heatmap cell (query i, key j) was picked at `stage`: the stage to show and the table cell to focus. */
export function heatmapPick(stage: StageId, i: number, j: number): { stage: StageId; focus: Focus } {
  const at = stage in HEATMAP_MATRIX ? stage : 'softmax';
  return { stage: at, focus: { matrix: HEATMAP_MATRIX[at] ?? 'weights', i, j } };
}

/**
 * Which matrices each stage of the attention calculator shows, with their captions and labels, the
 * heatmap of a stage, and the spoken label of a table cell. DOM-free.
 */
import type { Matrix } from '../../../src/lib/matrix';
import { num } from './formula-text';
import { tokenLabel } from './input';
import type { HeatmapSpec } from './heatmap';
import { usesScale, type CalcResult, type HeadResult, type StageId } from './model';

/** The matrices the view can show. */
export type MatrixName =
  | 'x'
  | 'q'
  | 'k'
  | 'v'
  | 'scores'
  | 'scaled'
  | 'masked'
  | 'weights'
  | 'sum'
  | 'hardWeights'
  | 'hardOutput'
  | 'concat'
  | 'output';

/** One matrix of a stage, with its labels. */
export interface MatrixSpec {
  name: MatrixName;
  /** Short symbol, e.g. "A". */
  symbol: string;
  /** Caption, e.g. "Softmax weights A (rows: queries, columns: keys)". */
  caption: string;
  values: Matrix;
  /** Row labels (token labels). */
  rows: string[];
  /** Column labels: token labels for (T, T) matrices, column numbers otherwise. */
  cols: string[];
  /** True when columns are keys (tokens), false when they are vector components. */
  colsAreKeys: boolean;
  /** Add a row-sum column. */
  rowSums?: boolean;
  /** Cells of hidden (masked) keys, shown muted. */
  hidden?: boolean[][];
}

/** A focused cell: which matrix, row i, column j (0-based). */
export interface Focus {
  matrix: MatrixName;
  i: number;
  j: number;
}

const colHeads = (n: number): string[] => Array.from({ length: n }, (_, c) => String(c + 1));

/** Column labels of a (T, P) projection: per-head numbering when there are several heads. */
function projectionCols(p: number, heads: number): string[] {
  if (heads === 1) return colHeads(p);
  const w = p / heads;
  return Array.from({ length: p }, (_, c) => `h${Math.floor(c / w) + 1}·${(c % w) + 1}`);
}

/** The (T, T) matrix a stage's heatmap shows for one head, whether it holds probabilities, and hidden keys. */
export function heatmapMatrix(
  head: HeadResult,
  stage: StageId,
): { values: Matrix; probabilities: boolean; hidden: boolean[][] | null } {
  const hidden = head.masked.map((row) => row.map((x) => x === -Infinity));
  switch (stage) {
    case 'scores':
      return { values: head.scores, probabilities: false, hidden: null };
    case 'scale':
      return { values: head.scaled, probabilities: false, hidden: null };
    case 'mask':
      return { values: head.masked, probabilities: false, hidden };
    case 'hard':
      return { values: head.hardWeights ?? head.weights, probabilities: true, hidden };
    default:
      return { values: head.weights, probabilities: true, hidden };
  }
}

/** The matrices a stage shows (per-head stages use head `h`). */
export function stageMatrices(r: CalcResult, stage: StageId, h: number): MatrixSpec[] {
  const c = r.config;
  const toks = c.tokens.map(tokenLabel);
  const head = r.heads[Math.min(h, r.heads.length - 1)];
  const multi = c.heads > 1;
  const of = multi ? ` of head ${h + 1}` : '';
  const hidden = head.masked.map((row) => row.map((x) => x === -Infinity));
  const tt = (
    name: MatrixName,
    symbol: string,
    caption: string,
    values: Matrix,
    rowSums = false,
  ): MatrixSpec => ({
    name,
    symbol,
    caption: `${caption}${of} (rows: queries, columns: keys)`,
    values,
    rows: toks,
    cols: toks,
    colsAreKeys: true,
    rowSums,
    hidden: name === 'scores' || name === 'scaled' ? undefined : hidden,
  });
  const td = (
    name: MatrixName,
    symbol: string,
    caption: string,
    values: Matrix,
    cols: string[],
  ): MatrixSpec => ({
    name,
    symbol,
    caption,
    values,
    rows: toks,
    cols,
    colsAreKeys: false,
  });
  const p = r.q[0].length;
  switch (stage) {
    case 'embed':
      return []; // the editable grid above the stages is X itself
    case 'project':
      return (['q', 'k', 'v'] as const).map((n) =>
        td(
          n,
          n.toUpperCase(),
          `${{ q: 'Queries', k: 'Keys', v: 'Values' }[n]} ${n.toUpperCase()} = X·W_${n.toUpperCase()}`,
          r[n],
          projectionCols(p, c.heads),
        ),
      );
    case 'scores':
      return [tt('scores', 'S', 'Scores S', head.scores)];
    case 'scale':
      return [
        tt(
          'scaled',
          'S̃',
          usesScale(c) ? 'Scaled scores S̃ = S/√d_k' : 'Scores S̃ = S (no scaling)',
          head.scaled,
        ),
      ];
    case 'mask':
      return [tt('masked', 'S̃', 'Masked scores (−∞ = hidden key)', head.masked)];
    case 'softmax':
      return [tt('weights', 'A', 'Softmax weights A', head.weights, true)];
    case 'sum':
      return [td('sum', 'O', `Weighted sums O = A·V${of}`, head.output, colHeads(head.output[0].length))];
    case 'hard':
      return [
        tt('hardWeights', 'Â', 'Hard weights Â (one-hot)', head.hardWeights ?? head.weights, true),
        td(
          'hardOutput',
          'Ô',
          'Hard output Ô = Â·V',
          head.hardOutput ?? head.output,
          colHeads(head.output[0].length),
        ),
      ];
    case 'concat':
      return [
        td('concat', 'C', 'Concatenated heads C', r.concat ?? r.output, projectionCols(c.dModel, c.heads)),
      ];
    case 'out':
      return [td('output', 'Y', 'Output Y = C·W_O', r.output, colHeads(r.output[0].length))];
  }
}

/** An aria-label for a table cell, e.g. "A, query “apples” (3), key “I” (1): 0.362". */
export function cellLabel(spec: MatrixSpec, i: number, j: number): string {
  const x = spec.values[i][j];
  const row = `${spec.colsAreKeys ? 'query' : 'token'} “${spec.rows[i]}” (${i + 1})`;
  const col = spec.colsAreKeys ? `key “${spec.cols[j]}” (${j + 1})` : `column ${spec.cols[j]}`;
  return `${spec.symbol}, ${row}, ${col}: ${num(x, spec.rowSums ? 4 : 3)}`;
}

/** The (T, T) matrices, which a heatmap also shows (with a ring on the focused cell). */
export const TT_MATRICES: readonly MatrixName[] = ['scores', 'scaled', 'masked', 'weights', 'hardWeights'];

/** Stages whose own matrix the heatmaps show; other stages show the softmax weights. */
const HEATMAP_STAGES: Partial<Record<StageId, string>> = {
  scores: 'Scores',
  scale: 'Scaled scores',
  mask: 'Masked scores',
  softmax: 'Softmax weights',
  hard: 'Hard weights',
};

/** One heatmap per head for a stage, and whether they show probabilities (else signed scores). */
export function heatmapSpecs(
  r: CalcResult,
  stage: StageId,
  head: number,
  focus: Focus,
): { specs: HeatmapSpec[]; probabilities: boolean } {
  const c = r.config;
  const labels = c.tokens.map(tokenLabel);
  const onStage = stage in HEATMAP_STAGES;
  const what = HEATMAP_STAGES[stage] ?? 'Softmax weights';
  const showRing = TT_MATRICES.includes(focus.matrix);
  const specs = r.heads.map((h, k) => {
    const m = heatmapMatrix(h, onStage ? stage : 'softmax');
    const of = c.heads > 1 ? ` of head ${k + 1}` : '';
    return {
      caption: `${what}${of}`,
      label: `Heatmap of the ${what.toLowerCase()}${of}: rows are queries, columns are keys (${labels.join(', ')}); ${m.probabilities ? 'stronger colour means more weight' : 'stronger colour means a larger score, purple positive and orange negative'}. The numbers are in the table.`,
      values: m.values,
      rows: labels,
      cols: labels,
      probabilities: m.probabilities,
      hidden: m.hidden,
      focus: showRing && k === head ? { i: focus.i, j: focus.j } : null,
      selected: c.heads > 1 && k === head,
    };
  });
  return { specs, probabilities: !onStage || stage === 'softmax' || stage === 'hard' };
}

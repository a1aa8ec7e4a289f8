/**
 * DOM-free text of the attention calculator: which matrices each stage shows, the stage formula, and the
 * formula of the focused cell with its actual numbers substituted. Each formula comes as KaTeX source
 * (`tex`, built only from numbers and fixed symbols, never from user text) and as plain text (`text`).
 */
import type { Matrix } from '../../../src/lib/matrix';
import { tokenLabel, usesScale, type CalcResult, type HeadResult, type StageId } from './model';

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

/** A formula as KaTeX source and as plain text. */
export interface Formula {
  tex: string;
  text: string;
}

/** A focused cell: which matrix, row i, column j (0-based). */
export interface Focus {
  matrix: MatrixName;
  i: number;
  j: number;
}

/** Format a number for display: 3 decimals, −∞ for masked scores, no "-0.000". */
export function fmt(x: number, digits = 3): string {
  if (x === -Infinity) return '−∞';
  if (x === Infinity) return '∞';
  if (Number.isNaN(x)) return 'NaN';
  const s = x.toFixed(digits);
  return /^-0\.?0*$/.test(s) ? s.slice(1) : s.replace('-', '−');
}

/** A number as KaTeX source; negatives in parentheses when `paren`. */
function tx(x: number, paren = false, digits = 3): string {
  if (x === -Infinity) return '-\\infty';
  if (x === Infinity) return '\\infty';
  const s = fmt(x, digits).replace('−', '-');
  return paren && s.startsWith('-') ? `(${s})` : s;
}

/** A number as plain text; negatives in parentheses when `paren`. */
function pt(x: number, paren = false, digits = 3): string {
  const s = fmt(x, digits);
  return paren && s.startsWith('−') && x !== -Infinity ? `(${s})` : s;
}

/** Keep at most 4 terms: the first 3, an ellipsis, the last. */
function elide<T>(terms: T[]): (T | null)[] {
  return terms.length <= 4 ? terms : [...terms.slice(0, 3), null, terms[terms.length - 1]];
}

/** Σ a_m·b_m written out (elided) in both forms. */
function productSum(a: readonly number[], b: readonly number[]): Formula {
  const pairs = elide(a.map((x, m) => [x, b[m]] as const));
  // a negative first factor after a "+" goes in parentheses ("+ (−0.684)·…", never "+ −0.684")
  const tex = pairs
    .map((p, k) => (p ? `${tx(p[0], k > 0)} \\cdot ${tx(p[1], true)}` : '\\cdots'))
    .join(' + ');
  const text = pairs.map((p, k) => (p ? `${pt(p[0], k > 0)}·${pt(p[1], true)}` : '…')).join(' + ');
  return { tex, text };
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

/** The general formula of a stage, with the configuration's sizes substituted. */
export function stageFormula(r: CalcResult, stage: StageId): Formula {
  const c = r.config;
  const t = c.tokens.length;
  const p = r.q[0].length;
  const dk = r.heads[0].dk;
  switch (stage) {
    case 'embed':
      return {
        tex: `X = \\begin{bmatrix} x_1 \\\\ \\vdots \\\\ x_{${t}} \\end{bmatrix} \\in \\mathbb{R}^{T \\times d_{\\text{model}}} = \\mathbb{R}^{${t} \\times ${c.dModel}}`,
        text: `X = [x_1; …; x_${t}], a ${t} × ${c.dModel} matrix (T × d_model)`,
      };
    case 'project':
      return {
        tex: `Q = XW_Q,\\quad K = XW_K,\\quad V = XW_V,\\qquad W_Q, W_K, W_V \\in \\mathbb{R}^{${c.dModel} \\times ${p}}${c.heads > 1 ? `,\\ \\text{head } h \\text{ uses } ${dk} \\text{ columns}` : ''}`,
        text: `Q = X·W_Q, K = X·W_K, V = X·W_V with W_Q, W_K, W_V of size ${c.dModel} × ${p}${c.heads > 1 ? `; each head uses ${dk} columns` : ''}`,
      };
    case 'scores':
      if (c.heads === 1 && c.variant === 'additive') {
        return {
          tex: 's_{ij} = v_a^{\\top} \\tanh\\left(q_i W_1 + k_j W_2\\right)',
          text: 's[i,j] = v_a · tanh(q_i·W_1 + k_j·W_2)',
        };
      }
      if (c.heads === 1 && c.variant === 'multiplicative' && c.luong === 'general') {
        return {
          tex: 'S = (QW_a)K^{\\top},\\qquad s_{ij} = (q_i W_a) \\cdot k_j',
          text: 'S = (Q·W_a)·Kᵀ, s[i,j] = (q_i·W_a)·k_j',
        };
      }
      return { tex: 'S = QK^{\\top},\\qquad s_{ij} = q_i \\cdot k_j', text: 'S = Q·Kᵀ, s[i,j] = q_i · k_j' };
    case 'scale':
      return usesScale(c)
        ? {
            tex: `\\tilde{S} = \\frac{S}{\\sqrt{d_k}} = \\frac{S}{\\sqrt{${dk}}} = ${tx(1 / Math.sqrt(dk))}\\,S`,
            text: `S̃ = S / √d_k = S / √${dk} = ${pt(1 / Math.sqrt(dk))} · S`,
          }
        : {
            tex: '\\tilde{S} = S \\quad (\\text{no scaling: scale} = 1)',
            text: 'S̃ = S (no scaling: scale = 1)',
          };
    case 'mask': {
      const local = c.variant === 'local';
      if (!c.causal && !local) {
        return {
          tex: '\\tilde{s}_{ij}\\ \\text{unchanged: every query sees every key}',
          text: 'No mask: every query sees every key',
        };
      }
      const cond = [c.causal ? 'j > i' : '', local ? `|i - j| > ${c.window}` : ''].filter(Boolean);
      return {
        tex: `\\tilde{s}_{ij} \\leftarrow -\\infty \\quad \\text{where } ${cond.join(' \\text{ or } ')}`,
        text: `s̃[i,j] becomes −∞ where ${cond.join(' or ')}`,
      };
    }
    case 'softmax':
      return {
        tex: 'a_{ij} = \\frac{e^{\\tilde{s}_{ij}}}{\\sum_{m} e^{\\tilde{s}_{im}}},\\qquad \\sum_j a_{ij} = 1',
        text: 'a[i,j] = exp(s̃[i,j]) / Σ_m exp(s̃[i,m]); every row sums to 1',
      };
    case 'sum':
      return { tex: 'o_i = \\sum_j a_{ij}\\, v_j,\\qquad O = AV', text: 'o_i = Σ_j a[i,j]·v_j, O = A·V' };
    case 'hard':
      return {
        tex: '\\hat{a}_{ij} = \\begin{cases} 1 & j = \\arg\\max_m \\tilde{s}_{im} \\\\ 0 & \\text{otherwise} \\end{cases},\\qquad \\hat{o}_i = v_{\\arg\\max_m \\tilde{s}_{im}}',
        text: 'â[i,j] = 1 for the best-scoring key, 0 otherwise; ô_i = the value of that key',
      };
    case 'concat':
      return {
        tex: `C = \\operatorname{Concat}(\\text{head}_1, \\dots, \\text{head}_{${c.heads}}) \\in \\mathbb{R}^{${t} \\times ${c.dModel}}`,
        text: `C = Concat(head_1, …, head_${c.heads}), a ${t} × ${c.dModel} matrix`,
      };
    case 'out':
      return {
        tex: `Y = C\\,W_O,\\qquad W_O \\in \\mathbb{R}^{${c.dModel} \\times ${c.dModel}}`,
        text: `Y = C·W_O with W_O of size ${c.dModel} × ${c.dModel}`,
      };
  }
}

/** The focused cell's formula with its numbers, plus a sentence in words (may contain user text: insert as text). */
export function cellFormula(r: CalcResult, h: number, f: Focus): Formula & { words: string } {
  const c = r.config;
  const head = r.heads[Math.min(h, r.heads.length - 1)];
  const tok = (i: number) => `“${tokenLabel(c.tokens[i])}”`;
  const { i, j } = f;
  const I = i + 1;
  const J = j + 1;
  const sub = `${I},${J}`;
  switch (f.matrix) {
    case 'x':
      return {
        tex: `x_{${sub}} = ${tx(r.x[i][j])}`,
        text: `x[${sub}] = ${pt(r.x[i][j])}`,
        words: `Embedding of ${tok(i)}, dimension ${J}: ${fmt(r.x[i][j])}.`,
      };
    case 'q':
    case 'k':
    case 'v': {
      const w = { q: r.params.wq, k: r.params.wk, v: r.params.wv }[f.matrix];
      const W = f.matrix.toUpperCase();
      const s = productSum(
        r.x[i],
        w.map((row) => row[j]),
      );
      const val = r[f.matrix][i][j];
      return {
        tex: `${f.matrix}_{${sub}} = \\sum_{m=1}^{${r.x[0].length}} x_{${I},m}\\,(W_${W})_{m,${J}} = ${s.tex} = ${tx(val)}`,
        text: `${f.matrix}[${sub}] = Σ_m x[${I},m]·W_${W}[m,${J}] = ${s.text} = ${pt(val)}`,
        words: `${{ q: 'Query', k: 'Key', v: 'Value' }[f.matrix]} of ${tok(i)}, component ${J}: ${fmt(val)}.`,
      };
    }
    case 'scores': {
      const val = head.scores[i][j];
      const words = `Score of query ${tok(i)} against key ${tok(j)}: ${fmt(val)}.`;
      if (head.hidden && r.params.additive) {
        const s = productSum(r.params.additive.va, head.hidden[i][j]);
        return {
          tex: `s_{${sub}} = \\sum_{m} (v_a)_m \\tanh(q_{${I}} W_1 + k_{${J}} W_2)_m = ${s.tex} = ${tx(val)}`,
          text: `s[${sub}] = Σ_m v_a[m]·tanh(q_${I}·W_1 + k_${J}·W_2)[m] = ${s.text} = ${pt(val)}`,
          words,
        };
      }
      const qi =
        head.transformedQ && c.heads === 1 && c.variant === 'multiplicative'
          ? head.transformedQ[i]
          : head.q[i];
      const general =
        head.transformedQ !== undefined && c.luong === 'general' && c.variant === 'multiplicative';
      const s = productSum(qi, head.k[j]);
      return {
        tex: `s_{${sub}} = ${general ? `(q_{${I}} W_a)` : `q_{${I}}`} \\cdot k_{${J}} = ${s.tex} = ${tx(val)}`,
        text: `s[${sub}] = ${general ? `(q_${I}·W_a)` : `q_${I}`} · k_${J} = ${s.text} = ${pt(val)}`,
        words,
      };
    }
    case 'scaled': {
      const s = head.scores[i][j];
      const val = head.scaled[i][j];
      const words = `Scaled score of query ${tok(i)} against key ${tok(j)}: ${fmt(val)}.`;
      if (head.scale === 1) {
        return {
          tex: `\\tilde{s}_{${sub}} = s_{${sub}} = ${tx(val)}`,
          text: `s̃[${sub}] = s[${sub}] = ${pt(val)}`,
          words,
        };
      }
      const root = Math.round(1 / (head.scale * head.scale));
      const exact = Math.abs(1 / Math.sqrt(root) - head.scale) < 1e-12;
      return exact
        ? {
            tex: `\\tilde{s}_{${sub}} = \\frac{s_{${sub}}}{\\sqrt{${root}}} = \\frac{${tx(s)}}{${tx(Math.sqrt(root))}} = ${tx(val)}`,
            text: `s̃[${sub}] = s[${sub}] / √${root} = ${pt(s)} / ${pt(Math.sqrt(root))} = ${pt(val)}`,
            words,
          }
        : {
            tex: `\\tilde{s}_{${sub}} = ${tx(head.scale)} \\cdot ${tx(s, true)} = ${tx(val)}`,
            text: `s̃[${sub}] = ${pt(head.scale)} · ${pt(s, true)} = ${pt(val)}`,
            words,
          };
    }
    case 'masked': {
      const val = head.masked[i][j];
      if (val === -Infinity) {
        const why =
          c.causal && j > i
            ? `key ${J} comes after query ${I}`
            : `key ${J} is more than ${c.window} position${c.window === 1 ? '' : 's'} from query ${I}`;
        return {
          tex: `\\tilde{s}_{${sub}} = -\\infty \\quad (\\text{${why}})`,
          text: `s̃[${sub}] = −∞ (${why})`,
          words: `Query ${tok(i)} may not see key ${tok(j)}: ${why}, so its score becomes −∞.`,
        };
      }
      return {
        tex: `\\tilde{s}_{${sub}} = ${tx(val)} \\quad (\\text{visible})`,
        text: `s̃[${sub}] = ${pt(val)} (visible)`,
        words: `Query ${tok(i)} may see key ${tok(j)}: its score stays ${fmt(val)}.`,
      };
    }
    case 'weights':
    case 'hardWeights': {
      const row = head.masked[i];
      if (f.matrix === 'hardWeights') {
        const best = head.argmax?.[i] ?? -1;
        const val = head.hardWeights?.[i][j] ?? 0;
        return {
          tex: `\\hat{a}_{${sub}} = ${val} \\quad (\\arg\\max_m \\tilde{s}_{${I},m} = ${best + 1})`,
          text: `â[${sub}] = ${val} (the best-scoring key for query ${I} is key ${best + 1})`,
          words: `Hard attention: query ${tok(i)} copies only the value of its best-scoring key ${tok(best)}.`,
        };
      }
      const val = head.weights[i][j];
      if (row[j] === -Infinity) {
        return {
          tex: `a_{${sub}} = \\frac{e^{-\\infty}}{\\sum_m e^{\\tilde{s}_{${I},m}}} = 0`,
          text: `a[${sub}] = exp(−∞) / Σ_m exp(s̃[${I},m]) = 0`,
          words: `Query ${tok(i)} gives key ${tok(j)} weight 0: that key is masked.`,
        };
      }
      const visible = row.map((x, m) => [x, m] as const).filter(([x]) => x !== -Infinity);
      const max = Math.max(...visible.map(([x]) => x));
      const shift = max > 30 ? max : 0; // show e^{s − max} when plain exponents would overflow
      const e = (x: number) => Math.exp(x - shift);
      const texExp = (x: number) => (shift ? `e^{${tx(x)} - ${tx(shift)}}` : `e^{${tx(x)}}`);
      const txtExp = (x: number) => (shift ? `exp(${pt(x)} − ${pt(shift)})` : `exp(${pt(x)})`);
      const terms = elide(visible.map(([x]) => x));
      const denom = visible.reduce((s, [x]) => s + e(x), 0);
      const masked = row.length - visible.length;
      return {
        tex: `a_{${sub}} = \\frac{e^{\\tilde{s}_{${sub}}}}{\\sum_m e^{\\tilde{s}_{${I},m}}} = \\frac{${texExp(row[j])}}{${terms
          .map((x) => (x === null ? '\\cdots' : texExp(x)))
          .join(' + ')}} = \\frac{${tx(e(row[j]), false, 4)}}{${tx(denom, false, 4)}} = ${tx(val, false, 4)}`,
        text: `a[${sub}] = ${txtExp(row[j])} / (${terms
          .map((x) => (x === null ? '…' : txtExp(x)))
          .join(' + ')}) = ${pt(e(row[j]), false, 4)} / ${pt(denom, false, 4)} = ${pt(val, false, 4)}`,
        words: `Query ${tok(i)} gives key ${tok(j)} weight ${fmt(val, 4)} of its attention${masked ? ` (${masked} masked key${masked === 1 ? '' : 's'} get 0)` : ''}.`,
      };
    }
    case 'sum': {
      const s = productSum(
        head.weights[i],
        head.v.map((row) => row[j]),
      );
      const val = head.output[i][j];
      return {
        tex: `o_{${sub}} = \\sum_m a_{${I},m}\\, v_{m,${J}} = ${s.tex} = ${tx(val)}`,
        text: `o[${sub}] = Σ_m a[${I},m]·v[m,${J}] = ${s.text} = ${pt(val)}`,
        words: `Output of ${tok(i)}, component ${J}: the values mixed with ${tok(i)}’s weights give ${fmt(val)}.`,
      };
    }
    case 'hardOutput': {
      const best = head.argmax?.[i] ?? 0;
      const val = head.hardOutput?.[i][j] ?? 0;
      return {
        tex: `\\hat{o}_{${sub}} = v_{${best + 1},${J}} = ${tx(val)} \\quad (\\text{soft: } o_{${sub}} = ${tx(head.output[i][j])})`,
        text: `ô[${sub}] = v[${best + 1},${J}] = ${pt(val)} (soft: o[${sub}] = ${pt(head.output[i][j])})`,
        words: `Hard output of ${tok(i)}, component ${J}: copied from ${tok(best)}, ${fmt(val)}; soft attention gives ${fmt(head.output[i][j])}.`,
      };
    }
    case 'concat': {
      const w = r.heads[0].dk;
      const hh = Math.floor(j / w);
      const cc = (j % w) + 1;
      const val = (r.concat ?? r.output)[i][j];
      return {
        tex: `C_{${sub}} = (o^{(${hh + 1})})_{${I},${cc}} = ${tx(val)}`,
        text: `C[${sub}] = head ${hh + 1} output[${I},${cc}] = ${pt(val)}`,
        words: `Column ${J} of the concatenation is column ${cc} of head ${hh + 1}’s output for ${tok(i)}: ${fmt(val)}.`,
      };
    }
    case 'output': {
      const cm = r.concat ?? r.output;
      const wo = r.params.wo ?? [];
      const s = productSum(
        cm[i],
        wo.map((row) => row[j]),
      );
      const val = r.output[i][j];
      return {
        tex: `y_{${sub}} = \\sum_m C_{${I},m}\\,(W_O)_{m,${J}} = ${s.tex} = ${tx(val)}`,
        text: `y[${sub}] = Σ_m C[${I},m]·W_O[m,${J}] = ${s.text} = ${pt(val)}`,
        words: `Final output of ${tok(i)}, component ${J}: ${fmt(val)}.`,
      };
    }
  }
}

/** An aria-label for a table cell, e.g. "A, query “apples” (3), key “I” (1): 0.362". */
export function cellLabel(spec: MatrixSpec, i: number, j: number): string {
  const x = spec.values[i][j];
  const row = `${spec.colsAreKeys ? 'query' : 'token'} “${spec.rows[i]}” (${i + 1})`;
  const col = spec.colsAreKeys ? `key “${spec.cols[j]}” (${j + 1})` : `column ${spec.cols[j]}`;
  return `${spec.symbol}, ${row}, ${col}: ${fmt(x, spec.rowSums ? 4 : 3)}`;
}

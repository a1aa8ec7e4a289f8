/**
 * The formula of the attention calculator's focused cell with its actual numbers substituted, plus a
 * sentence in words: one small builder per matrix. DOM-free; the words may contain user text (tokens),
 * so the view inserts them as text; the KaTeX source holds only numbers and fixed symbols.
 */
import { elide, num, productSum, pt, tx, type Formula } from './formula-text';
import { tokenLabel } from './input';
import type { Focus, MatrixName } from './matrices';
import type { CalcConfig, CalcResult, HeadResult } from './model';

/** A cell's formula and its sentence in words. */
export type CellFormula = Formula & { words: string };

/** What a cell formula is built from. */
interface CellInput {
  r: CalcResult;
  c: CalcConfig;
  /** The head shown. */
  head: HeadResult;
  f: Focus;
  /** Row and column, 0-based … */
  i: number;
  j: number;
  /** … and 1-based, as the formulas write them. */
  I: number;
  J: number;
  /** "I,J", the subscript. */
  sub: string;
  /** A token in quotes, by position. */
  tok: (i: number) => string;
}
type CellBuilder = (x: CellInput) => CellFormula;

/** A hard weight: 1 for the best-scoring key, else 0. */
const hardWeight: CellBuilder = ({ head, i, j, I, sub, tok }) => {
  const best = head.argmax?.[i] ?? -1;
  const val = head.hardWeights?.[i][j] ?? 0;
  return {
    tex: `\\hat{a}_{${sub}} = ${val} \\quad (\\arg\\max_m \\tilde{s}_{${I},m} = ${best + 1})`,
    text: `â[${sub}] = ${val} (the best-scoring key for query ${I} is key ${best + 1})`,
    words: `Hard attention: query ${tok(i)} copies only the value of its best-scoring key ${tok(best)}.`,
  };
};

/** A softmax weight: e^s over the row's sum of e^s, with the numbers (shifted when they would overflow). */
const softWeight: CellBuilder = ({ head, i, j, I, sub, tok }) => {
  const row = head.masked[i];
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
    words: `Query ${tok(i)} gives key ${tok(j)} weight ${num(val, 4)} of its attention${masked ? ` (${masked} masked key${masked === 1 ? '' : 's'} get 0)` : ''}.`,
  };
};

/** A query, key or value entry: the row of X times a column of W. */
const projection: CellBuilder = ({ r, f, i, j, I, J, sub, tok }) => {
  const m = f.matrix as 'q' | 'k' | 'v';
  const w = { q: r.params.wq, k: r.params.wk, v: r.params.wv }[m];
  const W = m.toUpperCase();
  const s = productSum(
    r.x[i],
    w.map((row) => row[j]),
  );
  const val = r[m][i][j];
  return {
    tex: `${m}_{${sub}} = \\sum_{m=1}^{${r.x[0].length}} x_{${I},m}\\,(W_${W})_{m,${J}} = ${s.tex} = ${tx(val)}`,
    text: `${m}[${sub}] = Σ_m x[${I},m]·W_${W}[m,${J}] = ${s.text} = ${pt(val)}`,
    words: `${{ q: 'Query', k: 'Key', v: 'Value' }[m]} of ${tok(i)}, component ${J}: ${num(val)}.`,
  };
};

/** One builder per matrix. */
const CELL_FORMULAS: Record<MatrixName, CellBuilder> = {
  x: ({ r, i, j, J, sub, tok }) => ({
    tex: `x_{${sub}} = ${tx(r.x[i][j])}`,
    text: `x[${sub}] = ${pt(r.x[i][j])}`,
    words: `Embedding of ${tok(i)}, dimension ${J}: ${num(r.x[i][j])}.`,
  }),
  q: projection,
  k: projection,
  v: projection,
  scores: ({ r, c, head, i, j, I, J, sub, tok }) => {
    const val = head.scores[i][j];
    const words = `Score of query ${tok(i)} against key ${tok(j)}: ${num(val)}.`;
    if (head.hidden && r.params.additive) {
      const s = productSum(r.params.additive.va, head.hidden[i][j]);
      return {
        tex: `s_{${sub}} = \\sum_{m} (v_a)_m \\tanh(q_{${I}} W_1 + k_{${J}} W_2)_m = ${s.tex} = ${tx(val)}`,
        text: `s[${sub}] = Σ_m v_a[m]·tanh(q_${I}·W_1 + k_${J}·W_2)[m] = ${s.text} = ${pt(val)}`,
        words,
      };
    }
    const qi =
      head.transformedQ && c.heads === 1 && c.variant === 'multiplicative' ? head.transformedQ[i] : head.q[i];
    const general =
      head.transformedQ !== undefined && c.luong === 'general' && c.variant === 'multiplicative';
    const s = productSum(qi, head.k[j]);
    return {
      tex: `s_{${sub}} = ${general ? `(q_{${I}} W_a)` : `q_{${I}}`} \\cdot k_{${J}} = ${s.tex} = ${tx(val)}`,
      text: `s[${sub}] = ${general ? `(q_${I}·W_a)` : `q_${I}`} · k_${J} = ${s.text} = ${pt(val)}`,
      words,
    };
  },
  scaled: ({ head, i, j, sub, tok }) => {
    const s = head.scores[i][j];
    const val = head.scaled[i][j];
    const words = `Scaled score of query ${tok(i)} against key ${tok(j)}: ${num(val)}.`;
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
  },
  masked: ({ c, head, i, j, I, J, sub, tok }) => {
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
      words: `Query ${tok(i)} may see key ${tok(j)}: its score stays ${num(val)}.`,
    };
  },
  weights: softWeight,
  hardWeights: hardWeight,
  sum: ({ head, i, j, I, J, sub, tok }) => {
    const s = productSum(
      head.weights[i],
      head.v.map((row) => row[j]),
    );
    const val = head.output[i][j];
    return {
      tex: `o_{${sub}} = \\sum_m a_{${I},m}\\, v_{m,${J}} = ${s.tex} = ${tx(val)}`,
      text: `o[${sub}] = Σ_m a[${I},m]·v[m,${J}] = ${s.text} = ${pt(val)}`,
      words: `Output of ${tok(i)}, component ${J}: the values mixed with ${tok(i)}’s weights give ${num(val)}.`,
    };
  },
  hardOutput: ({ head, i, j, J, sub, tok }) => {
    const best = head.argmax?.[i] ?? 0;
    const val = head.hardOutput?.[i][j] ?? 0;
    return {
      tex: `\\hat{o}_{${sub}} = v_{${best + 1},${J}} = ${tx(val)} \\quad (\\text{soft: } o_{${sub}} = ${tx(head.output[i][j])})`,
      text: `ô[${sub}] = v[${best + 1},${J}] = ${pt(val)} (soft: o[${sub}] = ${pt(head.output[i][j])})`,
      words: `Hard output of ${tok(i)}, component ${J}: copied from ${tok(best)}, ${num(val)}; soft attention gives ${num(head.output[i][j])}.`,
    };
  },
  concat: ({ r, i, j, I, J, sub, tok }) => {
    const w = r.heads[0].dk;
    const hh = Math.floor(j / w);
    const cc = (j % w) + 1;
    const val = (r.concat ?? r.output)[i][j];
    return {
      tex: `C_{${sub}} = (o^{(${hh + 1})})_{${I},${cc}} = ${tx(val)}`,
      text: `C[${sub}] = head ${hh + 1} output[${I},${cc}] = ${pt(val)}`,
      words: `Column ${J} of the concatenation is column ${cc} of head ${hh + 1}’s output for ${tok(i)}: ${num(val)}.`,
    };
  },
  output: ({ r, i, j, I, J, sub, tok }) => {
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
      words: `Final output of ${tok(i)}, component ${J}: ${num(val)}.`,
    };
  },
};

/** The focused cell's formula with its numbers, plus a sentence in words (may contain user text: insert as text). */
export function cellFormula(r: CalcResult, h: number, f: Focus): CellFormula {
  const c = r.config;
  const { i, j } = f;
  return CELL_FORMULAS[f.matrix]({
    r,
    c,
    head: r.heads[Math.min(h, r.heads.length - 1)],
    f,
    i,
    j,
    I: i + 1,
    J: j + 1,
    sub: `${i + 1},${j + 1}`,
    tok: (k) => `“${tokenLabel(c.tokens[k])}”`,
  });
}

/**
 * The general formula of each stage of the attention calculator, with the configuration's sizes
 * substituted: one small builder per stage. DOM-free; KaTeX source holds only numbers and fixed symbols.
 */
import { pt, tx, type Formula } from './formula-text';
import { usesScale, type CalcConfig, type CalcResult, type StageId } from './model';

/** What a stage formula is built from: the result, its configuration and sizes. */
interface StageInput {
  r: CalcResult;
  c: CalcConfig;
  /** Tokens T. */
  t: number;
  /** Width of the projections Q, K, V. */
  p: number;
  /** Query/key width of one head. */
  dk: number;
}

/** One builder per stage. */
const STAGE_FORMULAS: Record<StageId, (s: StageInput) => Formula> = {
  embed: ({ c, t }) => ({
    tex: `X = \\begin{bmatrix} x_1 \\\\ \\vdots \\\\ x_{${t}} \\end{bmatrix} \\in \\mathbb{R}^{T \\times d_{\\text{model}}} = \\mathbb{R}^{${t} \\times ${c.dModel}}`,
    text: `X = [x_1; …; x_${t}], a ${t} × ${c.dModel} matrix (T × d_model)`,
  }),
  project: ({ c, p, dk }) => ({
    tex: `Q = XW_Q,\\quad K = XW_K,\\quad V = XW_V,\\qquad W_Q, W_K, W_V \\in \\mathbb{R}^{${c.dModel} \\times ${p}}${c.heads > 1 ? `,\\ \\text{head } h \\text{ uses } ${dk} \\text{ columns}` : ''}`,
    text: `Q = X·W_Q, K = X·W_K, V = X·W_V with W_Q, W_K, W_V of size ${c.dModel} × ${p}${c.heads > 1 ? `; each head uses ${dk} columns` : ''}`,
  }),
  scores: ({ c }) => {
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
  },
  scale: ({ c, dk }) => {
    return usesScale(c)
      ? {
          tex: `\\tilde{S} = \\frac{S}{\\sqrt{d_k}} = \\frac{S}{\\sqrt{${dk}}} = ${tx(1 / Math.sqrt(dk))}\\,S`,
          text: `S̃ = S / √d_k = S / √${dk} = ${pt(1 / Math.sqrt(dk))} · S`,
        }
      : {
          tex: '\\tilde{S} = S \\quad (\\text{no scaling: scale} = 1)',
          text: 'S̃ = S (no scaling: scale = 1)',
        };
  },
  mask: ({ c }) => {
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
  },
  softmax: () => ({
    tex: 'a_{ij} = \\frac{e^{\\tilde{s}_{ij}}}{\\sum_{m} e^{\\tilde{s}_{im}}},\\qquad \\sum_j a_{ij} = 1',
    text: 'a[i,j] = exp(s̃[i,j]) / Σ_m exp(s̃[i,m]); every row sums to 1',
  }),
  sum: () => ({ tex: 'o_i = \\sum_j a_{ij}\\, v_j,\\qquad O = AV', text: 'o_i = Σ_j a[i,j]·v_j, O = A·V' }),
  hard: () => ({
    tex: '\\hat{a}_{ij} = \\begin{cases} 1 & j = \\arg\\max_m \\tilde{s}_{im} \\\\ 0 & \\text{otherwise} \\end{cases},\\qquad \\hat{o}_i = v_{\\arg\\max_m \\tilde{s}_{im}}',
    text: 'â[i,j] = 1 for the best-scoring key, 0 otherwise; ô_i = the value of that key',
  }),
  concat: ({ c, t }) => ({
    tex: `C = \\operatorname{Concat}(\\text{head}_1, \\dots, \\text{head}_{${c.heads}}) \\in \\mathbb{R}^{${t} \\times ${c.dModel}}`,
    text: `C = Concat(head_1, …, head_${c.heads}), a ${t} × ${c.dModel} matrix`,
  }),
  out: ({ c }) => ({
    tex: `Y = C\\,W_O,\\qquad W_O \\in \\mathbb{R}^{${c.dModel} \\times ${c.dModel}}`,
    text: `Y = C·W_O with W_O of size ${c.dModel} × ${c.dModel}`,
  }),
};

/** The general formula of a stage, with the configuration's sizes substituted. */
export function stageFormula(r: CalcResult, stage: StageId): Formula {
  const c = r.config;
  return STAGE_FORMULAS[stage]({ r, c, t: c.tokens.length, p: r.q[0].length, dk: r.heads[0].dk });
}

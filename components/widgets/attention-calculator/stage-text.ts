/** What each stage of the attention calculator does, in words (the formula says it in symbols). DOM-free. */
import { usesScale, type CalcConfig, type StageId } from './model';

/** What each stage does, in words (the formula says it in symbols). */
export function stageText(stage: StageId, c: CalcConfig): string {
  const one = c.heads === 1;
  switch (stage) {
    case 'embed':
      return 'Each token becomes a vector of d_model numbers. Here they come from the seed (the same word always gets the same vector); edit any of them in the grid above and watch every later stage change.';
    case 'project':
      return one
        ? 'Three matrices turn each embedding into a query (what the token looks for), a key (what it offers to be matched against) and a value (what it hands over when chosen).'
        : `The same three projections, now d_model wide: head h takes its own ${c.dModel / c.heads} columns of Q, K and V.`;
    case 'scores':
      if (one && c.variant === 'additive')
        return 'Bahdanau’s additive score feeds the query and the key through a small tanh layer and reads one number out with vₐ, instead of a dot product.';
      if (one && c.variant === 'multiplicative')
        return c.luong === 'general'
          ? 'Luong’s “general” score puts a learned matrix W_a between query and key: s = (q·W_a)·k.'
          : 'Luong’s “dot” score is the plain dot product of query and key, without any scaling.';
      return 'Every query is compared with every key by a dot product: a large score means the key matches what the query looks for.';
    case 'scale':
      return usesScale(c)
        ? 'Dividing by √d_k keeps the scores from growing with the width d_k, so the softmax does not saturate into a near one-hot choice.'
        : one && (c.variant === 'additive' || c.variant === 'multiplicative')
          ? 'This variant does not scale its scores: the scale is 1.'
          : 'Scaling is switched off: the scale is 1, so wider keys give larger, sharper scores.';
    case 'mask':
      if (c.causal || c.variant === 'local')
        return 'Hidden keys get the score −∞ before the softmax, so their weight will be exactly 0 and each row still sums to 1.';
      return 'No mask is on: every token may look at every token, as in the notes’ diagram. Switch on the causal mask to hide later tokens.';
    case 'softmax':
      return 'Softmax turns each row of scores into weights that are positive and sum to 1 (see the row sums). Focus a cell to see its formula with the numbers.';
    case 'sum':
      return 'Each output row is the weighted average of the value vectors, using that token’s row of weights.';
    case 'hard':
      return 'Hard attention keeps only the best-scoring key (weight 1, all others 0) and copies its value. It cannot be trained by gradient descent, which is why transformers use the soft weights.';
    case 'concat':
      return 'The heads’ outputs are put side by side: d_model / h columns from each head.';
    case 'out':
      return 'W_O mixes the concatenated heads back into d_model numbers per token: the output of multi-head attention.';
  }
}

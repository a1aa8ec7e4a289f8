/**
 * The training-loop stepper's three tiny models (ŷ = w·x, ŷ = w·x + b, and a 2 → 2 linear classifier):
 * forward pass, loss (mean squared error here; cross-entropy from src/lib/loss.ts), analytic gradients,
 * the optimizers of src/lib/optimizers.ts, predictions, and reading the examples a learner types.
 * DOM-free; model.ts runs them one PyTorch phase at a time.
 */
import { parseNumberRows, type NumberRule, type Parsed } from '../shared/parse';
import { crossEntropy } from '../../../src/lib/loss';
import {
  adamStep,
  adamWStep,
  createAdamState,
  createSgdState,
  sgdStep,
  type AdamState,
  type SgdState,
} from '../../../src/lib/optimizers';
import { softmax } from '../../../src/lib/softmax';

export type ModelId = 'w' | 'wb' | 'classifier';
export type OptimizerId = 'sgd' | 'momentum' | 'adam' | 'adamw';

/** One training example: features x and a target (a number, or a class index). */
export interface Example {
  x: number[];
  y: number;
}

export interface ModelSpec {
  id: ModelId;
  label: string;
  task: 'regression' | 'classification';
  /** Features per example. */
  features: number;
  /** Outputs per example: 1 prediction, or one logit per class. */
  outputs: number;
  paramNames: string[];
  /** Initial parameters, in the order of paramNames. */
  init: number[];
  defaultData: string;
  defaultLr: number;
  /** The PyTorch lines that build this model and its loss. */
  modelLine: string;
  criterionLine: string;
}

export const MODELS: Record<ModelId, ModelSpec> = {
  w: {
    id: 'w',
    label: 'ŷ = w·x: 1 weight, the chapter’s example',
    task: 'regression',
    features: 1,
    outputs: 1,
    paramNames: ['w'],
    init: [0.5],
    defaultData: '2, 3',
    defaultLr: 0.01,
    modelLine: 'model = nn.Linear(1, 1, bias=False)  # ŷ = w·x',
    criterionLine: 'criterion = nn.MSELoss()',
  },
  wb: {
    id: 'wb',
    label: 'ŷ = w·x + b: 2 weights',
    task: 'regression',
    features: 1,
    outputs: 1,
    paramNames: ['w', 'b'],
    init: [0.5, 0],
    defaultData: '1, 3\n2, 5\n3, 7',
    defaultLr: 0.05,
    modelLine: 'model = nn.Linear(1, 1)  # ŷ = w·x + b',
    criterionLine: 'criterion = nn.MSELoss()',
  },
  classifier: {
    id: 'classifier',
    label: 'Classifier, 2 inputs → 2 classes: 6 weights',
    task: 'classification',
    features: 2,
    outputs: 2,
    paramNames: ['W[0][0]', 'W[0][1]', 'W[1][0]', 'W[1][1]', 'b[0]', 'b[1]'],
    init: [0.5, -0.4, -0.2, 0.3, 0.1, -0.1],
    defaultData: '1, 2, 0\n2, 1, 0\n-1, -1, 1\n-2, 0.5, 1',
    defaultLr: 0.5,
    modelLine: 'model = nn.Linear(2, 2)  # logits = W·x + b',
    criterionLine: 'criterion = nn.CrossEntropyLoss()',
  },
};

/** Forward pass: outputs (N, K) for every example: ŷ (K = 1) or the class logits (K = 2). */
export function forward(spec: ModelSpec, params: readonly number[], data: readonly Example[]): number[][] {
  if (spec.id === 'w') return data.map((e) => [params[0] * e.x[0]]);
  if (spec.id === 'wb') return data.map((e) => [params[0] * e.x[0] + params[1]]);
  const [w00, w01, w10, w11, b0, b1] = params;
  return data.map((e) => [w00 * e.x[0] + w01 * e.x[1] + b0, w10 * e.x[0] + w11 * e.x[1] + b1]);
}

/** What the loss phase computes. */
export interface LossStages {
  /** The mean loss over the N examples. */
  loss: number;
  /** Each example's loss, (N). */
  perExample: number[];
  /** Class probabilities (classifier only), (N, 2). */
  probs: number[][] | null;
  /** ∂loss/∂outputs, (N, K): the start of the backward pass. */
  gradOutputs: number[][];
}

/** The loss of outputs (N, K) against the targets: mean squared error, or cross-entropy from src/lib. */
export function lossOf(spec: ModelSpec, outputs: number[][], data: readonly Example[]): LossStages {
  const n = data.length;
  if (spec.task === 'classification') {
    const ce = crossEntropy(
      outputs,
      data.map((e) => e.y),
    );
    return { loss: ce.loss, perExample: ce.losses, probs: ce.probs, gradOutputs: ce.gradient };
  }
  const residuals = outputs.map((o, i) => o[0] - data[i].y); // (N)
  const perExample = residuals.map((r) => r * r);
  return {
    loss: perExample.reduce((a, b) => a + b, 0) / n,
    perExample,
    probs: null,
    gradOutputs: residuals.map((r) => [(2 * r) / n]), // ∂/∂ŷ of mean (ŷ − t)²
  };
}

/** Backward pass by the chain rule: ∂loss/∂params from ∂loss/∂outputs (N, K), (P). */
export function backward(spec: ModelSpec, data: readonly Example[], gradOutputs: number[][]): number[] {
  const sum = (f: (g: number[], e: Example) => number) =>
    gradOutputs.reduce((acc, g, i) => acc + f(g, data[i]), 0);
  if (spec.id === 'w') return [sum((g, e) => g[0] * e.x[0])];
  if (spec.id === 'wb') return [sum((g, e) => g[0] * e.x[0]), sum((g) => g[0])];
  // logits[c] = Σ_i W[c][i]·x[i] + b[c]  ⇒  ∂L/∂W[c][i] = Σ_n g[n][c]·x_n[i],  ∂L/∂b[c] = Σ_n g[n][c].
  return [
    sum((g, e) => g[0] * e.x[0]),
    sum((g, e) => g[0] * e.x[1]),
    sum((g, e) => g[1] * e.x[0]),
    sum((g, e) => g[1] * e.x[1]),
    sum((g) => g[0]),
    sum((g) => g[1]),
  ];
}

/** The loss as a function of the parameters (for finite-difference checks). */
export function lossAt(spec: ModelSpec, params: readonly number[], data: readonly Example[]): number {
  return lossOf(spec, forward(spec, params, data), data).loss;
}

/** Analytic gradient of the loss at params, (P). */
export function gradientAt(spec: ModelSpec, params: readonly number[], data: readonly Example[]): number[] {
  return backward(spec, data, lossOf(spec, forward(spec, params, data), data).gradOutputs);
}

export type OptimizerState = SgdState | AdamState;

export const OPTIMIZERS: Record<OptimizerId, { label: string; line: (lr: number) => string }> = {
  sgd: { label: 'SGD', line: (lr) => `optimizer = torch.optim.SGD(model.parameters(), lr=${lr})` },
  momentum: {
    label: 'SGD with momentum 0.9',
    line: (lr) => `optimizer = torch.optim.SGD(model.parameters(), lr=${lr}, momentum=0.9)`,
  },
  adam: { label: 'Adam', line: (lr) => `optimizer = torch.optim.Adam(model.parameters(), lr=${lr})` },
  adamw: {
    label: 'AdamW (weight decay 0.01)',
    line: (lr) => `optimizer = torch.optim.AdamW(model.parameters(), lr=${lr}, weight_decay=0.01)`,
  },
};

/** A fresh optimizer state for n parameters. */
export function createOptimizerState(id: OptimizerId, n: number): OptimizerState {
  return id === 'sgd' || id === 'momentum' ? createSgdState() : createAdamState(n);
}

/** One optimizer.step() with src/lib/optimizers.ts (PyTorch defaults apart from the named settings). */
export function optimizerStep(
  id: OptimizerId,
  params: readonly number[],
  grads: readonly number[],
  state: OptimizerState,
  lr: number,
): { params: number[]; state: OptimizerState } {
  if (id === 'sgd') return sgdStep(params, grads, state as SgdState, { lr });
  if (id === 'momentum') return sgdStep(params, grads, state as SgdState, { lr, momentum: 0.9 });
  if (id === 'adam') return adamStep(params, grads, state as AdamState, { lr });
  return adamWStep(params, grads, state as AdamState, { lr, weightDecay: 0.01 });
}

/** Predicted class and class probabilities (classifier) or the prediction ŷ, per example. */
export function predictions(
  spec: ModelSpec,
  outputs: number[][],
): { value: number; probs: number[] | null }[] {
  if (spec.task === 'regression') return outputs.map((o) => ({ value: o[0], probs: null }));
  return outputs.map((o) => {
    const w = softmax(o).weights;
    return { value: w[1] > w[0] ? 1 : 0, probs: w };
  });
}

export const MAX_EXAMPLES = 8;
export const MAX_ABS_VALUE = 1000;
export const MAX_LR = 100;

/** Parse the training data: one example per line (or separated by ";"), "x, target" or "x1, x2, class". */
export function readData(spec: ModelSpec, text: string): Parsed<Example[]> {
  const rows = parseNumberRows(text.replace(/;/g, '\n'), {
    maxRows: MAX_EXAMPLES,
    columns: spec.features + 1,
    maxAbs: MAX_ABS_VALUE,
    example: spec.task === 'classification' ? '“x1, x2, class”' : '“x, target”',
    rowName: 'example',
  });
  if (!rows.ok) return rows;
  const bad = rows.value.findIndex(
    (r) => spec.task === 'classification' && r[spec.features] !== 0 && r[spec.features] !== 1,
  );
  if (bad >= 0) return { ok: false, message: `Example ${bad + 1}: the class must be 0 or 1.` };
  return { ok: true, value: rows.value.map((r) => ({ x: r.slice(0, spec.features), y: r[spec.features] })) };
}

/** The learning rate: a number in (0, MAX_LR]. */
export const LEARNING_RATE: NumberRule = { label: 'Learning rate', min: 0, max: MAX_LR, minExclusive: true };

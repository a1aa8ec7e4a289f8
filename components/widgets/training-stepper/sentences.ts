/**
 * The training stepper's sentences, without the DOM: what the phase that just ran did (with its numbers),
 * the loss line under the chart and the chart's accessible name. Unit-tested in
 * tests/unit/widgets/training-stepper-sentences.test.ts.
 */
import { READOUT, fmt } from '../shared/parse';
import { INFERENCE_FORWARD_CODE, OPTIMIZERS, type Trainer } from './model';

/** "3 outputs", "1 output". */
const plural = (n: number, one: string): string => `${n} ${one}${n === 1 ? '' : 's'}`;

/** A sentence about the phase that just ran, with its numbers ('' before the first phase). */
export function phaseSentence(t: Trainer): string {
  const names = t.spec.paramNames;
  const n = t.data.length;
  if (t.inference) {
    return `${INFERENCE_FORWARD_CODE}: ${plural(n, 'prediction')} from the current weights; nothing else runs.`;
  }
  switch (t.last) {
    case 'zero_grad':
      return 'optimizer.zero_grad(): every .grad is now None (PyTorch’s default, set_to_none=True).';
    case 'forward':
      return `outputs = model(inputs): ${plural(n, 'output')} computed from the current weights (see the examples table).`;
    case 'loss':
      return `loss = criterion(outputs, labels) = ${fmt(t.loss!.loss, READOUT)}, the mean over ${plural(n, 'example')}.`;
    case 'backward': {
      const fresh = t.freshGrad ?? [];
      const accumulated = t.grad && fresh.some((g, i) => g !== t.grad![i]);
      return (
        `loss.backward(): ` +
        names.map((p, i) => `${p}.grad = ${fmt(t.grad![i], READOUT)}`).join(', ') +
        (accumulated
          ? ` — added to the old .grad, because zero_grad was skipped (this pass alone: ${fresh.map((x) => fmt(x, READOUT)).join(', ')}).`
          : '. No weight has changed yet.')
      );
    }
    case 'step': {
      const s = t.lastStep!;
      return (
        `optimizer.step() with ${OPTIMIZERS[t.optimizer].label}, lr ${t.lr}: ` +
        names.map((p, i) => `${p} ${fmt(s.old[i], READOUT)} → ${fmt(s.updated[i], READOUT)}`).join(', ') +
        `. Step ${t.iteration} done.`
      );
    }
    default:
      return '';
  }
}

/** Whether the last step's loss is above the one before (a sign the learning rate is too high). */
export function lossRose(history: readonly number[]): boolean {
  const h = history;
  return h.length >= 2 && h[h.length - 1] > h[h.length - 2];
}

/** The line under the loss chart: the latest loss, the first, and a warning when it went up (not once diverged). */
export function lossLine(history: readonly number[], diverged: boolean): string {
  const h = history;
  if (h.length === 0) return 'No step completed yet.';
  return (
    `Loss at step ${h.length}: ${fmt(h[h.length - 1], READOUT)}` +
    (h.length > 1 ? ` (step 1: ${fmt(h[0], READOUT)}).` : '.') +
    (lossRose(h) && !diverged
      ? ` The loss went up (from ${fmt(h[h.length - 2], READOUT)}): a sign the learning rate may be too high.`
      : '')
  );
}

/** The loss chart's accessible name: how many steps, from which loss to which. */
export function lossChartLabel(history: readonly number[]): string {
  const h = history;
  return h.length === 0
    ? 'Loss per step: no step completed yet.'
    : `Loss per step for ${plural(h.length, 'step')}, from ${fmt(h[0], READOUT)} to ${fmt(h[h.length - 1], READOUT)}.`;
}

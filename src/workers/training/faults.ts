/**
 * Faults the e2e tests inject (protocol.ts `FaultKind`): a crashed worker, a lost GPU device, an IndexedDB
 * that refuses writes, and a learning rate of 1e38 that turns the loss NaN.
 */
import type { FaultKind } from '../protocol';
import { breakStorage } from './checkpoint-store';
import { loseDevice } from './device';

/** The 'nan-lr' fault: the learning rate of every later step (null: the config's). */
let learningRate: number | null = null;

/** The injected learning rate, or null. */
export function faultLearningRate(): number | null {
  return learningRate;
}

/** Forget the 'nan-lr' fault (a new run starts at the form's rate). */
export function resetFaults(): void {
  learningRate = null;
}

/** Inject one fault; `device` is the GPU device of the running engine, `stop` ends the current run. */
export function injectFault(kind: FaultKind, device: GPUDevice | undefined, stop: () => void): void {
  if (kind === 'crash') {
    setTimeout(() => {
      throw new Error('Simulated worker crash');
    });
  } else if (kind === 'idb') {
    breakStorage();
  } else if (kind === 'nan-lr') {
    learningRate = 1e38;
  } else {
    if (!device) throw new Error('no GPU device to lose on this backend.');
    stop();
    loseDevice(device);
  }
}

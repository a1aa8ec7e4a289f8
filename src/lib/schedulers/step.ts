/** StepLR: lr = baseLr · gamma^⌊epoch / stepSize⌋ (torch.optim.lr_scheduler.StepLR). */
import { checkInt, checkNumber, checkRange } from '../validate';

/** Learning rate at an epoch (>= 0) under StepLR with stepSize (>= 1) and gamma (default 0.1). */
export function stepLR(baseLr: number, epoch: number, options: { stepSize: number; gamma?: number }): number {
  const fn = 'stepLR';
  checkRange(fn, 'baseLr', baseLr, 0, Infinity, { hiOpen: true });
  checkInt(fn, 'epoch', epoch, 0);
  checkInt(fn, 'stepSize', options.stepSize, 1);
  const gamma = options.gamma ?? 0.1;
  checkNumber(fn, 'gamma', gamma);
  return baseLr * gamma ** Math.floor(epoch / options.stepSize);
}

/** StepLR learning rates for epochs 0..epochs−1, (epochs). */
export function stepLRSchedule(
  baseLr: number,
  epochs: number,
  options: { stepSize: number; gamma?: number },
): number[] {
  checkInt('stepLRSchedule', 'epochs', epochs, 1);
  return Array.from({ length: epochs }, (_, e) => stepLR(baseLr, e, options));
}

/** Runnable cells of chapter 8 (optimizers and schedulers). */

/** ReduceLROnPlateau on a list of validation losses. */
export const plateau = `import { plateauSchedule } from 'lib';

const losses = [1.0, 0.8, 0.7, 0.69, 0.7, 0.71, 0.7, 0.72, 0.6, 0.61, 0.6, 0.62, 0.63, 0.61];
// PyTorch defaults except patience: mode 'min', factor 0.1, threshold 1e-4 relative.
const lrs = plateauSchedule([0.1], losses, { factor: 0.5, patience: 2 }).map((r) => r[0]);
losses.forEach((l, epoch) => console.log('epoch', epoch, 'loss', l, 'lr', lrs[epoch]));
plot({ loss: losses, 'lr × 10': lrs.map((lr) => lr * 10) }, { title: 'loss and learning rate per epoch' });
`;

/** The shape of one kernel-check case, shared by ../check.ts and the case lists beside this file. */
import type * as tf from '../../tf';
import type { Kernels } from '../index';

/** One comparison: `run` computes outputs (values and gradients) with the given kernels, inside a tidy. */
export interface KernelCase {
  /** Shown in reports, e.g. 'layerNorm (64, 32)'. */
  name: string;
  /** Which registry entry it exercises. */
  kernel: keyof Kernels;
  /** Largest allowed |active − portable| over all outputs. */
  tol: number;
  /** Outputs to compare; called once with the active kernels and once with the portable ones. */
  run(k: Kernels): tf.Tensor[];
}

/**
 * Kernel self-check: run every registered kernel of the active backend against its portable twin on the same
 * inputs (forward values and gradients) and count the kernels each launches. The training worker answers a
 * 'kernel-check' message with this, so a browser test can prove the fused WGSL kernels compute what the
 * portable ops compute, and how many dispatches they save.
 */
import * as tf from '../tf';
import { getKernels, portableKernels, type Kernels } from './index';
import { adamwCases } from './cases/adamw';
import { dropoutCases } from './cases/dropout';
import { fusedCases } from './cases/fused';
import type { KernelCase } from './cases/case';

export type { KernelCase } from './cases/case';

/** The result of one case. */
export interface KernelCheckResult {
  name: string;
  kernel: keyof Kernels;
  backend: string;
  /** True when the active backend has its own implementation of this kernel (not the portable one). */
  fused: boolean;
  maxAbsErr: number;
  tol: number;
  ok: boolean;
  /** Kernels launched by `run` with the active and with the portable implementations (tf.profile). */
  kernelsActive: number;
  kernelsPortable: number;
}

/**
 * Every case of the kernels a backend replaces with its own (WebGPU's WGSL). The Linear and product cases
 * (cases/matmul.ts: wasm's untransposed versions) are run by the unit tests, not here: on WebGPU those
 * kernels are the portable ones, and comparing them with themselves on SwiftShader only costs time.
 */
export const kernelCases: KernelCase[] = [...dropoutCases, ...fusedCases, ...adamwCases];

/** Kernels launched (tf.profile), less those that launch nothing on a GPU. */
async function countKernels(f: () => tf.Tensor[]): Promise<number> {
  const info = await tf.profile(() => {
    tf.dispose(tf.tidy(f)); // tidy keeps what f returns: free it too
  });
  return info.kernels.filter((k) => !/^(Reshape|Identity)$|__op$/.test(k.name)).length;
}

/** Compare the active backend's kernels with the portable ones on every case. */
export async function checkKernels(cases: KernelCase[] = kernelCases): Promise<KernelCheckResult[]> {
  const backend = tf.getBackend();
  const active = getKernels(backend);
  const results: KernelCheckResult[] = [];
  for (const c of cases) {
    const a = tf.tidy(() => c.run(active).map((t) => tf.keep(t)));
    const p = tf.tidy(() => c.run(portableKernels).map((t) => tf.keep(t)));
    let maxAbsErr = a.length === p.length ? 0 : Infinity;
    for (let i = 0; i < Math.min(a.length, p.length); i++) {
      const [x, y] = await Promise.all([a[i].data(), p[i].data()]);
      if (x.length !== y.length) maxAbsErr = Infinity;
      for (let j = 0; j < x.length; j++) maxAbsErr = Math.max(maxAbsErr, Math.abs(x[j] - y[j]));
    }
    tf.dispose([...a, ...p]);
    const kernelsActive = await countKernels(() => c.run(active));
    const kernelsPortable = await countKernels(() => c.run(portableKernels));
    results.push({
      name: c.name,
      kernel: c.kernel,
      backend,
      fused: active[c.kernel] !== portableKernels[c.kernel],
      maxAbsErr,
      tol: c.tol,
      ok: maxAbsErr <= c.tol,
      kernelsActive,
      kernelsPortable,
    });
  }
  return results;
}

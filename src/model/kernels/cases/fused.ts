/** Kernel-check cases for LayerNorm and the causal softmax (see ../check.ts). */
import type { KernelCase } from '../check';

/** LayerNorm and causal-softmax cases: filled in with the fused WGSL kernels. */
export const fusedCases: KernelCase[] = [];

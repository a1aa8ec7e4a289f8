/** Kernel-check cases for dropout (see ../check.ts). */
import type { KernelCase } from '../check';

/** Dropout cases: filled in with the WGSL dropout kernel. */
export const dropoutCases: KernelCase[] = [];

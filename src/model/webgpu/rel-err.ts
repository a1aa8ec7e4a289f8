/** The kernel checks' error measure, shared by the WebGPU self-check and the kernels' unit tests. */

/** Largest |a − b| / (1 + max |b|): Infinity for different lengths or a NaN. */
export function relErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let d = 0;
  let s = 0;
  for (let i = 0; i < a.length; i++) {
    d = Math.max(d, Math.abs(a[i] - b[i]));
    s = Math.max(s, Math.abs(b[i]));
  }
  return Number.isNaN(d) ? Infinity : d / (1 + s);
}

/** Milliseconds from a monotonic clock (performance.now where the host has it, else Date.now). */
export function now(): number {
  return globalThis.performance?.now() ?? Date.now();
}

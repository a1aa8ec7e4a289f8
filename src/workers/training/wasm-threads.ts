/**
 * The WebAssembly backend's threads (backend.ts starts it): how many it may use, and the name the cell and
 * the bench show. tfjs-backend-wasm's threaded SIMD build needs
 * SharedArrayBuffer, which a browser grants only to a cross-origin isolated page (COOP same-origin + COEP
 * require-corp: src/site/headers.js); without it tfjs falls back to one thread, and the name says why.
 */
/** What the wasm backend runs with, read after it started. */
export interface WasmSetup {
  simd: boolean;
  /** XNNPACK's thread count (1 without the threaded build). */
  threads: number;
  /** self.crossOriginIsolated in the worker. */
  isolated: boolean;
  /** Whether SharedArrayBuffer exists here. */
  sharedMemory: boolean;
  /** tfjs's own check (WASM_HAS_MULTITHREAD_SUPPORT): shared memory can be posted and threads validate. */
  threadsSupported: boolean;
}

/** "WebAssembly (SIMD, N threads)" where threaded, else "WebAssembly (1 thread): <why>". */
export function wasmBackendName(s: WasmSetup): string {
  if (s.threads > 1) return `WebAssembly (${s.simd ? 'SIMD, ' : ''}${s.threads} threads)`;
  let why: string;
  if (!s.isolated) {
    why =
      'the page is not cross-origin isolated (its server sends no Cross-Origin-Opener-Policy and ' +
      'Cross-Origin-Embedder-Policy headers), so there is no shared memory for threads';
  } else if (!s.sharedMemory) why = 'this browser gives WebAssembly no shared memory';
  else if (!s.threadsSupported) why = 'this browser cannot share WebAssembly memory with workers';
  else if (!s.simd) why = 'this browser has no WebAssembly SIMD, which the threaded build needs';
  else why = 'this device reports a single CPU core';
  return `WebAssembly (1 thread): ${why}`;
}

/** The two thread functions of tfjs-backend-wasm (kept structural: only backend.ts imports tfjs). */
export interface WasmThreads {
  setThreadsCount(n: number): void;
  getThreadsCount(): number;
}

/** Ask for a thread per core (call before the backend starts; tfjs runs one thread where it cannot). */
export function useEveryCore(wasm: WasmThreads): void {
  wasm.setThreadsCount(Math.max(1, globalThis.navigator?.hardwareConcurrency ?? 1));
}

/**
 * Start the wasm backend able to use every core. tfjs-backend-wasm 4.22 caps its XNNPACK thread pool at
 * half of navigator.hardwareConcurrency (it assumes two hyper-threads per core), read once while the
 * module instantiates: on a 2-core machine that is one thread. While `start` runs, the worker's navigator
 * reports twice the cores, so the cap becomes the real core count; the override is removed afterwards.
 */
export async function withAllCores<T>(start: () => Promise<T>): Promise<T> {
  const nav = globalThis.navigator as Navigator | undefined;
  const cores = nav?.hardwareConcurrency;
  if (!nav || !cores) return start();
  Object.defineProperty(nav, 'hardwareConcurrency', { value: cores * 2, configurable: true });
  try {
    return await start();
  } finally {
    delete (nav as { hardwareConcurrency?: number }).hardwareConcurrency; // the prototype's getter again
  }
}

/** The running wasm backend's setup (call after it started). */
export async function wasmSetup(
  wasm: WasmThreads,
  flags: { simd: Promise<boolean>; threads: Promise<boolean> },
): Promise<WasmSetup> {
  return {
    simd: await flags.simd,
    threadsSupported: await flags.threads,
    threads: wasm.getThreadsCount(),
    isolated: (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true,
    sharedMemory: typeof SharedArrayBuffer !== 'undefined',
  };
}

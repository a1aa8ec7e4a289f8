// @ts-check
/**
 * A Vite plugin that lets tfjs-backend-wasm's threaded SIMD build run from a bundle. tfjs starts each
 * pthread worker from `factory.toString()` of the Emscripten factory, but that factory reads `_scriptDir`
 * from the closure around it, which the string leaves behind: once minified, every pthread worker dies
 * with "ReferenceError: e is not defined" and the backend never starts. In a worker `_scriptDir` is always
 * undefined (no document, no __filename), so declaring it inside the factory changes nothing else and
 * makes the factory self-contained.
 */
const FILE = /tfjs-backend-wasm[\\/]wasm-out[\\/]tfjs-backend-wasm-threaded-simd\.js$/;
const ENTRY = 'WasmBackendModuleThreadedSimd = WasmBackendModuleThreadedSimd || {};';

/** @returns {import('vite').Plugin} */
export function wasmThreadsPlugin() {
  return {
    name: 'attention-notebook:tfjs-wasm-threads',
    transform(code, id) {
      if (!FILE.test(id.split('?')[0])) return null;
      if (!code.includes(ENTRY)) {
        this.error('tfjs-backend-wasm changed: its threaded factory no longer starts as expected.');
      }
      return { code: code.replace(ENTRY, `${ENTRY} var _scriptDir;`), map: null };
    },
  };
}

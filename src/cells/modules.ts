/** The modules a cell may import (kept apart from the transpiler so the page can use it cheaply). */

/** Module names a cell may import, and what each resolves to. */
export const MODULE_ALIASES: Record<string, 'lib' | 'tfjs'> = {
  lib: 'lib',
  tfjs: 'tfjs',
  '@tensorflow/tfjs': 'tfjs',
  '@tensorflow/tfjs-core': 'tfjs',
};

/** True when the source imports TensorFlow.js (so the host loads it before running). */
export function importsTfjs(source: string): boolean {
  return /(?:from|import)\s*\(?\s*['"](?:tfjs|@tensorflow\/tfjs(?:-core)?)['"]/.test(source);
}

/**
 * Run a prepared cell: its body becomes an async function with `require`, `exports`, `console` and
 * `plot` as parameters, so top-level `await` and `return` work and imports resolve to the modules
 * the host provides. Runtime errors are located in the learner's code from the stack. DOM-free.
 */
import { MODULE_ALIASES } from './modules';
import type { Prepared } from './transpile';

/** The `console` a cell sees. */
export interface CellConsole {
  log(...args: unknown[]): void;
  info(...args: unknown[]): void;
  warn(...args: unknown[]): void;
  error(...args: unknown[]): void;
}

/** What a cell runs against. */
export interface RunEnv {
  /** Loaded modules by canonical name ('lib', 'tfjs'). */
  modules: Partial<Record<'lib' | 'tfjs', unknown>>;
  console: CellConsole;
  plot: unknown;
}

/** A cell's result: the final expression's (or `return`'s) value and what it exported. */
export interface RunResult {
  value: unknown;
  exports: Record<string, unknown>;
}

const SOURCE_URL = 'learner-cell.ts';
type AsyncFn = (...args: unknown[]) => Promise<unknown>;
const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (...args: string[]) => AsyncFn;

/** Lines the engine puts before the body of a `new AsyncFunction` (2 in V8), measured once. */
let headerLines: number | null = null;
function measureHeader(): number {
  if (headerLines !== null) return headerLines;
  try {
    const fn = new Function(`throw new Error('probe');\n//# sourceURL=${SOURCE_URL}`);
    fn();
  } catch (e) {
    const loc = stackLocation(e);
    headerLines = loc ? loc.line - 1 : 0;
  }
  return headerLines ?? 0;
}

function stackLocation(e: unknown): { line: number; column: number } | null {
  const stack = e instanceof Error ? (e.stack ?? '') : '';
  const m = new RegExp(`${SOURCE_URL.replace('.', '\\.')}:(\\d+):(\\d+)`).exec(stack);
  return m ? { line: Number(m[1]), column: Number(m[2]) } : null;
}

/** Where a runtime error happened in the learner's code (1-based), if its stack says. */
export function locateError(e: unknown): { line: number; column: number } | null {
  const loc = stackLocation(e);
  if (!loc) return null;
  return { line: Math.max(1, loc.line - measureHeader()), column: loc.column };
}

/** Evaluate a prepared cell; rejects with the learner's error (locate it with `locateError`). */
export async function runPrepared(prepared: Prepared, env: RunEnv): Promise<RunResult> {
  measureHeader();
  const exports: Record<string, unknown> = {};
  const require = (name: string): unknown => {
    const key = MODULE_ALIASES[name];
    const mod = key ? env.modules[key] : undefined;
    if (mod === undefined) {
      throw new Error(
        key
          ? `"${name}" is not loaded yet: import it at the top of the cell.`
          : `Cannot import "${name}": a cell can import 'lib' (the course's numerics core) or 'tfjs' (TensorFlow.js).`,
      );
    }
    return mod;
  };
  const fn = new AsyncFunction(
    'require',
    'exports',
    'console',
    'plot',
    `${prepared.body}\n//# sourceURL=${SOURCE_URL}`,
  );
  const value = await fn(require, exports, env.console, env.plot);
  return { value, exports };
}

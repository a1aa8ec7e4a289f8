/**
 * Turn a cell's TypeScript into the body of an async function: sucrase strips types and rewrites
 * imports to `require` (keeping every line where it was, so error lines need no source map), and a
 * final expression statement becomes `return (…)` so its value is the cell's result. DOM-free.
 */
import { transform } from 'sucrase';
import { parse, type Node } from 'acorn';

export { MODULE_ALIASES, importsTfjs } from './modules';

/** A transpiled cell, ready for `new AsyncFunction('require', 'exports', …, body)`. */
export interface Prepared {
  /** Function body; line N of the learner's code is line N of the body. */
  body: string;
  /** Module names the code imports (`lib`, `tfjs`, …), in order of first use. */
  imports: string[];
}

/** A compile error located in the learner's code (1-based line and column). */
export class CellSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(message);
    this.name = 'SyntaxError';
  }
}

const LOC_RE = /\((\d+):(\d+)\)\s*$/;

/** Transpile TypeScript to an async function body; throws CellSyntaxError with the learner's line. */
export function prepare(source: string): Prepared {
  let code: string;
  try {
    code = transform(source, {
      transforms: ['typescript', 'imports'],
      disableESTransforms: true,
      production: true,
    }).code;
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    const m = LOC_RE.exec(msg);
    const line = m ? Number(m[1]) : 1;
    const column = m ? Number(m[2]) + 1 : 1;
    throw new CellSyntaxError(msg.replace(LOC_RE, '').trim(), line, column);
  }
  const imports: string[] = [];
  for (const m of code.matchAll(/\brequire\((['"])([^'"]+)\1\)/g)) {
    if (!imports.includes(m[2])) imports.push(m[2]);
  }
  return { body: returnLastExpression(code), imports };
}

/** Rewrite a final expression statement as `return (expr);` without moving any line. */
function returnLastExpression(code: string): string {
  let program: { body: Node[] };
  try {
    program = parse(code, {
      ecmaVersion: 'latest',
      sourceType: 'script',
      allowAwaitOutsideFunction: true,
      allowReturnOutsideFunction: true,
      locations: true,
    }) as unknown as { body: Node[] };
  } catch (e) {
    const loc = (e as { loc?: { line: number; column: number } }).loc;
    const msg = (e instanceof Error ? e.message : String(e)).replace(LOC_RE, '').trim();
    throw new CellSyntaxError(msg, loc?.line ?? 1, (loc?.column ?? 0) + 1);
  }
  const last = program.body.at(-1) as (Node & { expression?: Node; directive?: string }) | undefined;
  if (!last || last.type !== 'ExpressionStatement' || last.directive || !last.expression) return code;
  const expr = code.slice(last.expression.start, last.expression.end);
  // Assignments and `console.log(…)` calls are statements the learner ran for effect, not a value to show.
  if (last.expression.type === 'AssignmentExpression' || /^console\.\w+\(/.test(expr)) return code;
  return `${code.slice(0, last.start)}return (${expr});${code.slice(last.end)}`;
}

import { describe, expect, it } from 'vitest';
import * as lib from '../../../src/lib';
import { prepare, CellSyntaxError, importsTfjs } from '../../../src/cells/transpile';
import { runPrepared, locateError } from '../../../src/cells/run';
import { formatValue, formatLog, formatNumber, inspect } from '../../../src/cells/format';
import { plotSpec } from '../../../src/cells/plot';

async function run(code: string) {
  const logs: unknown[][] = [];
  const push = (...a: unknown[]) => logs.push(a);
  const r = await runPrepared(prepare(code), {
    modules: { lib },
    console: { log: push, info: push, warn: push, error: push },
    plot: () => {},
  });
  return { ...r, logs };
}

describe('prepare + run', () => {
  it('strips types, resolves lib, supports top-level await and returns the final expression', async () => {
    const r = await run(
      "import { softmax } from 'lib';\nconst x: number[] = await Promise.resolve([0, 0]);\nconsole.log('n', x.length);\nsoftmax(x).weights",
    );
    expect(r.value).toEqual([0.5, 0.5]);
    expect(r.logs).toEqual([['n', 2]]);
  });

  it('returns the value of a top-level return and collects exports', async () => {
    const r = await run('export function twice(a: number) { return 2 * a }\nreturn twice(21);');
    expect(r.value).toBe(42);
    expect((r.exports.twice as (a: number) => number)(2)).toBe(4);
  });

  it('gives no value when the last statement is a declaration, assignment or console.log', async () => {
    expect((await run('const a = 1;')).value).toBeUndefined();
    expect((await run('let a = 1;\na = 2')).value).toBeUndefined();
    expect((await run("console.log('x')")).value).toBeUndefined();
  });

  it('names the line of a syntax error in the learner code', () => {
    const e = (() => {
      try {
        prepare('const a = 1;\nconst b = ;\n');
      } catch (err) {
        return err;
      }
    })();
    expect(e).toBeInstanceOf(CellSyntaxError);
    expect((e as CellSyntaxError).line).toBe(2);
  });

  it('names the line of a runtime error in the learner code', async () => {
    const err = await run('const a = 1;\n\nconst b: any = null;\nb.x;').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TypeError);
    expect(locateError(err)?.line).toBe(4);
  });

  it('explains an unknown import', async () => {
    await expect(run("import fs from 'fs';\nfs.readFileSync('x')")).rejects.toThrow(/can import 'lib'/);
  });

  it('detects tfjs imports', () => {
    expect(importsTfjs("import * as tf from 'tfjs';")).toBe(true);
    expect(importsTfjs("import * as tf from '@tensorflow/tfjs';")).toBe(true);
    expect(importsTfjs("import { softmax } from 'lib';")).toBe(false);
  });
});

describe('format', () => {
  it.each([
    [1, '1'],
    [0.123456, '0.1235'],
    [1e-7, '1.000e-7'],
    [-Infinity, '-Infinity'],
  ])('formatNumber(%s) = %s', (x, s) => expect(formatNumber(x)).toBe(s));

  it('prints nested arrays as a table, typed arrays with their type, objects inline', () => {
    const t = formatValue(
      [
        [1, 2],
        [3, 4.5],
      ],
      'result',
    );
    expect(t).toMatchObject({
      kind: 'table',
      header: ['0', '1'],
      rows: [
        ['1', '2'],
        ['3', '4.5'],
      ],
    });
    expect(inspect(new Float32Array([1, 2]))).toBe('Float32Array(2) [1, 2]');
    expect(inspect({ a: [1, 2], b: 'x' })).toBe('{ a: [1, 2], b: "x" }');
    const cyc: Record<string, unknown> = {};
    cyc.self = cyc;
    expect(inspect(cyc)).toBe('{ self: [circular] }');
  });

  it('prints tensors with shape and dtype', () => {
    const fake = {
      shape: [2, 2],
      dtype: 'float32',
      arraySync: () => [
        [1, 2],
        [3, 4],
      ],
    };
    expect(formatValue(fake, 'result')).toMatchObject({
      kind: 'table',
      caption: 'Tensor shape [2, 2] dtype float32',
    });
    const v = { shape: [3], dtype: 'int32', arraySync: () => [1, 2, 3] };
    expect(formatValue(v, 'result')).toMatchObject({
      kind: 'text',
      text: 'Tensor shape [3] dtype int32\n[1, 2, 3]',
    });
  });

  it('keeps HTML in strings as text data', () => {
    expect(formatLog(['<img src=x onerror=alert(1)>'], 'log')).toEqual({
      kind: 'text',
      stream: 'log',
      text: '<img src=x onerror=alert(1)>',
    });
  });
});

describe('plotSpec', () => {
  it('makes lines from arrays and named series, heatmaps from matrices', () => {
    expect(plotSpec([1, 2, 3])).toMatchObject({ type: 'line', series: [{ values: [1, 2, 3] }] });
    expect(plotSpec({ train: [1, 2], val: [2, 3] }, { title: 'loss' })).toMatchObject({
      type: 'line',
      title: 'loss',
      series: [{ name: 'train' }, { name: 'val' }],
    });
    expect(
      plotSpec([
        [1, 0],
        [0, 1],
      ]),
    ).toMatchObject({ type: 'heatmap', rows: ['0', '1'], cols: ['0', '1'] });
  });

  it('refuses bad data with a message', () => {
    expect(() => plotSpec('nope')).toThrow(/array of numbers/);
    expect(() => plotSpec([[1, 2], [3]])).toThrow(/same length/);
  });
});

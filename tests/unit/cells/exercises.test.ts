import { describe, expect, it } from 'vitest';
import * as lib from '../../../src/lib';
import { createRng } from '../../../src/lib/rng';
import { exerciseList } from '../../../src/exercises';
import { runChecks } from '../../../src/exercises/types';
import { prepare } from '../../../src/cells/transpile';
import { runPrepared } from '../../../src/cells/run';

const quiet = { log() {}, info() {}, warn() {}, error() {} };

/** Run a cell's code in Node the way the sandbox worker does, and return its exports. */
async function exportsOf(code: string) {
  const { exports } = await runPrepared(prepare(code), { modules: { lib }, console: quiet, plot: () => {} });
  return exports;
}

describe('every exercise', () => {
  it('has a unique id and a chapter', () => {
    const ids = exerciseList.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const e of exerciseList) expect(e.id.startsWith(`${e.chapter}/`)).toBe(true);
  });

  for (const ex of exerciseList) {
    describe(ex.id, () => {
      it('passes with its solution on several random seeds', async () => {
        const mod = await exportsOf(ex.solution);
        for (const seed of [1, 2, 3, 42, 1234]) {
          const r = runChecks(ex, mod, createRng(seed));
          expect(r.failures, `seed ${seed}`).toEqual([]);
          expect(r.passed).toBeGreaterThan(0);
        }
      });

      it('fails with its TODO starter, naming what failed', async () => {
        expect(ex.starter).toMatch(/TODO/);
        const mod = await exportsOf(ex.starter);
        const r = runChecks(ex, mod, createRng(7));
        expect(r.failures.length).toBeGreaterThan(0);
        for (const f of r.failures) expect(f.length).toBeGreaterThan(10);
      });
    });
  }
});

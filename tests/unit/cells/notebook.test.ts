import { describe, expect, it } from 'vitest';
import * as lib from '../../../src/lib';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
// The UMD bundle the sandbox loads includes gradients and chained ops; the ES modules need them registered.
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops';
import { prepare } from '../../../src/cells/transpile';
import { runPrepared } from '../../../src/cells/run';
import { plotSpec } from '../../../src/cells/plot';

/** Every cell module under src/notebook, as { file: { exportName: code } }. */
const modules = import.meta.glob<Record<string, string>>('../../../src/notebook/*.ts', { eager: true });

describe('every notebook cell runs in Node without an error', () => {
  for (const [file, cells] of Object.entries(modules)) {
    for (const [name, code] of Object.entries(cells)) {
      it(`${file.split('/').pop()} ${name}`, async () => {
        await tf.setBackend('cpu');
        const logs: unknown[][] = [];
        const push = (...a: unknown[]) => logs.push(a);
        const plots: unknown[] = [];
        const r = await runPrepared(prepare(code), {
          modules: { lib, tfjs: tf },
          console: { log: push, info: push, warn: push, error: push },
          plot: (d: unknown, o?: object) => plots.push(plotSpec(d, o)),
        });
        expect(logs.length + plots.length + (r.value === undefined ? 0 : 1)).toBeGreaterThan(0);
      }, 30_000);
    }
  }
});

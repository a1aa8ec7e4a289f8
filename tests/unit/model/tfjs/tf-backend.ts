import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ParityGolden } from '../../../../src/model/parity';

/** Select the tfjs CPU backend quietly (prod mode silences the "install tfjs-node" banner). */
export async function useCpuBackend(): Promise<void> {
  tf.enableProdMode();
  await tf.setBackend('cpu');
  await tf.ready();
}

const goldenDir = fileURLToPath(new URL('../../../golden/model/', import.meta.url));

/** Load tests/golden/model/gpt_tiny.json (written by scripts/reference/gpt_reference.py). */
export function loadParityGolden(): ParityGolden {
  return JSON.parse(readFileSync(`${goldenDir}gpt_tiny.json`, 'utf8')) as ParityGolden;
}

/** Bytes of a file in tests/golden/model/. */
export function goldenBytes(name: string): Uint8Array {
  return new Uint8Array(readFileSync(`${goldenDir}${name}`));
}

import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import { createRng } from '../../../src/lib/rng';
import {
  checkpointTransferables,
  checkpointVocab,
  createCheckpoint,
  engineFromCheckpoint,
  exportSafetensors,
  importSafetensors,
  LossRecorder,
  validateCheckpoint,
  type Checkpoint,
} from '../../../src/model/checkpoint';
import { makeConfig, type GPTConfig } from '../../../src/model/config';
import { buildVocab, sampleBatch } from '../../../src/model/data';
import type { Engine, WeightMap } from '../../../src/model/engine';
import { createTfjsEngine } from '../../../src/model/tfjs/engine';
import { decodeSafetensors, encodeSafetensors, SafetensorsError } from '../../../src/model/safetensors';
import { ConvergenceDetector } from '../../../src/model/train';
import { goldenBytes, loadParityGolden, useCpuBackend } from './tfjs/tf-backend';

beforeAll(useCpuBackend);

const cfg: GPTConfig = makeConfig('tiny', {
  vocabSize: 11,
  blockSize: 8,
  nEmbd: 16,
  batchSize: 3,
  dropout: 0.1,
});
const stream = Int32Array.from({ length: 500 }, (_, i) => (i * 3 + (i >> 2)) % 11);
const engines: Engine[] = [];
afterEach(() => engines.splice(0).forEach((e) => e.dispose()));
const keep = <E extends Engine>(e: E): E => (engines.push(e), e);

// ------------------------------------------------------------------------------------ safetensors

/** Build a safetensors file from a header object and raw data bytes (for malformed cases). */
function rawFile(header: unknown, data: Uint8Array = new Uint8Array(0), claimedLength?: number): Uint8Array {
  const json = new TextEncoder().encode(typeof header === 'string' ? header : JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(claimedLength ?? json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

describe('encodeSafetensors / decodeSafetensors', () => {
  test('round-trips tensors, shapes, order and metadata; the header is 8-byte aligned', () => {
    const tensors = new Map([
      ['b', { shape: [2, 3], data: Float32Array.from([1, 2, 3, 4, 5, -6.5]) }],
      ['a', { shape: [1], data: Float32Array.of(Math.PI) }],
      ['empty', { shape: [0, 4], data: new Float32Array(0) }],
    ]);
    const bytes = encodeSafetensors(tensors, { format: 'pt' });
    expect(Number(new DataView(bytes.buffer).getBigUint64(0, true)) % 8).toBe(0);
    const back = decodeSafetensors(bytes);
    expect([...back.tensors.keys()]).toEqual(['b', 'a', 'empty']);
    expect(back.tensors.get('b')).toEqual(tensors.get('b'));
    expect(back.tensors.get('a')!.data[0]).toBe(Math.fround(Math.PI));
    expect(back.metadata).toEqual({ format: 'pt' });
  });

  test('reads the file PyTorch’s side wrote (tests/golden/model/gpt_tiny.safetensors)', () => {
    const golden = loadParityGolden();
    const { tensors, metadata } = decodeSafetensors(goldenBytes('gpt_tiny.safetensors'));
    expect(metadata.format).toBe('pt');
    for (const [name, t] of Object.entries(golden.params)) {
      expect(tensors.get(name)!.shape).toEqual(t.shape);
      expect(Array.from(tensors.get(name)!.data)).toEqual(t.data.map(Math.fround));
    }
    expect(tensors.get('blocks.0.sa.heads.1.tril')!.shape).toEqual([8, 8]);
  });

  test.each([
    ['F16', Uint8Array.of(0x00, 0x3c, 0x00, 0xc0), [1, -2]], // 1.0 and -2.0 as float16
    ['BF16', Uint8Array.of(0x80, 0x3f, 0x40, 0x40), [1, 3]], // 1.0 and 3.0 as bfloat16
    ['F64', new Uint8Array(Float64Array.of(0.5, -0.25).buffer), [0.5, -0.25]],
  ])('converts %s to float32', (dtype, data, expected) => {
    const file = rawFile({ x: { dtype, shape: [2], data_offsets: [0, data.length] } }, data);
    expect(Array.from(decodeSafetensors(file).tensors.get('x')!.data)).toEqual(expected);
  });

  const f32 = (n: number): Uint8Array => new Uint8Array(4 * n);
  test.each<[string, Uint8Array, RegExp]>([
    ['5 bytes', new Uint8Array(5), /too short for the 8-byte header length/],
    ['a header longer than the file', rawFile({}, f32(0), 1000), /claims 1000 bytes/],
    ['a header that is not JSON', rawFile('{nope'), /not valid UTF-8 JSON/],
    ['a header that is a JSON array', rawFile('[1, 2]'), /must be a JSON object/],
    [
      'an unsupported dtype',
      rawFile({ x: { dtype: 'I64', shape: [1], data_offsets: [0, 8] } }, f32(2)),
      /dtype I64/,
    ],
    [
      'a negative dimension',
      rawFile({ x: { dtype: 'F32', shape: [-1], data_offsets: [0, 4] } }, f32(1)),
      /shape/,
    ],
    [
      'offsets past the data',
      rawFile({ x: { dtype: 'F32', shape: [2], data_offsets: [0, 8] } }, f32(1)),
      /run past/,
    ],
    [
      'a size mismatch',
      rawFile({ x: { dtype: 'F32', shape: [3], data_offsets: [0, 8] } }, f32(2)),
      /needs 12 bytes/,
    ],
    [
      'overlapping tensors',
      rawFile(
        {
          x: { dtype: 'F32', shape: [2], data_offsets: [0, 8] },
          y: { dtype: 'F32', shape: [2], data_offsets: [4, 12] },
        },
        f32(3),
      ),
      /overlap/,
    ],
    ['a hole', rawFile({ x: { dtype: 'F32', shape: [1], data_offsets: [4, 8] } }, f32(2)), /gap of 4 bytes/],
    [
      'trailing bytes',
      rawFile({ x: { dtype: 'F32', shape: [1], data_offsets: [0, 4] } }, f32(2)),
      /4 bytes after/,
    ],
    ['non-string metadata', rawFile({ __metadata__: { n: 1 } }), /must be a string/],
  ])('rejects %s with a clear message', (_label, bytes, message) => {
    expect(() => decodeSafetensors(bytes)).toThrow(SafetensorsError);
    expect(() => decodeSafetensors(bytes)).toThrow(message);
  });
});

describe('exportSafetensors / importSafetensors (the notes’ PyTorch names)', () => {
  test('export → import round-trips the weights, writes the tril buffers and the config', async () => {
    const e = keep(createTfjsEngine(cfg));
    const weights = await e.getWeights();
    const bytes = exportSafetensors(weights, cfg);
    const { tensors, metadata } = decodeSafetensors(bytes);
    expect(tensors.get('blocks.1.sa.heads.0.tril')!.data.slice(0, 9)).toEqual(
      Float32Array.of(1, 0, 0, 0, 0, 0, 0, 0, 1),
    );
    expect(JSON.parse(metadata.config)).toEqual(cfg);
    const imported = importSafetensors(bytes, makeConfig('notes'));
    expect(imported.config).toEqual(cfg);
    expect(imported.ignored.length).toBe(cfg.nLayer * cfg.nHead);
    for (const [name, w] of weights) expect(imported.weights.get(name)).toEqual(w);
    expect(decodeSafetensors(exportSafetensors(weights, cfg, { includeBuffers: false })).tensors.size).toBe(
      weights.size,
    );
  });

  test('imports the PyTorch-written file, inferring the architecture from the shapes', () => {
    const golden = loadParityGolden();
    const { config, weights } = importSafetensors(goldenBytes('gpt_tiny.safetensors'), makeConfig('tiny'));
    expect(config).toMatchObject({ vocabSize: 11, blockSize: 8, nEmbd: 16, nHead: 2, nLayer: 2 });
    expect(weights.size).toBe(Object.keys(golden.params).length);
    const e = keep(createTfjsEngine(config, { weights }));
    expect(e.numParams).toBe(Object.values(golden.params).reduce((n, t) => n + t.data.length, 0));
  });

  test.each<[string, (w: WeightMap) => void, RegExp]>([
    ['a missing parameter', (w) => w.delete('ln_f.bias'), /missing parameter ln_f.bias/],
    [
      'a wrong shape',
      (w) => w.set('lm_head.bias', { shape: [3], data: new Float32Array(3) }),
      /lm_head.bias has shape/,
    ],
    [
      'a foreign tensor',
      (w) => w.set('encoder.weight', { shape: [1], data: new Float32Array(1) }),
      /unexpected tensors/,
    ],
    ['no embeddings', (w) => w.delete('token_embedding_table.weight'), /not a notes GPT/],
  ])('rejects %s', async (_label, mutate, message) => {
    const w = await keep(createTfjsEngine(cfg)).getWeights();
    mutate(w);
    expect(() => importSafetensors(encodeSafetensors(w), cfg)).toThrow(message);
  });
});

// ------------------------------------------------------------------------------------ checkpoints

describe('createCheckpoint / engineFromCheckpoint', () => {
  test('resuming from a checkpoint continues exactly like an uninterrupted run (weights, AdamW, RNG, dropout)', async () => {
    const rngA = createRng(7);
    const a = keep(createTfjsEngine(cfg));
    for (let i = 0; i < 3; i++) await a.step(sampleBatch(stream, 8, 3, rngA));
    const history = new LossRecorder();
    history.addStep(3, 2.5);
    history.addEval({ step: 3, train: 2.4, val: 2.6 });
    const detector = new ConvergenceDetector();
    detector.update(0, 3);
    const ckpt = await createCheckpoint(a, {
      vocab: buildVocab('abcdefghij'),
      rng: { batches: rngA.state },
      history: history.toHistory(),
      convergence: detector,
    });
    expect(validateCheckpoint(ckpt)).toEqual([]);
    expect(ckpt.step).toBe(3);
    expect(ckpt.weights['blocks.0.sa.heads.1.value.weight'].data).toBeInstanceOf(Float32Array);

    const clone = structuredClone(ckpt); // what IndexedDB stores
    const b = keep(await engineFromCheckpoint(clone, createTfjsEngine));
    const rngB = createRng(0);
    rngB.state = clone.rng.batches;
    expect(b.stepCount).toBe(3);
    for (let i = 0; i < 3; i++) {
      const ra = await a.step(sampleBatch(stream, 8, 3, rngA));
      const rb = await b.step(sampleBatch(stream, 8, 3, rngB));
      expect(rb.loss).toBe(ra.loss);
    }
    const wa = await a.getWeights();
    const wb = await b.getWeights();
    for (const [name, t] of wa) expect(wb.get(name)!.data).toEqual(t.data);
    expect(checkpointVocab(clone)!.chars.join('')).toBe('abcdefghij');
    expect(LossRecorder.from(clone.history).toHistory()).toEqual(history.toHistory());
  });

  test('checkpointTransferables lists every buffer once (for postMessage)', async () => {
    const ckpt = await createCheckpoint(keep(createTfjsEngine(cfg)));
    const buffers = checkpointTransferables(ckpt);
    expect(buffers.length).toBe(3 * Object.keys(ckpt.weights).length + 2);
    expect(new Set(buffers).size).toBe(buffers.length);
  });

  test.each<[string, (c: Checkpoint) => unknown, RegExp]>([
    ['another format', (c) => ({ ...c, format: 'x' }), /not a GPT checkpoint/],
    ['a newer version', (c) => ({ ...c, version: 2 }), /version 2 is not supported/],
    ['a broken config', (c) => ({ ...c, config: { ...c.config, nHead: 3 } }), /config: .*divisible/],
    [
      'a missing weight',
      (c) => ({ ...c, weights: { ...c.weights, 'ln_f.bias': undefined } }),
      /weights: missing ln_f.bias/,
    ],
    [
      'a missing moment',
      (c) => ({ ...c, optimizer: { ...c.optimizer, v: {} } }),
      /optimizer.v: missing or wrong size for token_embedding_table.weight/,
    ],
    ['a missing step', (c) => ({ ...c, step: undefined }), /^step must be a non-negative integer$/],
    ['a fractional step', (c) => ({ ...c, step: 1.5 }), /^step must be a non-negative integer$/],
    [
      'a vocabulary that is not a list of characters',
      (c) => ({ ...c, vocab: { chars: 'abc', reserveUnknown: true } }),
      /^vocab.chars: chars must be a list of characters$/,
    ],
    ['not an object', () => 42, /^a checkpoint must be an object$/],
    [
      'a vocabulary of the wrong size',
      (c) => ({ ...c, vocab: { chars: ['a'], reserveUnknown: true } }),
      /vocabSize 11/,
    ],
  ])('validateCheckpoint reports %s', async (_label, mutate, message) => {
    const ckpt = await createCheckpoint(keep(createTfjsEngine(cfg)));
    const errors = validateCheckpoint(mutate(ckpt));
    expect(errors.join('\n')).toMatch(message);
    await expect(engineFromCheckpoint(mutate(ckpt) as Checkpoint, createTfjsEngine)).rejects.toThrow(
      /Cannot restore checkpoint/,
    );
  });
});

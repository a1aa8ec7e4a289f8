/**
 * The notes' GPT parameters, independent of any engine: their PyTorch names, shapes and initialisation,
 * and the constants every engine shares (the causal mask value, LayerNorm's epsilon, the init scale).
 */
import { createRng } from '../lib/rng';
import type { GPTConfig } from './config';

/** Added to the scores of future positions; exp(−1e9 − max) is exactly 0 in float32, like −inf, without inf arithmetic. */
export const MASK_VALUE = -1e9;
/** PyTorch's nn.LayerNorm epsilon. */
export const LAYER_NORM_EPS = 1e-5;
/** Standard deviation of the notes' normal init for Linear and Embedding weights. */
export const INIT_STD = 0.02;

/** How a parameter is initialised, following the notes' _init_weights and nn.LayerNorm defaults. */
export type ParamInit = 'normal' | 'zeros' | 'ones';

/** A parameter's PyTorch name, shape and initialisation. */
export interface ParamSpec {
  name: string;
  shape: number[];
  init: ParamInit;
}

/** Every parameter of the notes' GPTLanguageModel, in PyTorch's named_parameters() order. */
export function parameterSpecs(cfg: GPTConfig): ParamSpec[] {
  const { vocabSize: V, blockSize: T, nEmbd: C, nHead: H, nLayer: L } = cfg;
  const hs = C / H;
  const specs: ParamSpec[] = [
    { name: 'token_embedding_table.weight', shape: [V, C], init: 'normal' },
    { name: 'position_embedding_table.weight', shape: [T, C], init: 'normal' },
  ];
  for (let i = 0; i < L; i++) {
    const b = `blocks.${i}`;
    for (let h = 0; h < H; h++) {
      for (const kind of ['key', 'query', 'value']) {
        specs.push({ name: `${b}.sa.heads.${h}.${kind}.weight`, shape: [hs, C], init: 'normal' });
      }
    }
    specs.push(
      { name: `${b}.sa.proj.weight`, shape: [C, C], init: 'normal' },
      { name: `${b}.sa.proj.bias`, shape: [C], init: 'zeros' },
      { name: `${b}.ffwd.net.0.weight`, shape: [4 * C, C], init: 'normal' },
      { name: `${b}.ffwd.net.0.bias`, shape: [4 * C], init: 'zeros' },
      { name: `${b}.ffwd.net.2.weight`, shape: [C, 4 * C], init: 'normal' },
      { name: `${b}.ffwd.net.2.bias`, shape: [C], init: 'zeros' },
      { name: `${b}.ln1.weight`, shape: [C], init: 'ones' },
      { name: `${b}.ln1.bias`, shape: [C], init: 'zeros' },
      { name: `${b}.ln2.weight`, shape: [C], init: 'ones' },
      { name: `${b}.ln2.bias`, shape: [C], init: 'zeros' },
    );
  }
  specs.push(
    { name: 'ln_f.weight', shape: [C], init: 'ones' },
    { name: 'ln_f.bias', shape: [C], init: 'zeros' },
    { name: 'lm_head.weight', shape: [V, C], init: 'normal' },
    { name: 'lm_head.bias', shape: [V], init: 'zeros' },
  );
  return specs;
}

/** Initial values for every parameter, drawn from a seeded RNG in spec order (deterministic on every backend). */
export function initialWeights(cfg: GPTConfig, seed = cfg.seed): Map<string, Float32Array> {
  const rng = createRng(seed);
  const out = new Map<string, Float32Array>();
  for (const spec of parameterSpecs(cfg)) {
    const data = new Float32Array(spec.shape.reduce((a, b) => a * b, 1));
    if (spec.init === 'ones') data.fill(1);
    if (spec.init === 'normal') for (let i = 0; i < data.length; i++) data[i] = rng.normal(0, INIT_STD);
    out.set(spec.name, data);
  }
  return out;
}

/** The numerics core: framework-free, deterministic math for every lesson (see each module's doc comment). */
export * from './validate';
export * from './matrix';
export * from './rng';
export * from './special';
export * from './softmax';
export * from './tokenize/units';
export * from './tokenize/char';
export * from './tokenize/word';
export * from './tokenize/bpe';
export * from './embeddings';
export * from './attention/mask';
export * from './attention/scaled-dot';
export * from './attention/multi-head';
export * from './attention/additive';
export * from './attention/multiplicative';
export * from './attention/local';
export * from './attention/hard';
export * from './attention/cross';
export * from './attention/worked-example';
export {
  ACTIVATIONS,
  applyActivation,
  gelu,
  geluDerivative,
  leakyRelu,
  leakyReluDerivative,
  relu,
  reluDerivative,
  sigmoid,
  sigmoidDerivative,
  softmaxBackward,
  softmaxJacobian,
  tanh,
  tanhDerivative,
  type ActivationName,
  type GeluApproximation,
} from './activations';
export * from './dropout';
export * from './normalization';
export * from './regularization';
export * from './schedulers/plateau';
export * from './schedulers/step';
export * from './schedulers/cosine-warmup';
export * from './optimizers';
export * from './sampling';
export * from './quantization';
export * from './surface';
export * from './loss';
export * from './bucketing';

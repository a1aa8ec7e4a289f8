/** An Engine whose every method throws "not used": a test overrides the few its code path calls. */
import type { GPTConfig } from '../../../src/model/config';
import type { Engine } from '../../../src/model/engine';

/** A stub engine for `cfg` with no steps; every data method throws until the test replaces it. */
export function stubEngine(cfg: GPTConfig, name = 'stub'): Engine {
  const unused = (): never => {
    throw new Error(`${name}: not used by this test`);
  };
  return {
    config: cfg,
    name,
    backend: 'cpu',
    numParams: 0,
    stepCount: 0,
    step: unused,
    estimateLoss: unused,
    lossAndGradients: unused,
    logits: unused,
    generate: unused,
    nextTokenProbs: unused,
    attention: unused,
    getWeights: unused,
    setWeights: unused,
    getOptimizerState: unused,
    setOptimizerState: unused,
    memory: () => ({ numTensors: 0, numBytes: 0 }),
    dispose: () => undefined,
  };
}

/**
 * Which engine the worker builds, chosen in one place: every other part of the worker takes the factory
 * this returns and sees only the Engine interface (src/model/engine.ts). To add an engine, import its
 * factory here and return it for the backends it serves; nothing else in the worker changes.
 */
import type { EngineFactory } from '../../model';
import { createTfjsEngine } from '../../model/tfjs/engine';
import type { BackendReport } from '../protocol';

/** The engines a learner or a test can ask for; 'auto' is the best one for the backend. */
export type EngineChoice = 'auto' | 'tfjs';

/** The factory for a started backend (and an optional explicit choice). */
export function engineFactory(_backend: BackendReport, _choice: EngineChoice = 'auto'): EngineFactory {
  return createTfjsEngine; // TensorFlow.js runs on every backend the worker starts
}

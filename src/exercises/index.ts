/** Every exercise by id; the sandbox worker runs their checks and the chapters render their cells. */
import type { Exercise } from './types';
import { softmaxExercise } from './start-here/softmax';
import { charTokenizerExercise } from './tokenization/char-tokenizer';
import { oneHotLookupExercise } from './embeddings/one-hot-lookup';
import { trainStepExercise } from './training-and-inference/sgd-step';
import { invertedDropoutExercise } from './dropout-and-activations/inverted-dropout';
import { causalAttentionExercise } from './attention/causal-attention';
import { splitHeadsExercise } from './transformer-block/split-heads';
import { layerNormExercise } from './normalization-and-regularization/layer-norm';
import { plateauExercise } from './optimization-and-schedulers/plateau';
import { topKExercise } from './sampling-and-quantization/top-k';
import { int8Exercise } from './sampling-and-quantization/int8';
import { fitLoopExercise } from './learning-as-refinement/fit-loop';
import { getBatchExercise } from './capstone/get-batch';
import { padExercise } from './what-comes-next/pad';

/** All exercises, in chapter order. */
export const exerciseList: Exercise[] = [
  softmaxExercise,
  charTokenizerExercise,
  oneHotLookupExercise,
  trainStepExercise,
  invertedDropoutExercise,
  causalAttentionExercise,
  splitHeadsExercise,
  layerNormExercise,
  plateauExercise,
  topKExercise,
  int8Exercise,
  fitLoopExercise,
  getBatchExercise,
  padExercise,
];

/** Exercises by id. */
export const exercises: Record<string, Exercise> = Object.fromEntries(exerciseList.map((e) => [e.id, e]));

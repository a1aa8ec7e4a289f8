/** Every exercise by id; the sandbox worker runs their checks and the chapters render their cells. */
import type { Exercise } from './types';
import { softmaxExercise } from './start-here/softmax';

/** All exercises, in chapter order. */
export const exerciseList: Exercise[] = [softmaxExercise];

/** Exercises by id. */
export const exercises: Record<string, Exercise> = Object.fromEntries(exerciseList.map((e) => [e.id, e]));

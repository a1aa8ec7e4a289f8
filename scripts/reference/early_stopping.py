"""Reference early stopping (Keras EarlyStopping semantics) -> tests/golden/lib/early_stopping.json.

Pure Python (no Keras needed): a line-by-line port of what `keras.callbacks.EarlyStopping.on_epoch_end`
does for `monitor='val_loss'`, `baseline=None`, `start_from_epoch=0`, `restore_best_weights=True`:

- an epoch improves when value < best - min_delta (mode 'min') or value > best + min_delta (mode 'max');
  best starts at +inf (min) / -inf (max), so epoch 0 always improves;
- each epoch adds 1 to `wait`; an improvement sets best and best_epoch and resets `wait` to 0;
- when wait >= patience training stops after that epoch (`stopped_epoch`): later epochs never run, so
  they can never change best_epoch;
- with restore_best_weights the weights of best_epoch are restored at the stop (tf.keras 2.x restores only
  on a stop; without a stop the last epoch's weights are kept and `restored_epoch` is None).

Epochs are 0-based here, as in Keras's `epoch` argument. Run from the repository root:

    /usr/bin/python3 scripts/reference/early_stopping.py
"""

import json
import math
import os
import sys

# The lab's default curve: syntheticCurves(1).val from components/widgets/normalization-lab/model.ts.
DEFAULT_CURVE = [2.35, 1.969, 1.666, 1.473, 1.276, 1.112, 0.998, 0.903, 0.846, 0.728, 0.675, 0.649,
                 0.611, 0.552, 0.57, 0.53, 0.452, 0.485, 0.52, 0.468, 0.505, 0.487, 0.491, 0.498,
                 0.477, 0.462, 0.518, 0.508, 0.513, 0.54, 0.553, 0.543, 0.599, 0.563, 0.609, 0.627,
                 0.624, 0.657, 0.636, 0.688]
CHAPTER_CURVE = [2.1, 1.85, 1.72, 1.68, 1.69, 1.7, 1.71]


def early_stopping(history, patience, min_delta=0.0, mode='min'):
    """Run the callback over `history` and return what it decided."""
    best = math.inf if mode == 'min' else -math.inf
    best_epoch = -1
    wait = 0
    stopped_epoch = None
    improved = []
    for epoch, current in enumerate(history):
        wait += 1
        better = current < best - min_delta if mode == 'min' else current > best + min_delta
        improved.append(better)
        if better:
            best = current
            best_epoch = epoch
            wait = 0
        elif wait >= patience:
            stopped_epoch = epoch
            break  # model.stop_training = True: no later epoch runs
    return {
        'stopped_epoch': stopped_epoch,
        'epochs_run': len(improved),
        'best_epoch': best_epoch,
        'best_value': best,
        'wait': wait,
        'improved': improved,
        'restored_epoch': best_epoch if stopped_epoch is not None else None,
    }


CASES = [
    # the defect as reported: default curve, patience 2, min_delta 0.5
    (DEFAULT_CURVE, 2, 0.5, 'min'),
    (DEFAULT_CURVE, 5, 0.0, 'min'),
    (DEFAULT_CURVE, 3, 0.01, 'min'),
    (DEFAULT_CURVE, 10, 0.0, 'min'),
    (DEFAULT_CURVE, 1, 0.1, 'min'),
    (DEFAULT_CURVE, 100, 0.0, 'min'),
    # typed by hand in the lab: 1 and 0.5 come after the stop and must not become the best
    ([3, 2.9, 2.8, 1, 0.5], 2, 0.5, 'min'),
    ([3, 2.9, 2.8, 1, 0.5], 3, 0.5, 'min'),
    ([3, 2.9, 2.8, 1, 0.5], 2, 0.0, 'min'),
    (CHAPTER_CURVE, 3, 0.0, 'min'),
    (CHAPTER_CURVE, 4, 0.0, 'min'),
    (CHAPTER_CURVE, 2, 0.05, 'min'),
    # ties never improve; an improvement by exactly min_delta does not count
    ([1, 0.9, 0.9, 0.9, 0.5], 3, 0.0, 'min'),
    ([1, 0.5, 0.25, 0.0], 2, 0.25, 'min'),
    ([1, 0.95, 0.85, 0.8], 2, 0.1, 'min'),
    ([5], 1, 0.0, 'min'),
    # mode 'max' (an accuracy)
    ([0.5, 0.6, 0.55, 0.58, 0.9], 2, 0.0, 'max'),
    ([0.5, 0.6, 0.65, 0.7, 0.71], 2, 0.05, 'max'),
]


def main():
    out = {
        'meta': {
            'reference': 'scripts/reference/early_stopping.py (keras.callbacks.EarlyStopping semantics)',
            'python': sys.version.split()[0],
        },
        'early_stopping': [
            {'history': h, 'patience': p, 'min_delta': d, 'mode': m, **early_stopping(h, p, d, m)}
            for h, p, d, m in CASES
        ],
    }
    path = os.path.join('tests', 'golden', 'lib', 'early_stopping.json')
    with open(path, 'w') as f:
        json.dump(out, f, indent=1)
        f.write('\n')
    print(f'wrote {path} ({len(CASES)} cases)')


if __name__ == '__main__':
    main()

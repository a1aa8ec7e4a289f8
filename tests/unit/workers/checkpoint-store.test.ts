import { describe, expect, test } from 'vitest';
import { CheckpointStore, type SlotStorage } from '../../../src/workers/training/checkpoint-store';
import { SLOT_BUSY, withSlot, type LockManagerLike } from '../../../src/workers/training/slot-lock';
import { CHECKPOINT_KEY, SUMMARY_KEY } from '../../../src/workers/protocol';
import type { Checkpoint } from '../../../src/model/checkpoint';
import { makeConfig } from '../../../src/model/config';

const ckpt = {
  step: 40,
  config: makeConfig('tiny'),
  history: { steps: new Int32Array(0), losses: new Float32Array(0), evals: [{ step: 0, train: 4, val: 4 }] },
} as unknown as Checkpoint;

/** A storage that records transactions; `hang` makes every call wait forever (an IndexedDB that never answers). */
function fakeStorage(hang = false) {
  const data = new Map<string, unknown>();
  const transactions: string[][] = [];
  const never = new Promise<never>(() => undefined);
  const storage: SlotStorage = {
    get: async (k) => (hang ? never : data.get(k)),
    setMany: async (entries) => {
      if (hang) return never;
      transactions.push(entries.map(([k]) => k));
      for (const [k, v] of entries) data.set(k, v);
    },
    delMany: async (keys) => {
      if (hang) return never;
      transactions.push(keys);
      for (const k of keys) data.delete(k);
    },
  };
  return { storage, data, transactions };
}

describe('CheckpointStore', () => {
  test('writes the checkpoint and its summary in ONE transaction', async () => {
    const { storage, data, transactions } = fakeStorage();
    const msg = await new CheckpointStore(storage).save(ckpt);
    expect(msg).toEqual({ type: 'saved', step: 40 });
    expect(transactions).toEqual([[CHECKPOINT_KEY, SUMMARY_KEY]]);
    expect(data.get(SUMMARY_KEY)).toMatchObject({ step: 40, evals: [{ step: 0, train: 4, val: 4 }] });
  });

  test('an IndexedDB that never answers: the save gives up after the timeout and training continues unsaved', async () => {
    const { storage } = fakeStorage(true);
    const store = new CheckpointStore(storage, 50);
    const msg = await store.save(ckpt);
    expect(msg).toMatchObject({ type: 'save-failed', step: 40 });
    expect(msg.type === 'save-failed' && msg.message).toMatch(
      /did not answer within 0 s\)\. Training continues, unsaved: export the weights/,
    );
    const loaded = await store.load();
    expect(loaded.ckpt).toBeNull();
    expect(loaded.warning).toMatch(/could not be read \(IndexedDB did not answer.*starting fresh/);
    await expect(store.clear()).resolves.toBeUndefined();
  });

  test('the idb fault refuses writes as a full disk would', async () => {
    const { storage, transactions } = fakeStorage();
    const store = new CheckpointStore(storage);
    store.breakWrites();
    const msg = await store.save(ckpt);
    expect(msg.type === 'save-failed' && msg.message).toMatch(/storage is full/);
    expect(transactions).toEqual([]);
  });

  test('a damaged checkpoint is reported and not used', async () => {
    const { storage, data } = fakeStorage();
    data.set(CHECKPOINT_KEY, { format: 'something else' });
    const loaded = await new CheckpointStore(storage).load();
    expect(loaded).toEqual({ ckpt: null, warning: expect.stringMatching(/damaged \(not a GPT checkpoint/) });
  });
});

describe('withSlot: one run owns the checkpoint slot at a time', () => {
  /** A LockManager with one holder per name, like navigator.locks with ifAvailable. */
  function fakeLocks(): LockManagerLike {
    const held = new Set<string>();
    return {
      async request(name, _opts, callback) {
        if (held.has(name)) return callback(null);
        held.add(name);
        try {
          return await callback({ name });
        } finally {
          held.delete(name);
        }
      },
    };
  }

  test('a second run is refused with a plain sentence while the first trains, and runs after it', async () => {
    const locks = fakeLocks();
    let release!: () => void;
    const first = withSlot(locks, () => new Promise<string>((r) => (release = () => r('first done'))));
    await expect(withSlot(locks, async () => 'second')).rejects.toThrow(SLOT_BUSY);
    release();
    await expect(first).resolves.toBe('first done');
    await expect(withSlot(locks, async () => 'second')).resolves.toBe('second');
  });

  test('without the Web Locks API the run proceeds', async () => {
    await expect(withSlot(undefined, async () => 7)).resolves.toBe(7);
  });
});

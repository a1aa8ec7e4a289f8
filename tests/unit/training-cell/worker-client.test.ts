import { describe, expect, test } from 'vitest';
import { MAX_RECOVERIES, WorkerClient } from '../../../components/training-cell/worker-client';
import type { FromWorker, ToWorker } from '../../../src/workers/protocol';

/** A stand-in for a module Worker: records what it is sent, replies on demand. */
class FakeWorker {
  sent: ToWorker[] = [];
  terminated = false;
  onmessage: ((e: MessageEvent<FromWorker>) => void) | null = null;
  onerror: ((e: ErrorEvent) => void) | null = null;
  private listeners = new Set<(e: MessageEvent<FromWorker>) => void>();
  postMessage(msg: ToWorker): void {
    this.sent.push(msg);
  }
  terminate(): void {
    this.terminated = true;
  }
  addEventListener(_t: 'message', f: (e: MessageEvent<FromWorker>) => void): void {
    this.listeners.add(f);
  }
  removeEventListener(_t: 'message', f: (e: MessageEvent<FromWorker>) => void): void {
    this.listeners.delete(f);
  }
  reply(data: FromWorker): void {
    const e = { data } as MessageEvent<FromWorker>;
    this.onmessage?.(e);
    for (const f of [...this.listeners]) f(e);
  }
  crash(message: string): void {
    this.onerror?.({ message, preventDefault: () => undefined } as ErrorEvent);
  }
}

function setup() {
  const workers: FakeWorker[] = [];
  const seen: FromWorker[] = [];
  const crashes: string[] = [];
  let starts = 0;
  const client = new WorkerClient(
    () => {
      const w = new FakeWorker();
      workers.push(w);
      return w as unknown as Worker;
    },
    { onMessage: (m) => seen.push(m), onCrash: (r) => crashes.push(r), onStart: () => starts++ },
  );
  return { client, workers, seen, crashes, starts: () => starts };
}

describe('WorkerClient', () => {
  test('starts one worker lazily, sends init first, and forwards messages', () => {
    const { client, workers, seen, starts } = setup();
    expect(client.started).toBe(false);
    client.send({ type: 'pause' });
    client.send({ type: 'resume' });
    expect(workers).toHaveLength(1);
    expect(workers[0].sent.map((m) => m.type)).toEqual(['init', 'pause', 'resume']);
    expect(starts()).toBe(1);
    workers[0].reply({ type: 'log', text: 'hi' });
    expect(seen).toEqual([{ type: 'log', text: 'hi' }]);
  });

  test('request resolves with its reply and rejects with the worker’s error for that message', async () => {
    const { client, workers } = setup();
    const ok = client.request({ type: 'kernel-check' }, 'kernel-check');
    workers[0].reply({ type: 'log', text: 'unrelated' });
    workers[0].reply({ type: 'kernel-check', results: [] });
    await expect(ok).resolves.toEqual({ type: 'kernel-check', results: [] });
    const bad = client.request({ type: 'kernel-check' }, 'kernel-check');
    workers[0].reply({ type: 'error', message: 'other', during: 'train' });
    workers[0].reply({ type: 'error', message: 'no GPU', during: 'kernel-check' });
    await expect(bad).rejects.toThrow('no GPU');
  });

  test('a crash discards the worker, reports why, and the next send starts a fresh one', () => {
    const { client, workers, crashes } = setup();
    client.send({ type: 'stop' });
    workers[0].crash('boom');
    expect(workers[0].terminated).toBe(true);
    expect(crashes).toEqual(['The training worker crashed (boom).']);
    expect(client.started).toBe(false);
    client.send({ type: 'stop' });
    expect(workers).toHaveLength(2);
  });

  test('recovers a running run at most MAX_RECOVERIES times, and never an idle one', () => {
    const { client } = setup();
    expect(client.tryRecover(false)).toBe(false);
    const tries = Array.from({ length: MAX_RECOVERIES + 1 }, () => client.tryRecover(true));
    expect(tries).toEqual([...Array(MAX_RECOVERIES).fill(true), false]);
    client.resetRecoveries();
    expect(client.tryRecover(true)).toBe(true);
  });
});

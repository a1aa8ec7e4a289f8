/**
 * Watching a GPU device: a lost device (driver reset, GPU process crash, or the injected fault) is reported
 * once, so the page can replace the worker and resume from the last checkpoint. Engine-neutral: any engine
 * that computes on a GPUDevice hands it here.
 */
import { post } from './post';

/** Set by the 'device-lost' fault: a destroyed device is then reported like a real loss. */
let injected = false;
const watched = new WeakSet<GPUDevice>();

/** True after the device-lost fault was injected (nothing can be read back from the GPU any more). */
export function deviceLossInjected(): boolean {
  return injected;
}

/** Report the device's loss with `onLost()` first (stop the run), then a 'device-lost' message. */
export function watchDevice(device: GPUDevice | undefined, onLost: () => void): void {
  if (!device || watched.has(device)) return;
  watched.add(device);
  void device.lost.then((info) => {
    if (info.reason === 'destroyed' && !injected) return;
    onLost();
    post({ type: 'device-lost', message: info.message || 'the GPU device was lost' });
  });
}

/** The 'device-lost' fault: destroy the device as a driver reset would. */
export function loseDevice(device: GPUDevice | undefined): void {
  if (!device) throw new Error('no GPU device to lose on this backend.');
  injected = true;
  device.destroy();
}

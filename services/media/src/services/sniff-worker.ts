import { fileTypeFromBuffer } from 'file-type';
import { parentPort } from 'node:worker_threads';

/**
 * Runs file-type on the first bytes of an upload, in a worker thread: a parser that loops on
 * crafted input (CVE-2026-31808 and its kin) spins here, where the sniffer can terminate it,
 * never on the event loop that serves requests. file-type is ESM-only; Node ≥ 20.19 loads it
 * with require() (tsconfig `module: node20`). Says it is ready once loaded: the sniffer's time
 * budget is for parsing, not for loading.
 */
parentPort!.on('message', async ({ id, bytes }: { id: number; bytes: Uint8Array }) => {
  try {
    const type = await fileTypeFromBuffer(bytes);
    parentPort!.postMessage({ id, type: type ? { ext: type.ext, mime: type.mime } : null });
  } catch {
    parentPort!.postMessage({ id, type: null });
  }
});

parentPort!.postMessage({ ready: true });

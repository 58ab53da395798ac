/**
 * Scan workers: a tree scan spreads its files over worker threads, one per core, so reading and
 * matching use every core. A worker is this same bundle started again with a marker in
 * `workerData` (entry points call `runWorkerIfAsked()` first), so the actions and the CLI need no
 * second file. A worker that overruns a file's time budget is ended and replaced: one pathological
 * file (a configured regex that backtracks) cannot stall the scan. Where workers cannot start (the
 * test runner loads TypeScript sources), the scan runs in the main thread.
 */
import * as os from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { scanFileSync, type FileJob, type FileOutcome } from './file-scan.js';
import { ruleSetup } from './ruleset.js';
import type { SecretsConfig } from './types.js';

const MARKER = 'imagepipe-secrets-worker';

interface WorkerInit {
  [MARKER]: true;
  config?: SecretsConfig;
}

/** In a scan worker: serve jobs and return true. Elsewhere: false. */
export function runWorkerIfAsked(): boolean {
  const init = workerData as WorkerInit | undefined;
  if (isMainThread || !parentPort || init?.[MARKER] !== true) return false;
  const { set } = ruleSetup(init.config);
  const port = parentPort;
  port.on('message', (job: FileJob & { id: number }) => {
    port.postMessage({ id: job.id, outcome: scanFileSync(job, set) });
  });
  return true;
}

/** The script a worker runs: this bundle, when running from one. */
function workerScript(): string | undefined {
  const file = fileURLToPath(import.meta.url);
  return file.endsWith('.js') || file.endsWith('.mjs') ? file : undefined;
}

interface Slot {
  worker: Worker;
  busy?: { id: number; job: FileJob; timer: NodeJS.Timeout; resolve: (o: FileOutcome) => void };
}

export class ScanPool {
  private readonly slots: Slot[] = [];
  private readonly queue: { job: FileJob; resolve: (o: FileOutcome) => void }[] = [];
  private nextId = 0;
  private closed = false;

  private constructor(
    private readonly script: string,
    private readonly config: SecretsConfig | undefined,
    size: number,
  ) {
    for (let i = 0; i < size; i++) this.slots.push(this.spawn());
  }

  /** A pool of `size` workers (default: one per core), or undefined where workers cannot run. */
  static create(config: SecretsConfig | undefined, size = os.availableParallelism()): ScanPool | undefined {
    const script = workerScript();
    if (!script || size < 1 || process.env.IMAGEPIPE_WORKERS === '0') return undefined;
    const wanted = Number(process.env.IMAGEPIPE_WORKERS) || size;
    return new ScanPool(script, config, Math.min(wanted, 8));
  }

  get size(): number {
    return this.slots.length;
  }

  private spawn(): Slot {
    const init: WorkerInit = { [MARKER]: true, ...(this.config ? { config: this.config } : {}) };
    const worker = new Worker(this.script, { workerData: init, stdout: false, stderr: false });
    const slot: Slot = { worker };
    worker.on('message', ({ id, outcome }: { id: number; outcome: FileOutcome }) => {
      if (slot.busy?.id !== id) return;
      clearTimeout(slot.busy.timer);
      const { resolve } = slot.busy;
      slot.busy = undefined;
      resolve(outcome);
      this.pump();
    });
    worker.on('error', (error) =>
      this.replace(slot, { kind: 'unreadable', message: `the scan worker failed: ${error.message}` }),
    );
    worker.unref();
    return slot;
  }

  /** Ends a worker (crashed, or over a file's budget), answers its job, and starts another. */
  private replace(slot: Slot, outcome: FileOutcome): void {
    const busy = slot.busy;
    slot.busy = undefined;
    if (busy) clearTimeout(busy.timer);
    void slot.worker.terminate();
    const index = this.slots.indexOf(slot);
    if (index !== -1 && !this.closed) this.slots[index] = this.spawn();
    busy?.resolve(outcome);
    this.pump();
  }

  private pump(): void {
    for (const slot of this.slots) {
      if (slot.busy || this.queue.length === 0) continue;
      const { job, resolve } = this.queue.shift()!;
      const id = this.nextId++;
      // The worker checks the budget itself between rules and matches; this catches a single regex
      // that never returns. Twice the budget plus start-up slack, then the worker is ended.
      const timer = setTimeout(
        () =>
          this.replace(slot, {
            kind: 'scanned',
            bytes: 0,
            findings: [],
            allowlisted: 0,
            overBudget: true,
          }),
        job.budgetMs * 2 + 1000,
      );
      slot.busy = { id, job, timer, resolve };
      slot.worker.postMessage({ ...job, id });
    }
  }

  scan(job: FileJob): Promise<FileOutcome> {
    return new Promise((resolve) => {
      this.queue.push({ job, resolve });
      this.pump();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}

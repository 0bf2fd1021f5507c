// Wakes claims that are waiting for work (the long-poll of remote workers, the poll of in-process ones)
// the moment a job is admitted or requeued in this process. Jobs admitted by another api process are
// found by the waiters' periodic look instead.
export class JobSignal {
  private waiters = new Set<() => void>();

  notify(): void {
    const now = this.waiters;
    this.waiters = new Set();
    for (const w of now) w();
  }

  /** Resolves on the next notify(), after `ms`, or when `signal` aborts, whichever is first. */
  wait(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        this.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal?.addEventListener('abort', done);
      this.waiters.add(done);
    });
  }
}

/** What waiting for the current answer needs of it. */
export interface StoppableRun {
  stop(): void;
  readonly finished: Promise<unknown>;
}

/**
 * Starts a run only when none is running, stopping the current one (and any that started while waiting) first.
 * The last check and `start` happen with nothing awaited between them, so two callers never both start.
 */
export async function startWhenIdle<T>(current: () => StoppableRun | undefined, start: () => T): Promise<T> {
  for (let run = current(); run; run = current()) {
    run.stop();
    await run.finished;
  }
  return start();
}

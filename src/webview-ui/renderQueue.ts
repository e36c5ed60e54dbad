// Rendering that would block the view is done in steps, a few milliseconds per task, newest request first.

/** A piece of work done in steps: each call does a little and says whether it is finished. */
export type RenderStep = () => boolean;

/** One task renders for about this long, then lets the view handle input and paint (a long task is over 50 ms). */
const TASK_BUDGET_MS = 5;

const pending: RenderStep[] = [];
let scheduled = false;

/** Adds work; the latest added runs first (what was asked last is what is on screen). */
export function enqueueRender(step: RenderStep): void {
  pending.push(step);
  schedule();
}

function schedule(): void {
  if (scheduled) return;
  scheduled = true;
  // A message, not a timer: no clamping to 4 ms after a few nested timers, and it runs in a background view too.
  const channel = new MessageChannel();
  channel.port1.onmessage = () => {
    scheduled = false;
    runFor(TASK_BUDGET_MS);
  };
  channel.port2.postMessage(0);
}

function runFor(budgetMs: number): void {
  const started = performance.now();
  while (pending.length > 0 && performance.now() - started < budgetMs) {
    const step = pending[pending.length - 1];
    if (step()) pending.splice(pending.lastIndexOf(step), 1);
  }
  if (pending.length > 0) schedule();
}

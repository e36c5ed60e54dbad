import * as assert from 'assert';
import type { StoppableRun } from '../../../src/chat/exclusiveRun';
import { startWhenIdle } from '../../../src/chat/exclusiveRun';

/** Runs that end when stopped, counting how many run at once. */
class Runner {
  current: (StoppableRun & { readonly name: string }) | undefined;
  running = 0;
  most = 0;
  readonly started: string[] = [];

  start(name: string): void {
    let end!: () => void;
    const finished = new Promise<void>((resolve) => (end = resolve));
    const run = {
      name,
      finished,
      stop: (): void => {
        // Ends a little later, like a request that needs a moment to close.
        setImmediate(() => {
          this.running -= 1;
          if (this.current === run) this.current = undefined;
          end();
        });
      },
    };
    this.running += 1;
    this.most = Math.max(this.most, this.running);
    this.current = run;
    this.started.push(name);
  }
}

describe('one answer at a time', () => {
  it('two questions asked at once never run together: the later one stops the earlier', async () => {
    const runner = new Runner();
    runner.start('streaming');
    await Promise.all([
      startWhenIdle(() => runner.current, () => runner.start('first')),
      startWhenIdle(() => runner.current, () => runner.start('second')),
    ]);
    assert.strictEqual(runner.most, 1, 'two answers ran at the same time');
    assert.strictEqual(runner.current?.name, 'second');
    assert.deepStrictEqual(runner.started, ['streaming', 'first', 'second']);
  });

  it('stops an answer that started while it waited', async () => {
    const runner = new Runner();
    runner.start('streaming');
    // A question sent from the view as soon as the first answer ended, before the ask went on; the view's path
    // checks too, so it starts only because nothing runs at that moment.
    void runner.current?.finished.then(() => {
      if (!runner.current) runner.start('sent from the view');
    });
    await startWhenIdle(() => runner.current, () => runner.start('asked'));
    assert.strictEqual(runner.most, 1, 'two answers ran at the same time');
    assert.strictEqual(runner.current?.name, 'asked');
    assert.deepStrictEqual(runner.started, ['streaming', 'sent from the view', 'asked']);
  });

  it('starts at once when nothing runs', async () => {
    const runner = new Runner();
    await startWhenIdle(() => runner.current, () => runner.start('only'));
    assert.deepStrictEqual(runner.started, ['only']);
  });
});

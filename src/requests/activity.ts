import * as vscode from 'vscode';
import type { Usage } from '../api/index';

/** Requests under way and this session's token usage, for the status bar and anything else that shows activity. */
export class ActivityTracker implements vscode.Disposable {
  private running = 0;
  private readonly usage = { requests: 0, inputTokens: 0, outputTokens: 0, reasoningTokens: 0, totalTokens: 0 };
  private readonly changeEmitter = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changeEmitter.event;

  get activeRequests(): number {
    return this.running;
  }

  get sessionUsage(): Readonly<typeof this.usage> {
    return this.usage;
  }

  /** Marks a request as running until the promise settles, and adds its usage when it reports one. */
  async track<T extends { usage?: Usage }>(request: Promise<T>): Promise<T> {
    this.running++;
    this.changeEmitter.fire();
    try {
      const result = await request;
      this.recordUsage(result.usage);
      return result;
    } finally {
      this.running--;
      this.changeEmitter.fire();
    }
  }

  recordUsage(usage: Usage | undefined): void {
    // A relay that sends an all-zero usage object reported nothing: counting it would understate every average.
    if (!usage || usage.inputTokens + usage.outputTokens + usage.totalTokens === 0) {
      return;
    }
    this.usage.requests++;
    this.usage.inputTokens += usage.inputTokens;
    this.usage.outputTokens += usage.outputTokens;
    this.usage.reasoningTokens += usage.reasoningTokens ?? 0;
    this.usage.totalTokens += usage.totalTokens;
    this.changeEmitter.fire();
  }

  dispose(): void {
    this.changeEmitter.dispose();
  }
}

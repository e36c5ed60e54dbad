import * as vscode from 'vscode';
import type { OffsetSpan } from './rangeTracking';
import { shiftSpanThrough } from './rangeTracking';

/**
 * Follows a range of a document while a request runs, so the answer lands on the same code even when the user
 * keeps typing elsewhere; `span` turns undefined when an edit touched the range itself.
 */
export class TrackedSpan implements vscode.Disposable {
  private current: OffsetSpan | undefined;
  private readonly subscription: vscode.Disposable;

  constructor(
    readonly document: vscode.TextDocument,
    range: vscode.Range,
  ) {
    this.current = { start: document.offsetAt(range.start), end: document.offsetAt(range.end) };
    this.subscription = vscode.workspace.onDidChangeTextDocument((event) => {
      if (event.document === this.document && event.contentChanges.length > 0) {
        this.current = shiftSpanThrough(this.current, event.contentChanges);
      }
    });
  }

  /** The range now, if the code is still known to be where it was. */
  get range(): vscode.Range | undefined {
    if (!this.current || this.document.isClosed) {
      return undefined;
    }
    return new vscode.Range(this.document.positionAt(this.current.start), this.document.positionAt(this.current.end));
  }

  dispose(): void {
    this.subscription.dispose();
  }
}

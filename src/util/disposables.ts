import type * as vscode from 'vscode';

/** Owns disposables and disposes them together, last added first (one store instead of hand-written loops). */
export class DisposableStore implements vscode.Disposable {
  private readonly items: vscode.Disposable[] = [];
  private disposed = false;

  /** Takes ownership of `item` and returns it; an item added after dispose() is disposed at once. */
  add<T extends vscode.Disposable>(item: T): T {
    if (this.disposed) {
      item.dispose();
    } else {
      this.items.push(item);
    }
    return item;
  }

  dispose(): void {
    this.disposed = true;
    for (const item of this.items.splice(0).reverse()) {
      try {
        item.dispose();
      } catch {
        // One failing disposal must not keep the others alive.
      }
    }
  }
}

// Where Select Model writes the model: plain data in, a place out (no vscode), so every case is unit-tested.

/** What choosing the place needs to know about the window. */
export interface ModelTargetFacts {
  /** How many folders are open. */
  readonly folderCount: number;
  readonly trusted: boolean;
  /** A multi-root workspace: its `.code-workspace` file's name, or `untitled` when it was never saved. */
  readonly workspaceFile?: { readonly untitled: boolean; readonly name: string };
  /** The folder of the file the next request is about, and whether that folder's own settings choose the model. */
  readonly folder?: { readonly name: string; readonly setsModel: boolean };
}

/** Where the model takes effect for the file the next request is about. */
export type ModelTarget =
  /** The user's settings: no folder is open, or the workspace is not trusted and its choice of model is ignored. */
  | { readonly kind: 'user'; readonly untrusted: boolean }
  /** One folder open: its `.vscode/settings.json`, which VS Code calls the workspace settings. */
  | { readonly kind: 'workspaceSettings' }
  /** A saved multi-root workspace: its `.code-workspace` file. */
  | { readonly kind: 'workspaceFile'; readonly fileName: string }
  /** A multi-root workspace never saved to a file. */
  | { readonly kind: 'untitledWorkspace' }
  /** A folder of a multi-root workspace that sets its own model: its value wins over the workspace's. */
  | { readonly kind: 'folder'; readonly folderName: string };

/**
 * The place where a newly picked model is the one the next request reads: a folder's own value wins over the
 * workspace's, and an untrusted workspace's values are ignored (`TRUST_BOUND_SETTINGS`), so those cases write
 * elsewhere than the workspace settings.
 */
export function chooseModelTarget(facts: ModelTargetFacts): ModelTarget {
  if (facts.folderCount === 0 && !facts.workspaceFile) {
    return { kind: 'user', untrusted: false };
  }
  if (!facts.trusted) {
    return { kind: 'user', untrusted: true };
  }
  if (!facts.workspaceFile) {
    return { kind: 'workspaceSettings' };
  }
  if (facts.folder?.setsModel) {
    return { kind: 'folder', folderName: facts.folder.name };
  }
  return facts.workspaceFile.untitled ? { kind: 'untitledWorkspace' } : { kind: 'workspaceFile', fileName: facts.workspaceFile.name };
}

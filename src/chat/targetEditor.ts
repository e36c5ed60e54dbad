/** The part of an editor that choosing where code goes needs (plain data, so it is unit-tested without VS Code). */
export interface EditorLike<D> {
  readonly document: D & { readonly isClosed: boolean };
}

/**
 * Where Insert at Cursor / Replace Selection write: the editor the user last worked in while it is still shown, or
 * another visible editor of the same document. Never some other file: when that editor is gone there is none.
 */
export function pickTargetEditor<D, E extends EditorLike<D>>(last: E | undefined, visible: readonly E[]): E | undefined {
  if (!last || last.document.isClosed) return undefined;
  if (visible.includes(last)) return last;
  return visible.find((editor) => editor.document === last.document);
}

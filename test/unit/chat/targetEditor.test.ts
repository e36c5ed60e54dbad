import * as assert from 'assert';
import { pickTargetEditor } from '../../../src/chat/targetEditor';

interface Doc {
  readonly name: string;
  isClosed: boolean;
}

function editor(document: Doc): { readonly document: Doc } {
  return { document };
}

describe('where Insert at Cursor and Replace Selection write', () => {
  const mine: Doc = { name: 'src/mine.ts', isClosed: false };
  const other: Doc = { name: 'src/other.ts', isClosed: false };

  it('writes into the editor the user last worked in while it is shown', () => {
    const last = editor(mine);
    const visible = [editor(other), last];
    assert.strictEqual(pickTargetEditor(last, visible), last);
  });

  it('uses another visible editor of the same file when the last one was replaced', () => {
    const last = editor(mine);
    const sameFile = editor(mine);
    assert.strictEqual(pickTargetEditor(last, [editor(other), sameFile]), sameFile);
  });

  it('refuses rather than edit a different file when the last editor is gone', () => {
    const last = editor(mine);
    assert.strictEqual(pickTargetEditor(last, [editor(other)]), undefined);
    assert.strictEqual(pickTargetEditor(last, []), undefined);
    assert.strictEqual(pickTargetEditor(undefined, [editor(other)]), undefined);
  });

  it('refuses when the last file was closed', () => {
    const closed: Doc = { name: 'src/closed.ts', isClosed: true };
    const last = editor(closed);
    assert.strictEqual(pickTargetEditor(last, [last]), undefined);
  });
});

import * as assert from 'node:assert/strict';
import { chooseModelTarget } from '../../../src/config/modelTarget';

describe('config: where Select Model writes the model', () => {
  const saved = { untitled: false, name: 'project.code-workspace' };
  const untitled = { untitled: true, name: 'workspace.json' };

  it('writes to the user settings when no folder is open', () => {
    assert.deepEqual(chooseModelTarget({ folderCount: 0, trusted: true }), { kind: 'user', untrusted: false });
  });

  it('writes to .vscode/settings.json when one folder is open', () => {
    assert.deepEqual(chooseModelTarget({ folderCount: 1, trusted: true }), { kind: 'workspaceSettings' });
    assert.deepEqual(
      chooseModelTarget({ folderCount: 1, trusted: true, folder: { name: 'app', setsModel: true } }),
      { kind: 'workspaceSettings' },
      'a single folder’s settings are the workspace settings',
    );
  });

  it('writes to the folder when a folder of a multi-root workspace sets its own model, naming the folder', () => {
    assert.deepEqual(
      chooseModelTarget({ folderCount: 2, trusted: true, workspaceFile: saved, folder: { name: 'backend', setsModel: true } }),
      { kind: 'folder', folderName: 'backend' },
    );
    assert.deepEqual(
      chooseModelTarget({ folderCount: 2, trusted: true, workspaceFile: untitled, folder: { name: 'backend', setsModel: true } }),
      { kind: 'folder', folderName: 'backend' },
    );
  });

  it('writes to the saved workspace file when the active file’s folder does not set a model, or there is no file', () => {
    assert.deepEqual(
      chooseModelTarget({ folderCount: 2, trusted: true, workspaceFile: saved, folder: { name: 'web', setsModel: false } }),
      { kind: 'workspaceFile', fileName: 'project.code-workspace' },
    );
    assert.deepEqual(chooseModelTarget({ folderCount: 2, trusted: true, workspaceFile: saved }), { kind: 'workspaceFile', fileName: 'project.code-workspace' });
    assert.deepEqual(chooseModelTarget({ folderCount: 0, trusted: true, workspaceFile: saved }), { kind: 'workspaceFile', fileName: 'project.code-workspace' });
  });

  it('names an untitled multi-root workspace as such, not as .vscode/settings.json', () => {
    assert.deepEqual(chooseModelTarget({ folderCount: 2, trusted: true, workspaceFile: untitled }), { kind: 'untitledWorkspace' });
    assert.deepEqual(
      chooseModelTarget({ folderCount: 2, trusted: true, workspaceFile: untitled, folder: { name: 'web', setsModel: false } }),
      { kind: 'untitledWorkspace' },
    );
  });

  it('writes to the user settings in an untrusted workspace, whose choice of model is ignored', () => {
    for (const facts of [
      { folderCount: 1, trusted: false },
      { folderCount: 2, trusted: false, workspaceFile: saved, folder: { name: 'backend', setsModel: true } },
      { folderCount: 2, trusted: false, workspaceFile: untitled },
    ]) {
      assert.deepEqual(chooseModelTarget(facts), { kind: 'user', untrusted: true }, JSON.stringify(facts));
    }
  });
});

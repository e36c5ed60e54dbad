import type { FrameLocator } from 'playwright-core';
import { waitFor } from '../../scripts/harness/proc';
import type { Workbench } from './support/workbench';
import { useWorkbench } from './support/workbench';

// A saved multi-root workspace whose first folder chooses its own model: the chat's empty state and the status bar
// must name the model the next request uses, that of the editor the user last worked in, as editors switch.
describe('Chat view in a multi-root workspace (development build)', () => {
  const workbench = useWorkbench({
    extension: 'development',
    workspaceFile: 'anyapi.code-workspace',
    files: {
      'anyapi.code-workspace': `${JSON.stringify({ folders: [{ path: 'app' }, { path: 'lib' }], settings: { 'anyapi.model': 'model-of-the-workspace' } }, null, 2)}\n`,
      'app/.vscode/settings.json': '{ "anyapi.model": "model-of-app" }\n',
      'app/in-app.ts': 'export const a = 1;\n',
      'lib/in-lib.ts': 'export const b = 2;\n',
    },
  });
  const MS = 30_000;

  function chat(wb: Workbench): FrameLocator {
    return wb.webview();
  }

  async function shows(wb: Workbench, model: string): Promise<void> {
    await waitFor(`the chat's empty state names ${model}`, MS, async () => (await chat(wb).locator('.empty-state').innerText()).includes(model));
    await wb.page.locator(`.part.statusbar [aria-label="AnyAPI model ${model}"]`).first().waitFor({ state: 'visible', timeout: MS });
  }

  it('the empty state and the status bar follow the editor’s folder: its own model, else the workspace file’s', async () => {
    const wb = workbench();
    await wb.openView('AnyAPI');
    const setKey = chat(wb).getByRole('button', { name: 'Set API Key' });
    await setKey.waitFor({ state: 'visible', timeout: 60_000 });
    await setKey.click();
    await wb.answerInputBox('sk-test-multiroot-ui-5521', { password: true });
    await wb.openFile('in-app.ts');
    await shows(wb, 'model-of-app');
    await wb.screenshot('chat-multiroot-folder-model');
    await wb.openFile('in-lib.ts');
    await shows(wb, 'model-of-the-workspace');
    await wb.openFile('in-app.ts');
    await shows(wb, 'model-of-app');
    // With the chat focused, the last editor still decides.
    await chat(wb).getByRole('textbox', { name: 'Ask AnyAPI' }).click();
    await shows(wb, 'model-of-app');
  });
});

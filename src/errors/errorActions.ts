import * as vscode from 'vscode';
import { Command } from '../constants';
import type { DescribedError, ErrorAction } from './describeError';
import { actionLabel } from './describeError';
import { CHAT_ONLY_ACTIONS } from '../shared/protocol';

/** Carries out a next step offered with an error. `retry` is the caller's, so it is passed in. */
export async function runErrorAction(action: ErrorAction, retry?: () => unknown): Promise<void> {
  switch (action) {
    case 'setApiKey':
      await vscode.commands.executeCommand(Command.SetApiKey);
      return;
    case 'openBaseUrlSetting':
      await vscode.commands.executeCommand('workbench.action.openSettings', 'anyapi.baseUrl');
      return;
    case 'openProxySetting':
      await vscode.commands.executeCommand('workbench.action.openSettings', 'http.proxy');
      return;
    case 'selectModel': {
      const commands = await vscode.commands.getCommands(true);
      if (commands.includes(Command.SelectModel)) {
        await vscode.commands.executeCommand(Command.SelectModel);
      } else {
        await vscode.commands.executeCommand('workbench.action.openSettings', 'anyapi.model');
      }
      return;
    }
    case 'retry':
      await retry?.();
      return;
    case 'newChat':
      await vscode.commands.executeCommand(Command.NewChat);
      return;
    case 'retryFewerTurns':
      // Only the chat can leave turns out (src/chat/messageRouter.ts); elsewhere it is never offered.
      return;
    case 'showLog':
      await vscode.commands.executeCommand(Command.ShowLog);
      return;
  }
}

/** Shows a failure as an error notification whose buttons are its next steps. Does not wait for the user. */
export function showErrorNotification(error: DescribedError, retry?: () => unknown): void {
  const actions = error.actions.filter((action) => (action !== 'retry' || retry !== undefined) && !CHAT_ONLY_ACTIONS.has(action));
  const labels = actions.map(actionLabel);
  void vscode.window.showErrorMessage(error.message, ...labels).then((picked) => {
    const action = actions[labels.indexOf(picked ?? '')];
    if (action) {
      return runErrorAction(action, retry);
    }
    return undefined;
  });
}

import * as vscode from 'vscode';
import type { ResponseResult } from '../api/index';
import type { Services } from '../services';
import { abortOnCancel } from './preflight';

/**
 * Sends one prompt for Edit or Write behind a cancellable progress notification that counts what arrived.
 * Cancelling (the notification's button or `cancellation`) ends the request and closes the socket.
 */
export function requestWithProgress(
  services: Services,
  options: { title: string; prompt: string; scope: vscode.Uri; cancellation?: vscode.CancellationToken },
): Thenable<ResponseResult> {
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: options.title, cancellable: true },
    async (progress, token) => {
      const controller = new AbortController();
      const cancel = abortOnCancel(controller, token, options.cancellation);
      let received = 0;
      try {
        return await services.requests.send({
          input: [{ role: 'user', content: options.prompt }],
          scope: options.scope,
          signal: controller.signal,
          onDelta: (text) => {
            received += text.length;
            progress.report({ message: vscode.l10n.t('{0} characters received…', received) });
          },
        });
      } finally {
        cancel.dispose();
      }
    },
  );
}

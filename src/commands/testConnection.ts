import * as vscode from 'vscode';
import { Command } from '../constants';
import { readConfig } from '../config/config';
import type { Services } from '../services';
import { showErrorNotification } from '../errors/errorActions';
import { describeError } from '../errors/describeError';

/** What Test Connection found; returned to callers (tests, other commands) as well as shown. */
export interface TestConnectionResult {
  readonly ok: boolean;
  readonly message: string;
  readonly url?: string;
  readonly status?: number;
  readonly latencyMs?: number;
  readonly modelCount?: number;
  readonly maskedKey?: string;
  readonly errorKind?: string;
}

export async function testConnection(services: Services): Promise<TestConnectionResult> {
  const log = services.logger.forComponent('testConnection');
  const config = readConfig(vscode.window.activeTextEditor?.document.uri);
  let maskedKey: string;
  try {
    maskedKey = await services.requests.maskedKey();
  } catch (error) {
    const described = describeError(error, config.baseUrl);
    showErrorNotification(described);
    return { ok: false, message: described.message, errorKind: described.kind };
  }
  return vscode.window.withProgress(
    {
      location: vscode.ProgressLocation.Notification,
      title: vscode.l10n.t('Testing the connection to {0}…', config.baseUrl),
      cancellable: true,
    },
    async (_progress, token) => {
      const controller = new AbortController();
      const cancel = token.onCancellationRequested(() => controller.abort());
      try {
        const probe = await services.requests.probe({ scope: vscode.window.activeTextEditor?.document.uri, signal: controller.signal });
        const message = vscode.l10n.t(
          'Connected to {0}: HTTP {1} in {2} ms, {3} models available. Key {4}.',
          probe.url,
          probe.status,
          probe.latencyMs,
          probe.models.length,
          probe.maskedKey,
        );
        log.info(`OK ${probe.url} status=${probe.status} latency=${probe.latencyMs}ms models=${probe.models.length}`);
        void vscode.window.showInformationMessage(message);
        return {
          ok: true,
          message,
          url: probe.url,
          status: probe.status,
          latencyMs: probe.latencyMs,
          modelCount: probe.models.length,
          maskedKey: probe.maskedKey,
        };
      } catch (error) {
        const described = describeError(error, config.baseUrl);
        log.warn(`Failed: ${error instanceof Error ? error.message : String(error)}`);
        const status = typeof (error as { status?: unknown }).status === 'number' ? (error as { status: number }).status : undefined;
        const message = `${described.message} ${vscode.l10n.t('(Base URL {0}, key {1}.)', config.baseUrl, maskedKey)}`;
        if (described.kind !== 'aborted') {
          showErrorNotification({ ...described, message }, () => vscode.commands.executeCommand(Command.TestConnection));
        }
        return { ok: false, message, status, maskedKey, errorKind: described.kind, url: config.baseUrl };
      } finally {
        cancel.dispose();
      }
    },
  );
}

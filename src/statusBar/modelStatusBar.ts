import * as vscode from 'vscode';
import { readConfig } from '../config/config';
import { followActiveEditor, settingsScope } from '../config/settingsScope';
import { Command, CONFIG_SECTION } from '../constants';
import type { StartupServices } from '../services';
import { DisposableStore } from '../util/disposables';

/** What the status-bar item shows, for the extension's test surface. */
export interface ModelStatus {
  readonly text: string;
  readonly tooltip: string;
  readonly command: string | undefined;
}

/** The registered item: what it shows now, and the registrations to dispose. */
export interface ModelStatusBar extends vscode.Disposable {
  current(): ModelStatus;
}

/**
 * The status-bar item: the model the next request uses (read for the editor the user last worked in, as the chat
 * does), a spinner while a request runs, a warning while no key is set.
 */
export function registerModelStatusBar(services: Pick<StartupServices, 'activity' | 'keyStore'>): ModelStatusBar {
  const item = vscode.window.createStatusBarItem('anyapi.model', vscode.StatusBarAlignment.Right, 100);
  item.name = vscode.l10n.t('AnyAPI Model');
  item.command = Command.SelectModel;
  let hasKey = true;

  const update = (): void => {
    const config = readConfig(settingsScope());
    const busy = services.activity.activeRequests > 0;
    const icon = busy ? '$(loading~spin)' : hasKey ? '$(sparkle)' : '$(warning)';
    item.text = `${icon} ${config.model}`;
    item.backgroundColor = hasKey ? undefined : new vscode.ThemeColor('statusBarItem.warningBackground');
    item.command = hasKey ? Command.SelectModel : Command.SetApiKey;
    const usage = services.activity.sessionUsage;
    const tooltip = new vscode.MarkdownString(undefined, true);
    tooltip.isTrusted = { enabledCommands: [Command.GetStarted] };
    // The model id may come from a cloned repository's settings: shown as text, never as markdown.
    tooltip.appendMarkdown('**AnyAPI** · ');
    tooltip.appendText(config.model);
    tooltip.appendMarkdown('\n\n');
    if (!hasKey) {
      tooltip.appendMarkdown(vscode.l10n.t('No API key is set: click to set one.') + '\n\n');
      tooltip.appendMarkdown(`[${vscode.l10n.t('Get Started with AnyAPI')}](command:${Command.GetStarted})\n\n`);
    } else {
      tooltip.appendMarkdown(vscode.l10n.t('Click to select another model.') + '\n\n');
    }
    if (config.ignoredWorkspaceSettings.length > 0) {
      tooltip.appendMarkdown(
        vscode.l10n.t('This workspace is not trusted: its {0} are ignored, and your user settings apply.', config.ignoredWorkspaceSettings.join(', ')) + '\n\n',
      );
    }
    if (busy) {
      tooltip.appendMarkdown(vscode.l10n.t('{0} request(s) running.', services.activity.activeRequests) + '\n\n');
    }
    // Only answers that reported usage are counted: the totals are theirs, and a relay may send none.
    tooltip.appendMarkdown(
      vscode.l10n.t({
        message: 'This session: {1} input tokens, {2} output tokens ({3} reasoning), {4} in total, from {0} request(s) that reported usage.',
        args: [usage.requests, usage.inputTokens, usage.outputTokens, usage.reasoningTokens, usage.totalTokens],
        comment: '{0} is a number of requests; {1} to {4} are numbers of tokens',
      }),
    );
    item.tooltip = tooltip;
    item.accessibilityInformation = {
      label: hasKey
        ? vscode.l10n.t('AnyAPI model {0}', config.model)
        : vscode.l10n.t('AnyAPI model {0}, no API key set', config.model),
    };
  };
  const refreshKey = async (): Promise<void> => {
    // Secret storage that cannot be read is shown as no key (the chat view and the commands say why).
    hasKey = await services.keyStore.has().catch(() => false);
    update();
  };

  const store = new DisposableStore();
  [
    item,
    followActiveEditor(),
    services.activity.onDidChange(update),
    services.keyStore.onDidChange(() => void refreshKey()),
    vscode.window.onDidChangeActiveTextEditor(update),
    // Trust decides whether the workspace's model applies at all.
    vscode.workspace.onDidGrantWorkspaceTrust(update),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration(CONFIG_SECTION)) {
        update();
      }
    }),
  ].forEach((disposable) => store.add(disposable));
  // Shown right after activate() returns rather than in it: reading the settings and building the tooltip took
  // 3-8 ms of activation, which every extension activated after this one waits for.
  let pending: ReturnType<typeof setTimeout> | undefined = setTimeout(() => showFirst(), 0);
  const showFirst = (): void => {
    if (pending === undefined) return;
    clearTimeout(pending);
    pending = undefined;
    update();
    item.show();
    void refreshKey();
  };
  store.add({ dispose: () => clearTimeout(pending) });
  return {
    current: () => {
      showFirst();
      return {
        text: item.text,
        tooltip: item.tooltip instanceof vscode.MarkdownString ? item.tooltip.value : (item.tooltip ?? ''),
        command: typeof item.command === 'string' ? item.command : item.command?.command,
      };
    },
    dispose: () => store.dispose(),
  };
}

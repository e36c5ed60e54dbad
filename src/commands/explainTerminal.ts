/** Explain with AnyAPI in the terminal's context menu: the selected text of the terminal, explained in the chat. */
import * as vscode from 'vscode';
import type { ChatController } from '../chat/chatController';
import { displayLanguageName, fence } from '../prompts/templates';
import type { Services } from '../services';
import { ensureKey } from '../selection/preflight';
import { terminalSelection } from '../attachments/terminal';
import { hideKey } from '../api/redact';
import type { ChatCommandResult } from './explainSelection';

/** More than this is cut from the top: the end of an output is where its error is. */
export const MAX_TERMINAL_CHARS = 30_000;

/** The model's prompt for terminal text: where it comes from, what to say about it, and the text fenced. */
export function terminalPrompt(terminalName: string, text: string, locale: string): string {
  return [
    `Explain the following output from the terminal \`${terminalName}\`: what ran, what happened, what any error means, and what to do next.`,
    `Answer in ${displayLanguageName(locale)}.`,
    '',
    fence(text, 'shell'),
  ].join('\n');
}

export async function explainTerminalSelection(services: Services, chat: ChatController): Promise<ChatCommandResult> {
  const terminal = vscode.window.activeTerminal;
  const selected = terminal ? await terminalSelection() : undefined;
  if (!terminal || selected === undefined) {
    const message = vscode.l10n.t('Select text in the terminal first, then choose Explain with AnyAPI.');
    void vscode.window.showInformationMessage(message);
    return { status: 'unavailable', message };
  }
  const key = await ensureKey(services);
  if (key !== true) return { status: 'unavailable', message: key.message };
  // A terminal may have printed the key (an `export`, a curl line): it is masked before it is sent, shown or stored.
  const visible = hideKey(selected, await services.keyStore.get().catch(() => undefined));
  const text = visible.length > MAX_TERMINAL_CHARS ? visible.slice(-MAX_TERMINAL_CHARS) : visible;
  const lines = text.split(/\r?\n/).length;
  const question =
    text === visible
      ? vscode.l10n.t('Explain this terminal output.')
      : vscode.l10n.t('Explain this terminal output (its last {0} characters: the selection was longer).', MAX_TERMINAL_CHARS.toLocaleString());
  const answer = await chat.ask({
    text: question,
    quote: { code: text, languageId: 'shell', fileLabel: vscode.l10n.t('Terminal: {0}', terminal.name), startLine: 1, endLine: lines },
    prompt: terminalPrompt(terminal.name, text, vscode.env.language),
  });
  return { status: 'answered', answer };
}

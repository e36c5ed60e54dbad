import * as vscode from 'vscode';
import type { ChatAnswer, ChatController } from '../chat/chatController';
import type { PromptKind } from '../prompts/templates';
import type { Services } from '../services';
import type { CodeTarget } from '../selection/codeTarget';
import { confirmLargeCode, resolveCodeTarget } from '../selection/codeTarget';
import { activeEditor, askInstruction, ensureKey, parseArgs } from '../selection/preflight';
import { promptFor } from '../selection/promptValues';

export type ChatCommandResult =
  | { readonly status: 'answered'; readonly answer: ChatAnswer }
  | { readonly status: 'cancelled' | 'unavailable'; readonly message?: string };

/** Explain Selection: the chat view opens and a new turn quotes the code and streams the explanation. */
export async function explainSelection(services: Services, chat: ChatController, rawArgs?: unknown): Promise<ChatCommandResult> {
  return askInChat(services, chat, 'explain', rawArgs);
}

/** Ask About Selection…: a question, then as Explain. */
export async function askAboutSelection(services: Services, chat: ChatController, rawArgs?: unknown): Promise<ChatCommandResult> {
  return askInChat(services, chat, 'ask', rawArgs);
}

async function askInChat(services: Services, chat: ChatController, kind: Extract<PromptKind, 'explain' | 'ask'>, rawArgs: unknown): Promise<ChatCommandResult> {
  const args = parseArgs(rawArgs);
  const editor = activeEditor({ writable: false });
  if (!editor || !(await ensureKey(services))) {
    return { status: 'unavailable' };
  }
  const target = await resolveCodeTarget(editor);
  if (!target) {
    const message = vscode.l10n.t('Select the code you want to ask about: the file is too large to send whole.');
    void vscode.window.showInformationMessage(message);
    return { status: 'unavailable', message };
  }
  if (!(await confirmLargeCode(target.code))) {
    return { status: 'cancelled' };
  }
  let question: string;
  if (kind === 'ask') {
    const asked = await askInstruction(
      args,
      vscode.l10n.t('AnyAPI: Ask about {0} (lines {1}-{2})', target.fileLabel, target.startLine, target.endLine),
      vscode.l10n.t('What do you want to know about this code?'),
    );
    if (!asked) {
      return { status: 'cancelled' };
    }
    question = asked;
  } else {
    question = args.instruction?.trim() || explainTitle(target);
  }
  const controller = new AbortController();
  const cancel = args.cancellation?.onCancellationRequested(() => controller.abort());
  try {
    const answer = await chat.ask({
      text: question,
      quote: {
        code: target.code,
        languageId: target.languageId,
        fileLabel: target.fileLabel,
        startLine: target.startLine,
        endLine: target.endLine,
      },
      prompt: promptFor(kind, target, { question }),
      signal: controller.signal,
    });
    return { status: 'answered', answer };
  } finally {
    cancel?.dispose();
  }
}

/** What the transcript shows as the user's question for Explain. */
function explainTitle(target: CodeTarget): string {
  switch (target.origin) {
    case 'symbol':
      return vscode.l10n.t('Explain the code around the cursor.');
    case 'file':
      return vscode.l10n.t('Explain this file.');
    default:
      return vscode.l10n.t('Explain this code.');
  }
}

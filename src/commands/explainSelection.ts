/** Explain Selection and Ask About Selection…: the code quoted in a new chat turn, with its explanation or answer. */
import * as vscode from 'vscode';
import type { ChatAnswer, ChatController } from '../chat/chatController';
import type { PromptKind } from '../prompts/templates';
import type { QuoteView } from '../shared/protocol';
import type { Services } from '../services';
import type { CodeTarget } from '../selection/codeTarget';
import type { SelectionCommandArgs } from '../selection/preflight';
import { abortOnCancel, askInstruction } from '../selection/preflight';
import { prepareSelection } from '../selection/prepareSelection';
import { LINES_AROUND_PROBLEM, explainProblemQuestion, problemArgs, problemOrSay } from '../selection/problems';
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

/**
 * Explain with AnyAPI on a problem (the light bulb, the Problems view, or the problem at the cursor): its lines and
 * the lines around them are quoted, with the message, who reported it and its code.
 */
export async function explainProblem(services: Services, chat: ChatController, uri?: unknown, diagnostic?: unknown): Promise<ChatCommandResult> {
  const problem = problemOrSay(uri, diagnostic);
  if (!problem) return { status: 'unavailable' };
  return askInChat(services, chat, 'ask', await problemArgs(problem, explainProblemQuestion(problem.diagnostic), LINES_AROUND_PROBLEM));
}

async function askInChat(services: Services, chat: ChatController, kind: Extract<PromptKind, 'explain' | 'ask'>, rawArgs: unknown): Promise<ChatCommandResult> {
  const prepared = await prepareSelection(services, rawArgs, {
    writable: false,
    code: { noCodeMessage: vscode.l10n.t('Select the code you want to ask about: the file is too large to send whole.') },
    instruction: kind === 'ask' ? askQuestion : (target, args) => args.instruction?.trim() || explainTitle(target),
  });
  if (prepared.status !== 'ready') {
    return prepared;
  }
  const { args, target, instruction: question } = prepared;
  const controller = new AbortController();
  // The shared helper also honours a token that was cancelled before the request started.
  const cancel = abortOnCancel(controller, args.cancellation);
  try {
    const answer = await chat.ask({
      text: question,
      quote: quoteOf(target),
      prompt: promptFor(kind, target, { question }),
      signal: controller.signal,
    });
    return { status: 'answered', answer };
  } finally {
    cancel.dispose();
  }
}

/** Ask's question about the code, unless it was passed in. */
function askQuestion(target: CodeTarget, args: SelectionCommandArgs): Thenable<string | undefined> {
  return askInstruction(
    args,
    vscode.l10n.t('AnyAPI: Ask about {0} (lines {1}-{2})', target.fileLabel, target.startLine, target.endLine),
    vscode.l10n.t('What do you want to know about this code?'),
  );
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

/** Only what the chat view shows of the code (a CodeTarget also holds the document, which stays in the host). */
function quoteOf({ code, languageId, fileLabel, startLine, endLine }: CodeTarget): QuoteView {
  return { code, languageId, fileLabel, startLine, endLine };
}

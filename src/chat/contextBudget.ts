// The chat's context budget from the settings and the relay's model list, and the sentence of a question too large for it.
import * as vscode from 'vscode';
import type { ExtensionConfig } from '../config/config';
import type { ContextLimits } from '../context/contextWindow';
import { contextLimits } from '../context/contextWindow';
import { reportedWindow } from '../context/reportedWindows';
import type { ErrorActionId } from '../shared/protocol';

/** `anyapi.contextWindowTokens` if set, else the window the relay's model list reported for the model (no request here), else the default. */
export function contextLimitsFor(config: ExtensionConfig): ContextLimits {
  return contextLimits({
    chosenWindow: config.contextWindowTokens,
    reported: reportedWindow(config.baseUrl, config.model),
    maxOutputTokens: config.maxOutputTokens,
  });
}

/** A question that alone does not fit: nothing is sent, and the user reads its size and the limit. */
export function questionTooLarge(tokens: number, limits: ContextLimits): { message: string; actions: ErrorActionId[] } {
  const number = new Intl.NumberFormat(vscode.env.language);
  const message = vscode.l10n.t({
    message:
      'Not sent: this question is about {0} tokens, more than the {1} the model’s context window of {2} tokens leaves for it ({3} are kept for the answer). Quote less code, or choose a model that reads more (set anyapi.contextWindowTokens if this one does).',
    args: [number.format(tokens), number.format(limits.inputBudget), number.format(limits.windowTokens), number.format(limits.reservedTokens)],
    comment: ['{0} the question’s size in tokens, {1} the most a request may send, {2} the model’s context window, {3} the tokens kept for the answer'],
  });
  const actions: ErrorActionId[] = ['selectModel', 'showLog'];
  return { message, actions };
}

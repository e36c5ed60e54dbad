import * as vscode from 'vscode';
import { hostOf } from '../api/host';
import type { ApiError } from '../api/index';
import type { ErrorActionId } from '../shared/protocol';
import { describeFailure, missingKeySentence as missingKeyIn } from './catalogue';
import { isMissingKeyError } from './missingKey';
import { isSecretStorageUnavailable } from '../config/keyStore';

/** A next step a failure can offer, as a button in a notification or in the chat view. */
export type ErrorAction = ErrorActionId;

export interface DescribedError {
  /** What happened and what to do, in the display language; the server's own words are kept verbatim. */
  readonly message: string;
  readonly actions: readonly ErrorAction[];
  readonly kind: string;
  readonly partialText?: string;
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof Error && error.name === 'ApiError' && 'kind' in error && 'reason' in error;
}

/**
 * Maps any failure to a sentence a user can act on, in the display language, from the one catalogue
 * (`catalogue.ts`): every language gets the same specifics. `baseUrl` names the server when the failure does not.
 */
export function describeError(error: unknown, baseUrl: string, where: { inConversation?: boolean } = {}): DescribedError {
  if (isMissingKeyError(error)) {
    return { message: missingKeySentence(), actions: ['setApiKey', 'retry'], kind: 'noKey' };
  }
  if (isSecretStorageUnavailable(error)) {
    return { message: error.message, actions: ['showLog'], kind: 'secretStorage' };
  }
  if (!isApiError(error)) {
    const text = error instanceof Error ? error.message : String(error);
    return {
      message: vscode.l10n.t('Something went wrong: {0}. The details are in the AnyAPI log.', text),
      actions: ['showLog'],
      kind: 'unknown',
    };
  }
  const facts = { ...error.facts, host: error.facts.host ?? hostOf(baseUrl) };
  const sentence = describeFailure({ ...error, kind: error.kind, reason: error.reason, facts, inConversation: where.inConversation === true }, vscode.l10n);
  return { ...sentence, kind: error.kind, ...(error.partialText ? { partialText: error.partialText } : {}) };
}

/** The one sentence for a missing key, wherever a request needs one. */
export function missingKeySentence(): string {
  return missingKeyIn(vscode.l10n);
}

export function actionLabel(action: ErrorAction): string {
  switch (action) {
    case 'setApiKey':
      return vscode.l10n.t('Set API Key');
    case 'openBaseUrlSetting':
      return vscode.l10n.t('Open Base URL Setting');
    case 'openProxySetting':
      return vscode.l10n.t('Open Proxy Setting');
    case 'selectModel':
      return vscode.l10n.t('Select Model');
    case 'retry':
      return vscode.l10n.t('Retry');
    case 'retryFewerTurns':
      return vscode.l10n.t('Retry With Fewer Turns');
    case 'newChat':
      return vscode.l10n.t('New Chat');
    case 'showLog':
      return vscode.l10n.t('Show Log');
  }
}

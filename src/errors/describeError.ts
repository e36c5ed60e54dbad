import * as vscode from 'vscode';
import type { ApiError } from '../api/index';
import { isMissingKeyError } from './missingKey';
import type { ErrorActionId } from '../shared/protocol';

/** A next step a failure can offer, as a button in a notification or in the chat view. */
export type ErrorAction = ErrorActionId;

export interface DescribedError {
  /** What happened and what to do, localised; the server's own words are kept verbatim. */
  readonly message: string;
  readonly actions: readonly ErrorAction[];
  readonly kind: string;
  readonly partialText?: string;
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof Error && error.name === 'ApiError' && 'kind' in error;
}

/** Maps any failure to a sentence a user can act on, in the display language. */
export function describeError(error: unknown, baseUrl: string): DescribedError {
  if (isMissingKeyError(error)) {
    return { message: missingKeySentence(), actions: ['setApiKey'], kind: 'noKey' };
  }
  if (!isApiError(error)) {
    const text = error instanceof Error ? error.message : String(error);
    return {
      message: vscode.l10n.t('Something went wrong: {0}. The details are in the AnyAPI log.', text),
      actions: ['showLog'],
      kind: 'unknown',
    };
  }
  const server = error.serverMessage?.trim();
  const said = server ? ` ${vscode.l10n.t('The server said: “{0}”.', server)}` : '';
  const partialText = error.partialText || undefined;
  const host = safeHost(baseUrl);
  const described = describeApiError(error, said, host, partialText);
  // The client's own English sentence is the most specific (redirect targets, proxy and TLS advice, the model
  // a key may not use); other display languages get the translated sentence for the kind of failure.
  if (vscode.env.language.toLowerCase().startsWith('en') && error.kind !== 'aborted' && error.message.trim()) {
    return { ...described, message: error.message };
  }
  return described;
}

function describeApiError(error: ApiError, said: string, host: string, partialText: string | undefined): DescribedError {
  const code = (error.code ?? '').toString();
  if (error.kind === 'auth' && error.status === 403 && !/key|token|令牌|密钥/i.test(error.serverMessage ?? '')) {
    return {
      message: vscode.l10n.t('AnyAPI refused access (HTTP 403).') + said + ' ' + vscode.l10n.t('Check that your key may use this model, or pick another one.'),
      actions: ['selectModel', 'setApiKey', 'showLog'],
      kind: error.kind,
      partialText,
    };
  }
  if (error.kind === 'badRequest' && (error.status === 413 || /context_length|too large|too long/i.test(code + ' ' + (error.serverMessage ?? '')))) {
    return {
      message: vscode.l10n.t('The request is too long for the model.') + said + ' ' + vscode.l10n.t('Select less code or start a new chat.'),
      actions: ['showLog'],
      kind: error.kind,
      partialText,
    };
  }
  if (error.kind === 'server' && /convert_request_failed/i.test(code + ' ' + (error.serverMessage ?? ''))) {
    return {
      message:
        vscode.l10n.t('AnyAPI cannot serve this model on the Responses API.') +
        said +
        ' ' +
        vscode.l10n.t('Set anyapi.endpoint to “auto” or “chatCompletions”, or pick another model.'),
      actions: ['selectModel', 'showLog'],
      kind: error.kind,
      partialText,
    };
  }
  if (error.kind === 'network' && /CERT|SSL|TLS/i.test(code)) {
    return {
      message:
        vscode.l10n.t('The secure connection to {0} failed ({1}).', host, code) +
        ' ' +
        vscode.l10n.t('If a proxy or antivirus inspects HTTPS, configure http.proxy and trust its certificate; otherwise check anyapi.baseUrl.'),
      actions: ['openProxySetting', 'openBaseUrlSetting', 'showLog'],
      kind: error.kind,
      partialText,
    };
  }
  if (error.kind === 'network' && /PROXY|407/i.test(code)) {
    return {
      message: vscode.l10n.t('The proxy refused the connection ({0}).', code) + ' ' + vscode.l10n.t('Check http.proxy, including its user name and password.'),
      actions: ['openProxySetting', 'showLog'],
      kind: error.kind,
      partialText,
    };
  }
  switch (error.kind) {
    case 'auth':
      return {
        message:
          vscode.l10n.t('AnyAPI rejected the API key (HTTP {0}).', error.status ?? 401) +
          said +
          ' ' +
          vscode.l10n.t('Run “AnyAPI: Set API Key” with a valid key.'),
        actions: ['setApiKey', 'showLog'],
        kind: error.kind,
        partialText,
      };
    case 'quota':
      return {
        message:
          vscode.l10n.t('The AnyAPI account has no quota left for this request (HTTP {0}).', error.status ?? 403) +
          said +
          ' ' +
          vscode.l10n.t('Top up the account or use another key.'),
        actions: ['setApiKey', 'retry', 'showLog'],
        kind: error.kind,
        partialText,
      };
    case 'rateLimit':
      return {
        message: vscode.l10n.t('AnyAPI is rate limiting requests (HTTP 429).') + said + ' ' + vscode.l10n.t('Wait a moment and retry.'),
        actions: ['retry', 'showLog'],
        kind: error.kind,
        partialText,
      };
    case 'notFound':
      return {
        message:
          vscode.l10n.t('AnyAPI does not offer this model or route (HTTP {0}).', error.status ?? 404) +
          said +
          ' ' +
          vscode.l10n.t('Pick another model with “AnyAPI: Select Model”, or check anyapi.baseUrl.'),
        actions: ['selectModel', 'openBaseUrlSetting', 'showLog'],
        kind: error.kind,
        partialText,
      };
    case 'badRequest':
      return {
        message:
          vscode.l10n.t('AnyAPI refused the request (HTTP {0}).', error.status ?? 400) +
          said +
          ' ' +
          vscode.l10n.t('Check the model and the anyapi.* settings (temperature, reasoning effort, max output tokens).'),
        actions: ['selectModel', 'showLog'],
        kind: error.kind,
        partialText,
      };
    case 'wrongBaseUrl':
      return {
        message: vscode.l10n.t(
          '{0} answered with a web page instead of the API. Check anyapi.baseUrl: it should look like https://www.anyapi.vip.',
          host,
        ),
        actions: ['openBaseUrlSetting', 'showLog'],
        kind: error.kind,
        partialText,
      };
    case 'network':
      return {
        message:
          vscode.l10n.t('Could not reach {0}.', host) +
          (error.code ? ` (${error.code})` : '') +
          ' ' +
          vscode.l10n.t('Check anyapi.baseUrl, your network connection and the proxy setting (http.proxy).'),
        actions: ['retry', 'openBaseUrlSetting', 'openProxySetting', 'showLog'],
        kind: error.kind,
        partialText,
      };
    case 'timeout':
      return {
        message:
          vscode.l10n.t('{0} did not answer in time.', host) +
          ' ' +
          vscode.l10n.t('Retry, or raise anyapi.requestTimeoutSeconds for slow reasoning models.'),
        actions: ['retry', 'showLog'],
        kind: error.kind,
        partialText,
      };
    case 'server':
      return {
        message:
          vscode.l10n.t('AnyAPI had a server error (HTTP {0}).', error.status ?? 500) +
          said +
          ' ' +
          vscode.l10n.t('Retry in a moment, or pick another model.'),
        actions: ['retry', 'selectModel', 'showLog'],
        kind: error.kind,
        partialText,
      };
    case 'incompleteStream':
      return {
        message: vscode.l10n.t('The answer stopped before it was finished: the connection ended early. Retry to get a full answer.'),
        actions: ['retry', 'showLog'],
        kind: error.kind,
        partialText,
      };
    case 'aborted':
      return { message: vscode.l10n.t('Stopped.'), actions: [], kind: error.kind, partialText };
    default:
      return {
        message: vscode.l10n.t('The request failed.') + said + ' ' + vscode.l10n.t('Retry, or open the log for details.'),
        actions: ['retry', 'showLog'],
        kind: error.kind,
        partialText,
      };
  }
}

/** The one sentence for a missing key, wherever a request needs one. */
export function missingKeySentence(): string {
  return vscode.l10n.t('No AnyAPI key is set, so nothing was sent. Set your key with “AnyAPI: Set API Key”.');
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
    case 'showLog':
      return vscode.l10n.t('Show Log');
  }
}

function safeHost(baseUrl: string): string {
  try {
    return new URL(baseUrl).host || baseUrl;
  } catch {
    return baseUrl;
  }
}

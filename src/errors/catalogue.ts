// The one catalogue of what a failure tells the user: a sentence per reason, with its specifics, and the next steps.
// It runs in plain Node too (the translator is passed in; `vscode` is imported for its type only), so English and
// Chinese are checked side by side in unit tests. The parameter is named `l10n` so the string extractor finds `l10n.t`.
import type { l10n } from 'vscode';
import type { ApiErrorFacts, ApiErrorKind, ApiErrorReason } from '../api/errors';
import { formatDuration } from '../api/errors';
import type { ErrorActionId } from '../shared/protocol';

/** `vscode.l10n` in the extension; the English text (or a bundle) in tests. */
export type Translator = Pick<typeof l10n, 't'>;

/** The facts of a failure the catalogue reads (an ApiError has them all). */
export interface FailureFacts {
  readonly kind: ApiErrorKind;
  readonly reason: ApiErrorReason;
  readonly status?: number;
  readonly code?: string;
  readonly serverMessage?: string;
  /** How long the server asked to wait (`retry-after`). */
  readonly retryAfterMs?: number;
  /** The request carried a chat conversation (its turns can be left out), not a single command's prompt. */
  readonly inConversation?: boolean;
  readonly facts: ApiErrorFacts;
}

export interface Sentence {
  readonly message: string;
  /** Next steps other than Retry, in the order shown. */
  readonly actions: readonly ErrorActionId[];
}

type Entry = (facts: FailureFacts, l10n: Translator, said: string) => Sentence;

/** Failures that Retry cannot help: the request itself must change. Every other failure offers Retry. */
const noRetry = new Set<ApiErrorReason>(['stopped', 'tooLarge', 'emptyConversation']);

export function offersRetry(reason: ApiErrorReason): boolean {
  return !noRetry.has(reason);
}

const baseUrlAdvice = (l10n: Translator): string => l10n.t('Check anyapi.baseUrl — it should be like https://www.anyapi.vip.');

function host(f: FailureFacts): string {
  return f.facts.host ?? f.facts.url ?? '';
}

function modelName(f: FailureFacts, l10n: Translator): string {
  return f.facts.model ? `“${f.facts.model}”` : l10n.t('this model');
}

function via(f: FailureFacts, l10n: Translator): string {
  return f.facts.proxy ? l10n.t(' through the proxy {0}', f.facts.proxy) : '';
}

function duration(f: FailureFacts): string {
  return formatDuration(f.facts.timeoutMs ?? 0);
}

function gateway(f: FailureFacts, l10n: Translator): string {
  return f.facts.gateway
    ? l10n.t('The gateway in front of AnyAPI ({0})', f.facts.gateway)
    : l10n.t('The gateway in front of AnyAPI');
}

const entries: Record<ApiErrorReason, Entry> = {
  noKey: (_f, l10n) => ({ message: missingKeySentence(l10n), actions: ['setApiKey'] }),
  keyRejected: (_f, l10n, said) => ({
    message: l10n.t('AnyAPI rejected the API key ({0}). Run “AnyAPI: Set API Key” with a valid key.', said),
    actions: ['setApiKey', 'showLog'],
  }),
  keyMalformed: (f, l10n) => ({
    message: l10n.t(
      'The stored AnyAPI key holds characters a key cannot have (invisible, space or non-ASCII: {0}), so it cannot be sent. Run “AnyAPI: Set API Key” and paste the key again.',
      f.facts.detail ?? '',
    ),
    actions: ['setApiKey', 'showLog'],
  }),
  accessDenied: (f, l10n, said) => ({
    message: l10n.t('AnyAPI refused access ({0}). Check that your key may use {1}, or set another key with “AnyAPI: Set API Key”.', said, modelName(f, l10n)),
    actions: ['selectModel', 'setApiKey', 'showLog'],
  }),
  gatewayRefused: (f, l10n) => ({
    message: l10n.t('{0} refused the request (HTTP {1}, a web page). Check anyapi.baseUrl, your network or proxy (http.proxy).', gateway(f, l10n), f.status ?? 403),
    actions: ['openBaseUrlSetting', 'openProxySetting', 'showLog'],
  }),
  quotaExhausted: (_f, l10n, said) => ({
    message: l10n.t('Your AnyAPI quota is used up ({0}). Top up your AnyAPI balance or set another key with “AnyAPI: Set API Key”.', said),
    actions: ['setApiKey', 'showLog'],
  }),
  rateLimited: (f, l10n, said) => ({
    message:
      f.retryAfterMs !== undefined && f.retryAfterMs >= 1000
        ? l10n.t('AnyAPI is limiting the request rate ({0}) and asks to wait {1}. Try again after that, or pick another model with “AnyAPI: Select Model”.', said, formatDuration(f.retryAfterMs))
        : l10n.t('AnyAPI is limiting the request rate ({0}). Wait a moment and try again.', said),
    actions: f.retryAfterMs !== undefined && f.retryAfterMs >= 1000 ? ['selectModel', 'showLog'] : ['showLog'],
  }),
  noChannel: (f, l10n, said) => ({
    message: l10n.t('AnyAPI has no channel for model {0} right now ({1}). Pick another model with “AnyAPI: Select Model”, or try again later.', modelName(f, l10n), said),
    actions: ['selectModel', 'showLog'],
  }),
  routeNotFound: (f, l10n, said) => ({
    message: l10n.t('AnyAPI could not find {0} ({1}). Check anyapi.baseUrl and the model (“AnyAPI: Select Model”).', f.facts.url ?? host(f), said),
    actions: ['selectModel', 'openBaseUrlSetting', 'showLog'],
  }),
  noEndpoint: (f, l10n) => ({
    message: l10n.t('AnyAPI has no such endpoint: {0} returned 404.', f.facts.url ?? host(f)) + ' ' + baseUrlAdvice(l10n),
    actions: ['openBaseUrlSetting', 'showLog'],
  }),
  pageNotFound: (f, l10n) => ({
    message: l10n.t('{0} was not found (HTTP 404, a web page).', f.facts.url ?? host(f)) + ' ' + baseUrlAdvice(l10n),
    actions: ['openBaseUrlSetting', 'showLog'],
  }),
  tooLarge: (f, l10n, said) =>
    f.inConversation
      ? {
          message: l10n.t('The conversation is too long for the model ({0}). Start a New Chat, or retry without its oldest turns.', said),
          actions: ['newChat', 'retryFewerTurns', 'showLog'],
        }
      : { message: l10n.t('The request is too long for the model ({0}). Select less code or start a new chat.', said), actions: ['showLog'] },
  refused: (_f, l10n, said) => ({
    message: l10n.t(
      'AnyAPI refused the request ({0}). Check the model (“AnyAPI: Select Model”) and settings such as anyapi.temperature and anyapi.maxOutputTokens.',
      said,
    ),
    actions: ['selectModel', 'showLog'],
  }),
  noModel: (_f, l10n) => ({
    message: l10n.t('No model is set. Pick one with “AnyAPI: Select Model” (setting anyapi.model).'),
    actions: ['selectModel'],
  }),
  emptyConversation: (_f, l10n) => ({ message: l10n.t('There is nothing to send: the conversation is empty.'), actions: [] }),
  gatewayTimeout: (f, l10n) => ({
    message: l10n.t(
      '{0} gave up waiting for the model (HTTP {1}): the server took too long. It may still finish the request and bill it, so it was not sent again. Streaming (anyapi.stream) avoids this timeout.',
      gateway(f, l10n),
      f.status ?? 524,
    ),
    actions: ['showLog'],
  }),
  gatewayUnreachable: (f, l10n) => ({
    message: l10n.t('{0} could not reach the AnyAPI server (HTTP {1}). This is on the server side: try again later.', gateway(f, l10n), f.status ?? 502),
    actions: ['showLog'],
  }),
  gatewayFailed: (f, l10n) => ({
    message: l10n.t('{0} failed (HTTP {1}). This is on the server side: try again later.', gateway(f, l10n), f.status ?? 500),
    actions: ['showLog'],
  }),
  wrongEndpoint: (f, l10n, said) => ({
    message: l10n.t(
      'AnyAPI could not serve {0} on this endpoint ({1}). Set anyapi.endpoint to “chatCompletions” or “auto”, or pick another model.',
      modelName(f, l10n),
      said,
    ),
    actions: ['selectModel', 'showLog'],
  }),
  conflict: (_f, l10n, said) => ({ message: l10n.t('AnyAPI reported a conflict ({0}). Try again.', said), actions: ['showLog'] }),
  serverError: (f, l10n, said) => ({
    message: l10n.t('AnyAPI had a server error ({0}). Try again later.', f.serverMessage?.trim() && f.status !== undefined ? l10n.t('HTTP {0}; {1}', f.status, said) : said),
    actions: ['selectModel', 'showLog'],
  }),
  notJson: (_f, l10n) => ({
    message: l10n.t('AnyAPI answered with something that is not JSON.') + ' ' + baseUrlAdvice(l10n),
    actions: ['openBaseUrlSetting', 'showLog'],
  }),
  answerTooLarge: (f, l10n) => ({
    message: l10n.t(
      'The answer is larger than {0} MB, too large to take in one piece. Turn on streaming (anyapi.stream) and ask again.',
      Math.round((f.facts.sizeLimit ?? 0) / (1024 * 1024)),
    ),
    actions: ['showLog'],
  }),
  answerTooLong: (f, l10n) => ({
    message: l10n.t(
      'The answer passed {0} characters, more than a model writes in one answer, so it was stopped: the server may be repeating itself. The text so far is kept. Ask for a shorter answer.',
      (f.facts.sizeLimit ?? 0).toLocaleString('en-US'),
    ),
    actions: ['showLog'],
  }),
  emptyBody: (_f, l10n) => ({ message: l10n.t('AnyAPI answered with an empty body. Try again.'), actions: ['showLog'] }),
  unknownShape: (_f, l10n) => ({
    message:
      l10n.t('AnyAPI answered in a shape this extension does not know (no output[] and no choices[]).') +
      ' ' +
      l10n.t('Check anyapi.baseUrl, or set anyapi.endpoint to “chatCompletions”.'),
    actions: ['openBaseUrlSetting', 'showLog'],
  }),
  webPage: (f, l10n) => ({
    message: l10n.t('The base URL points at a web page, not the AnyAPI API ({0} returned an HTML page).', f.facts.url ?? host(f)) + ' ' + baseUrlAdvice(l10n),
    actions: ['openBaseUrlSetting', 'showLog'],
  }),
  redirect: (f, l10n) => ({
    message:
      l10n.t('{0} answered with a redirect (HTTP {1}). AnyAPI requests never follow redirects: the key would go wherever it points.', f.facts.url ?? host(f), f.status ?? 302) +
      ' ' +
      baseUrlAdvice(l10n),
    actions: ['openBaseUrlSetting', 'showLog'],
  }),
  emptyBaseUrl: (_f, l10n) => ({
    message: l10n.t('The AnyAPI base URL is empty. Set anyapi.baseUrl, e.g. https://www.anyapi.vip.'),
    actions: ['openBaseUrlSetting'],
  }),
  invalidBaseUrl: (f, l10n) => ({
    message: l10n.t('The AnyAPI base URL “{0}” is not a valid URL.', f.facts.baseUrl ?? '') + ' ' + baseUrlAdvice(l10n),
    actions: ['openBaseUrlSetting'],
  }),
  badScheme: (f, l10n) => ({
    message: l10n.t('The AnyAPI base URL starts with “{0}”; it must start with https:// (or http://). Check anyapi.baseUrl.', f.facts.baseUrl ?? ''),
    actions: ['openBaseUrlSetting'],
  }),
  insecureBaseUrl: (f, l10n) => ({
    message: l10n.t(
      'Nothing was sent: {0} is reached over plain http://, so your key and your code would travel unencrypted, and sending them was not allowed. Use https:// in anyapi.baseUrl, or allow it for this server when asked.',
      host(f),
    ),
    actions: ['openBaseUrlSetting'],
  }),
  notModelList: (f, l10n) => ({
    message: l10n.t('{0} did not answer with a model list.', f.facts.url ?? host(f)) + ' ' + baseUrlAdvice(l10n),
    actions: ['openBaseUrlSetting', 'showLog'],
  }),
  proxyAuth: (f, l10n) => ({
    message: l10n.t(
      'The proxy {0} asked for credentials ({1}). Check http.proxy and its user name and password.',
      f.facts.proxy ?? '',
      f.facts.proxyStatus !== undefined ? l10n.t('HTTP {0}', f.facts.proxyStatus) : (f.facts.detail ?? ''),
    ),
    actions: ['openProxySetting', 'showLog'],
  }),
  proxyRefused: (f, l10n) => ({
    message: l10n.t('The proxy {0} refused the connection to {1} (HTTP {2}). Check http.proxy and NO_PROXY.', f.facts.proxy ?? '', host(f), f.facts.proxyStatus ?? 0),
    actions: ['openProxySetting', 'showLog'],
  }),
  proxyRejected: (f, l10n) => ({
    message: l10n.t('The proxy {0} refused the connection to {1} ({2}). Check http.proxy.', f.facts.proxy ?? '', host(f), f.facts.detail ?? ''),
    actions: ['openProxySetting', 'showLog'],
  }),
  proxyHungUp: (f, l10n) => ({
    message: l10n.t(
      'The proxy {0} closed the connection without answering CONNECT. If it is a SOCKS proxy, set http.proxy to {1}; otherwise check http.proxy.',
      f.facts.proxy ?? '',
      `socks5://${f.facts.proxy ?? ''}`,
    ),
    actions: ['openProxySetting', 'showLog'],
  }),
  tls: (f, l10n) => ({
    message: l10n.t(
      'The secure connection to {0}{1} failed ({2}). If a proxy or antivirus inspects HTTPS, configure http.proxy and trust its certificate; otherwise check anyapi.baseUrl.',
      host(f),
      via(f, l10n),
      f.code ?? '',
    ),
    actions: ['openProxySetting', 'openBaseUrlSetting', 'showLog'],
  }),
  dropped: (f, l10n) => ({
    message: l10n.t('The connection to {0}{1} was dropped ({2}). Check your network or proxy (http.proxy) and try again.', host(f), via(f, l10n), f.facts.detail ?? f.code ?? ''),
    actions: ['openProxySetting', 'showLog'],
  }),
  unreachable: (f, l10n) => ({
    message: l10n.t('Could not reach {0}{1} ({2}). Check anyapi.baseUrl, your network or proxy (http.proxy).', host(f), via(f, l10n), f.facts.detail ?? f.code ?? ''),
    actions: ['openBaseUrlSetting', 'openProxySetting', 'showLog'],
  }),
  connectTimeout: (f, l10n) => ({
    message: l10n.t(
      'Could not connect to {0} within {1} (connect timeout). Check anyapi.baseUrl, your network or proxy (http.proxy).',
      host(f),
      duration(f),
    ),
    actions: ['openBaseUrlSetting', 'openProxySetting', 'showLog'],
  }),
  firstByteTimeout: (f, l10n) => ({
    message: l10n.t(
      'AnyAPI did not start answering within {0} (first-byte timeout). Slow reasoning models can think for minutes: raise anyapi.requestTimeoutSeconds, or try again.',
      duration(f),
    ),
    actions: ['showLog'],
  }),
  idleTimeout: (f, l10n) => ({
    message: l10n.t('The answer stopped arriving: nothing came for {0} (idle timeout). Try again, or raise anyapi.idleTimeoutSeconds.', duration(f)),
    actions: ['showLog'],
  }),
  serverTimeout: (_f, l10n, said) => ({
    message: l10n.t('The AnyAPI server timed out receiving the request ({0}). Try again.', said),
    actions: ['showLog'],
  }),
  cutOff: (_f, l10n) => ({
    message: l10n.t('The answer was cut off: the connection closed before AnyAPI finished it. The text so far is kept; try again.'),
    actions: ['showLog'],
  }),
  noAnswer: (_f, l10n) => ({ message: l10n.t('The connection closed before AnyAPI sent an answer. Try again.'), actions: ['showLog'] }),
  modelFailed: (_f, l10n, said) => ({
    message: l10n.t('The model could not finish the answer ({0}). Try again, or pick another model with “AnyAPI: Select Model”.', said),
    actions: ['selectModel', 'showLog'],
  }),
  answeredError: (_f, l10n, said) => ({
    message: l10n.t('AnyAPI answered with an error ({0}). Try again, or pick another model with “AnyAPI: Select Model”.', said),
    actions: ['selectModel', 'showLog'],
  }),
  malformedEvent: (_f, l10n) => ({
    message: l10n.t('AnyAPI sent a part of the answer that could not be read (an event that is not valid JSON). The text so far is kept; try again.'),
    actions: ['showLog'],
  }),
  streamError: (f, l10n, said) => ({
    message:
      f.kind === 'badRequest'
        ? l10n.t('AnyAPI reported an error during the answer ({0}). Try again with a shorter conversation or another model.', said)
        : l10n.t('AnyAPI reported an error during the answer ({0}). Try again.', said),
    actions: ['showLog'],
  }),
  stopped: (_f, l10n) => ({ message: l10n.t('Stopped.'), actions: [] }),
  unexpected: (f, l10n, said) => ({
    message: f.facts.detail
      ? l10n.t('The AnyAPI request failed unexpectedly ({0}). Try again; the log (“AnyAPI: Show Log”) has details.', f.facts.detail)
      : l10n.t('The request failed ({0}). Retry, or open the log for details.', said),
    actions: ['showLog'],
  }),
};

/** Every reason the catalogue has a sentence for (all of them: the table is typed by the reason). */
export const catalogueReasons = Object.keys(entries) as ApiErrorReason[];

/** The one sentence for a missing key, wherever a request needs one. */
export function missingKeySentence(l10n: Translator): string {
  return l10n.t('No AnyAPI key is set, so nothing was sent. Set your key with “AnyAPI: Set API Key”.');
}

/** `server said: …` when the server gave words, else the HTTP status, else what kind of failure it was. */
function saidOf(f: FailureFacts, l10n: Translator): string {
  const words = f.serverMessage?.trim();
  if (words) return l10n.t('server said: {0}', words);
  if (f.status !== undefined) return l10n.t('HTTP {0}', f.status);
  return l10n.t('no reason given');
}

/** What the user reads for a failure, and its next steps: Retry first where it can help. */
export function describeFailure(f: FailureFacts, l10n: Translator): Sentence {
  const sentence = entries[f.reason](f, l10n, saidOf(f, l10n));
  return { message: sentence.message, actions: offersRetry(f.reason) ? ['retry', ...sentence.actions] : sentence.actions };
}

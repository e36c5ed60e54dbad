import * as vscode from 'vscode';
import type { InputMessage, ResponseResult } from '../api/index';
import { readConfig } from '../config/config';
import type { ExtensionConfig } from '../config/config';
import { buildClientOptions } from '../config/clientOptions';
import { buildRequest } from './buildRequest';
import type { Services } from '../services';
import { loadApi } from '../util/loadApi';

/** The key is missing: callers offer Set API Key instead of sending anything. */
export class MissingKeyError extends Error {
  constructor() {
    super(vscode.l10n.t('No AnyAPI key is set. Run “AnyAPI: Set API Key” first.'));
    this.name = 'MissingKeyError';
  }
}

export interface SendRequestOptions {
  /** The conversation, oldest first; the last message is the user's. */
  readonly input: readonly InputMessage[];
  /** Settings are read for this resource (the document the request is about). */
  readonly scope?: vscode.ConfigurationScope;
  readonly signal?: AbortSignal;
  readonly onDelta?: (text: string) => void;
  /** Whether to stream; default from `anyapi.stream`. */
  readonly stream?: boolean;
}

/**
 * Sends one request to AnyAPI with the current settings and key. Every request of the extension goes through here,
 * so the status bar sees it and the log gets one line per request.
 */
export async function sendRequest(services: Services, options: SendRequestOptions): Promise<ResponseResult & { config: ExtensionConfig }> {
  const config = readConfig(options.scope);
  const key = await services.keyStore.get();
  if (!key) {
    throw new MissingKeyError();
  }
  const request = buildRequest(config, options.input, options.stream ?? config.stream);
  const clientOptions = buildClientOptions(config, key, services.logger, { signal: options.signal, onDelta: options.onDelta });
  const result = await services.activity.track(loadApi().createResponse(request, clientOptions));
  return { ...result, config };
}

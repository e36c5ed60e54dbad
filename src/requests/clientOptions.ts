import * as vscode from 'vscode';
import type { ClientOptions } from '../api/index';
import { forgetEndpointChoices } from './loadApi';
import type { Logger } from '../util/logger';
import type { ExtensionConfig } from '../config/config';

const CONNECT_TIMEOUT_MS = 30_000;

/** Turns the settings snapshot and the key into the client's options; the log gets redacted lines only. */
export function buildClientOptions(
  config: ExtensionConfig,
  apiKey: string,
  logger: Logger,
  extras: Partial<Pick<ClientOptions, 'signal' | 'onDelta'>> = {},
): ClientOptions {
  const log = logger.forComponent('http');
  const timeoutMs = config.requestTimeoutSeconds * 1000;
  const idleTimeoutMs = config.idleTimeoutSeconds * 1000;
  return {
    baseUrl: config.baseUrl,
    apiKey,
    endpoint: config.endpoint,
    connectTimeoutMs: CONNECT_TIMEOUT_MS,
    firstByteTimeoutMs: timeoutMs,
    idleTimeoutMs,
    proxy: {
      url: config.proxy.url,
      noProxy: config.proxy.noProxy,
      strictSSL: config.proxy.strictSSL,
      authorization: config.proxy.authorization,
      disabled: config.proxy.disabled,
    },
    userAgent: `anyapi-vscode (${vscode.env.appName} ${vscode.version})`,
    logger: log,
    ...extras,
  };
}

/** Keeps the loaded client in step with the settings: a new base URL or endpoint mode forgets old fallbacks. */
export function watchClientSettings(): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration((event) => {
    if (event.affectsConfiguration('anyapi.baseUrl') || event.affectsConfiguration('anyapi.endpoint')) {
      forgetEndpointChoices();
    }
  });
}

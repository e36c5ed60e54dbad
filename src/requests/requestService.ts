// The one road to the API: every command and the chat send through here (key, settings, options, the lazily
// loaded client, activity for the status bar, one log line per request).
import * as vscode from 'vscode';
import type { ClientOptions, InputMessage, ModelInfo, ProbeResult, ResponseResult } from '../api/index';
import { readConfig } from '../config/config';
import type { ExtensionConfig } from '../config/config';
import type { KeyStore } from '../config/keyStore';
import { MissingKeyError } from '../errors/missingKey';
import type { Logger } from '../util/logger';
import type { ActivityTracker } from './activity';
import { buildClientOptions } from './clientOptions';
import { buildRequest } from './buildRequest';
import { loadApi } from './loadApi';

/** What the request service needs, and nothing more. */
export interface RequestDeps {
  readonly keyStore: KeyStore;
  readonly logger: Logger;
  readonly activity: ActivityTracker;
  /** The user's global state: the plain-http:// hosts the user allowed the key to travel to unencrypted. */
  readonly globalState: vscode.Memento;
}

/** Where the hosts the user allowed over plain http:// are remembered (user-wide, never synced as a setting). */
export const INSECURE_HOSTS_KEY = 'anyapi.allowedInsecureHosts';

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

export interface SentAnswer extends ResponseResult {
  /** The settings the request was sent with. */
  readonly config: ExtensionConfig;
}

export interface ModelRequestOptions {
  readonly scope?: vscode.ConfigurationScope;
  readonly signal?: AbortSignal;
}

export class RequestService {
  /** One question per host at a time, however many requests wait for the answer. */
  private readonly consents = new Map<string, Promise<boolean>>();

  constructor(private readonly deps: RequestDeps) {}

  /**
   * Whether the key may travel unencrypted to the base URL's host: true only for a plain http:// server other than
   * this machine that the user allowed, now (a modal that says what is at stake) or before (remembered per host).
   */
  async allowsInsecureHttp(baseUrl: string): Promise<boolean> {
    const api = loadApi();
    let url: URL;
    try {
      url = new URL(api.resolveEndpointUrl(baseUrl, '/v1'));
    } catch {
      return false;
    }
    if (url.protocol !== 'http:' || api.isLoopbackHost(url.hostname)) {
      return false;
    }
    const host = url.host;
    if (this.deps.globalState.get<string[]>(INSECURE_HOSTS_KEY, []).includes(host)) {
      return true;
    }
    let consent = this.consents.get(host);
    if (!consent) {
      consent = this.askInsecureHttp(host).finally(() => this.consents.delete(host));
      this.consents.set(host, consent);
    }
    return consent;
  }

  private async askInsecureHttp(host: string): Promise<boolean> {
    const send = vscode.l10n.t('Send Unencrypted');
    // A dialog that cannot be shown (the extension test host refuses every one) is a no.
    const choice = await Promise.resolve(vscode.window.showWarningMessage(
      vscode.l10n.t('{0} is reached over plain http://, not https://.', host),
      {
        modal: true,
        detail: vscode.l10n.t(
          'Your AnyAPI key and your code would travel unencrypted: anyone on the network path could read them and use your key. Send them to {0} anyway? The answer is remembered for this server.',
          host,
        ),
      },
      send,
    )).catch((error: unknown) => {
      this.deps.logger.forComponent('http').warn(`Could not ask about plain http:// to ${host}: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    });
    if (choice !== send) {
      return false;
    }
    const allowed = this.deps.globalState.get<string[]>(INSECURE_HOSTS_KEY, []);
    await this.deps.globalState.update(INSECURE_HOSTS_KEY, [...new Set([...allowed, host])]);
    return true;
  }

  private async clientOptions(config: ExtensionConfig, extras: Parameters<typeof buildClientOptions>[3] = {}): Promise<ClientOptions> {
    const key = await this.key();
    const allowInsecureHttp = await this.allowsInsecureHttp(config.baseUrl);
    return { ...buildClientOptions(config, key, this.deps.logger, extras), allowInsecureHttp };
  }

  /** The stored key, or a MissingKeyError. */
  async key(): Promise<string> {
    const key = await this.deps.keyStore.get();
    if (!key) {
      throw new MissingKeyError();
    }
    return key;
  }

  /** Sends one request to `/v1/responses` (or Chat Completions) with the current settings and key. */
  async send(options: SendRequestOptions): Promise<SentAnswer> {
    const config = readConfig(options.scope);
    const clientOptions = await this.clientOptions(config, { signal: options.signal, onDelta: options.onDelta });
    const request = buildRequest(config, options.input, options.stream ?? config.stream);
    const result = await this.deps.activity.track(loadApi().createResponse(request, clientOptions));
    return { ...result, config };
  }

  /** `GET /v1/models` with the current settings and key. */
  async listModels(options: ModelRequestOptions = {}): Promise<ModelInfo[]> {
    const config = readConfig(options.scope);
    return loadApi().listModels(await this.clientOptions(config, { signal: options.signal }));
  }

  /** Test Connection: the resolved URL, status, latency and models, with the key masked for display. */
  async probe(options: ModelRequestOptions = {}): Promise<ProbeResult & { readonly maskedKey: string; readonly baseUrl: string }> {
    const config = readConfig(options.scope);
    const clientOptions = await this.clientOptions(config, { signal: options.signal });
    const api = loadApi();
    const probe = await api.probeConnection(clientOptions);
    return { ...probe, maskedKey: api.maskKey(clientOptions.apiKey), baseUrl: config.baseUrl };
  }

  /** The masked form of the stored key (`sk-…abcd`), for messages; loads the client's masking only. */
  async maskedKey(): Promise<string> {
    return loadApi().maskKey(await this.key());
  }
}

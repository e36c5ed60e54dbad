// The one road to the API: every command and the chat send through here (key, settings, options, the lazily
// loaded client, activity for the status bar, one log line per request).
import type * as vscode from 'vscode';
import type { InputMessage, ModelInfo, ProbeResult, ResponseResult } from '../api/index';
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

export interface SentAnswer extends ResponseResult {
  /** The settings the request was sent with. */
  readonly config: ExtensionConfig;
}

export interface ModelRequestOptions {
  readonly scope?: vscode.ConfigurationScope;
  readonly signal?: AbortSignal;
}

export class RequestService {
  constructor(private readonly deps: RequestDeps) {}

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
    const key = await this.key();
    const request = buildRequest(config, options.input, options.stream ?? config.stream);
    const clientOptions = buildClientOptions(config, key, this.deps.logger, { signal: options.signal, onDelta: options.onDelta });
    const result = await this.deps.activity.track(loadApi().createResponse(request, clientOptions));
    return { ...result, config };
  }

  /** `GET /v1/models` with the current settings and key. */
  async listModels(options: ModelRequestOptions = {}): Promise<ModelInfo[]> {
    const config = readConfig(options.scope);
    const key = await this.key();
    return loadApi().listModels(buildClientOptions(config, key, this.deps.logger, { signal: options.signal }));
  }

  /** Test Connection: the resolved URL, status, latency and models, with the key masked for display. */
  async probe(options: ModelRequestOptions = {}): Promise<ProbeResult & { readonly maskedKey: string; readonly baseUrl: string }> {
    const config = readConfig(options.scope);
    const key = await this.key();
    const api = loadApi();
    const probe = await api.probeConnection(buildClientOptions(config, key, this.deps.logger, { signal: options.signal }));
    return { ...probe, maskedKey: api.maskKey(key), baseUrl: config.baseUrl };
  }

  /** The masked form of the stored key (`sk-…abcd`), for messages; loads the client's masking only. */
  async maskedKey(): Promise<string> {
    return loadApi().maskKey(await this.key());
  }
}

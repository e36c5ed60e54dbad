/** Types of the AnyAPI client's public surface. Plain data: no vscode, no undici. */

export type InputRole = 'user' | 'assistant' | 'system' | 'developer';

export interface InputMessage {
  role: InputRole;
  content: string;
}

/** The body of `POST /v1/responses`, as the extension builds it. */
export interface ResponseRequest {
  model: string;
  input: InputMessage[];
  stream?: boolean;
  instructions?: string;
  max_output_tokens?: number;
  temperature?: number;
  reasoning?: { effort: string };
}

export type EndpointKind = 'responses' | 'chatCompletions';
export type EndpointMode = 'auto' | EndpointKind;

export interface Usage {
  inputTokens: number;
  outputTokens: number;
  totalTokens: number;
  reasoningTokens?: number;
}

export interface ResponseResult {
  /** The whole answer text (all `output_text` parts joined). */
  text: string;
  status: 'completed' | 'incomplete';
  /** Why an `incomplete` answer stopped, e.g. `max_output_tokens` or `content_filter`. */
  incompleteReason?: string;
  /** The model the server says answered. */
  model?: string;
  /** The response id (`resp_…` or `chatcmpl-…`). */
  id?: string;
  /** The endpoint that produced the answer (differs from the request in `auto` mode after a fallback). */
  endpoint: EndpointKind;
  usage?: Usage;
  /** The relay's request id header (`x-request-id` / `x-oneapi-request-id`), for support questions. */
  requestId?: string;
}

export interface ModelInfo {
  id: string;
  ownedBy?: string;
  /** new-api's `supported_endpoint_types`, e.g. `['openai', 'openai-response']`. */
  supportedEndpointTypes?: string[];
  /** The context window (input and answer) in tokens, when the relay reports it (`context_length`, `context_window`, …). */
  contextLength?: number;
  /** The most input tokens the model takes, when the relay reports it (`max_input_tokens`, …). */
  maxInputTokens?: number;
}

export interface ProbeResult {
  /** The resolved `…/v1/models` URL that was called. */
  url: string;
  status: number;
  latencyMs: number;
  models: ModelInfo[];
}

export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface ProxyOptions {
  /** e.g. `http://proxy.corp:3128` or `socks5://user:pass@127.0.0.1:7890` (VS Code's `http.proxy`). Without it the environment is used. */
  url?: string;
  /** Comma-separated hosts that bypass the proxy (`NO_PROXY` syntax). */
  noProxy?: string;
  /** VS Code's `http.proxyStrictSSL`: false accepts the certificates of a TLS-inspecting proxy. Default true. */
  strictSSL?: boolean;
  /** VS Code's `http.proxyAuthorization`: sent as `Proxy-Authorization` to an HTTP proxy. */
  authorization?: string;
  /** VS Code's `http.proxySupport: off`: no proxy at all, not even one from the environment. */
  disabled?: boolean;
}

export interface RetryInfo {
  /** 1 for the first retry. */
  attempt: number;
  delayMs: number;
  status?: number;
  reason: string;
}

export interface ClientOptions {
  /** e.g. `https://www.anyapi.vip` (with or without `/v1`, trailing slashes allowed). */
  baseUrl: string;
  apiKey: string;
  /** Aborting ends the request at once and closes the socket; rejects with kind `aborted`. */
  signal?: AbortSignal;
  /** Called with each piece of answer text as it arrives. */
  onDelta?: (text: string) => void;
  /** Retries of failed attempts before any text arrived. Default 2. */
  maxRetries?: number;
  /** Base of the exponential backoff between retries. Default 500 ms. */
  retryBaseDelayMs?: number;
  /** Called before each retry (e.g. to show "retrying…"). */
  onRetry?: (info: RetryInfo) => void;
  /** TCP + TLS connection. Default 30 s. */
  connectTimeoutMs?: number;
  /** From sending the request to the first byte of the response body. Default 10 min. */
  firstByteTimeoutMs?: number;
  /** Silence allowed between two events of a stream (comment pings do not count) or two chunks of a body. Default 2 min. */
  idleTimeoutMs?: number;
  /** Proxy; without `url`, `HTTPS_PROXY`/`HTTP_PROXY`/`NO_PROXY` from the environment apply. */
  proxy?: ProxyOptions;
  /** Default `auto`: Responses, falling back to Chat Completions when the server says the model needs it. */
  endpoint?: EndpointMode;
  /**
   * Send over plain `http://` to a host other than this machine (the key then travels unencrypted): only after the
   * user agreed for that host. Without it such a base URL is refused before any connection (kind `insecureBaseUrl`).
   */
  allowInsecureHttp?: boolean;
  /** The most bytes a non-streamed answer may have (default 64 MB); a larger one fails as kind `tooLarge`. */
  maxAnswerBytes?: number;
  /** The most characters of answer text taken (default 1,000,000); past it the request ends as kind `tooLarge`. */
  maxAnswerChars?: number;
  /** Receives one line per request event; the key is always redacted. */
  logger?: Logger;
  userAgent?: string;
}

export type ListModelsOptions = Omit<ClientOptions, 'onDelta' | 'endpoint'>;

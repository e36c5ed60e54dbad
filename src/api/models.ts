/** GET /v1/models: the model list for Select Model, and the probe behind Test Connection. */
import { ApiError } from './errors';
import { makeContext, rejectUnusable, requireKey, sanitize, withRetries } from './requestContext';
import { openRequest } from './transport';
import type { ListModelsOptions, ModelInfo, ProbeResult } from './types';
import { assertSecureBaseUrl, hostOf, resolveEndpointUrl } from './url';

interface ModelsFetch {
  url: string;
  status: number;
  latencyMs: number;
  models: ModelInfo[];
}

/** How relays name a model's whole window: OpenRouter, Together, Groq, Mistral, vLLM, LM Studio, GitHub's list. */
const WINDOW_FIELDS = ['context_length', 'context_window', 'max_context_length', 'max_context_window_tokens', 'max_model_len', 'context_size'];
/** And the most input it takes (LiteLLM, GitHub's list, Gemini). */
const INPUT_FIELDS = ['max_input_tokens', 'max_prompt_tokens', 'input_token_limit', 'inputTokenLimit'];
/** Where relays put them: on the model, or in one of these objects of it. */
const LIMIT_HOLDERS: readonly (readonly string[])[] = [[], ['top_provider'], ['limits'], ['capabilities', 'limits'], ['metadata'], ['model_info']];

/** The first plausible token count under one of `fields` (a number or a numeric string; 0 and -1 mean unknown). */
function tokenLimit(entry: object, fields: readonly string[]): number | undefined {
  for (const path of LIMIT_HOLDERS) {
    let holder: unknown = entry;
    for (const key of path) holder = holder !== null && typeof holder === 'object' ? (holder as Record<string, unknown>)[key] : undefined;
    if (holder === null || typeof holder !== 'object') continue;
    for (const field of fields) {
      const raw = (holder as Record<string, unknown>)[field];
      const value = typeof raw === 'string' && /^\s*\d+\s*$/.test(raw) ? Number(raw) : raw;
      if (typeof value === 'number' && Number.isFinite(value) && value >= 256 && value <= 100_000_000) return Math.floor(value);
    }
  }
  return undefined;
}

function parseModels(json: unknown): ModelInfo[] {
  const list: unknown[] = Array.isArray(json)
    ? json
    : json !== null && typeof json === 'object'
      ? ((json as { data?: unknown; models?: unknown }).data ?? (json as { models?: unknown }).models) as unknown[]
      : [];
  if (!Array.isArray(list)) {
    throw new ApiError({ kind: 'server', reason: 'notModelList', retryable: false, message: 'The model list has no data[].' });
  }
  const models: ModelInfo[] = [];
  for (const entry of list) {
    if (entry === null || typeof entry !== 'object') continue;
    const raw = entry as { id?: unknown; owned_by?: unknown; supported_endpoint_types?: unknown };
    if (typeof raw.id !== 'string' || raw.id === '') continue;
    const model: ModelInfo = { id: raw.id };
    if (typeof raw.owned_by === 'string' && raw.owned_by !== '') model.ownedBy = raw.owned_by;
    if (Array.isArray(raw.supported_endpoint_types)) {
      model.supportedEndpointTypes = raw.supported_endpoint_types.filter((t): t is string => typeof t === 'string');
    }
    const contextLength = tokenLimit(entry, WINDOW_FIELDS);
    if (contextLength !== undefined) model.contextLength = contextLength;
    const maxInputTokens = tokenLimit(entry, INPUT_FIELDS);
    if (maxInputTokens !== undefined) model.maxInputTokens = maxInputTokens;
    models.push(model);
  }
  return models;
}

async function fetchModels(options: ListModelsOptions): Promise<ModelsFetch> {
  const ctx = makeContext(options);
  try {
    requireKey(ctx);
    const url = resolveEndpointUrl(options.baseUrl, '/v1/models');
    assertSecureBaseUrl(url, options.allowInsecureHttp);
    return await withRetries(ctx, { delivered: false }, async () => {
      ctx.log('debug', `GET ${url}`);
      const response = await openRequest(ctx.transport, { method: 'GET', url, accept: 'application/json' });
      try {
        await rejectUnusable(ctx, response, url);
        const text = await response.readText(16 * 1024 * 1024);
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          throw new ApiError({
            kind: /^\s*</.test(text) ? 'wrongBaseUrl' : 'server',
            reason: 'notModelList',
            retryable: false,
            status: response.status,
            facts: { url, host: hostOf(url) },
            message: `${url} did not answer with a model list.`,
          });
        }
        const models = parseModels(json);
        const latencyMs = Math.round(response.elapsedMs());
        ctx.log(
          'info',
          `${response.status} GET /v1/models request-id=${response.requestId ?? '-'} models=${models.length} in ${latencyMs} ms`,
        );
        return { url, status: response.status, latencyMs, models };
      } catch (error) {
        if (error instanceof ApiError) {
          ctx.log('error', `${error.kind}${error.status !== undefined ? ` ${error.status}` : ''} GET /v1/models: ${error.message}`);
        }
        throw error;
      } finally {
        response.close();
      }
    });
  } catch (error) {
    throw sanitize(error, ctx);
  }
}

/** `GET /v1/models`: the models the key may use, with new-api's `supported_endpoint_types` when present. */
export async function listModels(options: ListModelsOptions): Promise<ModelInfo[]> {
  return (await fetchModels(options)).models;
}

/** For “Test Connection”: the resolved URL, HTTP status, latency and the model list. */
export async function probeConnection(options: ListModelsOptions): Promise<ProbeResult> {
  return fetchModels(options);
}

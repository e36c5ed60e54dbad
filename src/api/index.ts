/**
 * The AnyAPI client: plain Node (no vscode import), bundled into dist/api.js and loaded on first use.
 * The extension imports only types from here and calls the functions through loadApi().
 */
export { createResponse, forgetEndpointChoices, listModels, probeConnection } from './client';
export { ApiError } from './errors';
export { strangeKeyCharacters } from './keyFormat';
export type { ApiErrorKind } from './errors';
export { closeDispatchers as closeConnections } from './proxy';
export { maskKey, redact } from './redact';
export { isLoopbackHost, resolveEndpointUrl } from './url';
export type {
  ClientOptions,
  EndpointKind,
  EndpointMode,
  InputMessage,
  InputRole,
  ListModelsOptions,
  Logger,
  ModelInfo,
  ProbeResult,
  ProxyOptions,
  ResponseRequest,
  ResponseResult,
  RetryInfo,
  Usage,
} from './types';

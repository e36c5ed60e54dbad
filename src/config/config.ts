import * as vscode from 'vscode';
import type { EndpointMode } from '../api/index';
import { CONFIG_SECTION, DEFAULT_BASE_URL, DEFAULT_MODEL, Setting } from '../constants';

export type { EndpointMode };

/** One typed snapshot of the `anyapi.*` settings (plus the proxy settings the client needs). */
export interface ExtensionConfig {
  readonly model: string;
  readonly baseUrl: string;
  readonly instructions: string | undefined;
  readonly maxOutputTokens: number | undefined;
  readonly temperature: number | undefined;
  readonly reasoningEffort: string | undefined;
  readonly stream: boolean;
  readonly endpoint: EndpointMode;
  readonly requestTimeoutSeconds: number;
  readonly proxy: { readonly url?: string; readonly noProxy?: string; readonly strictSSL: boolean };
}

const ENDPOINT_MODES: readonly EndpointMode[] = ['auto', 'responses', 'chatCompletions'];

/** Reads the settings for a resource (the active document), honouring workspace trust for `baseUrl`. */
export function readConfig(scope?: vscode.ConfigurationScope | null): ExtensionConfig {
  // `null`, not undefined, when there is no document: resource-scoped settings then come without a warning.
  const config = vscode.workspace.getConfiguration(CONFIG_SECTION, scope ?? null);
  const http = vscode.workspace.getConfiguration('http');
  const endpoint = config.get<string>(Setting.Endpoint, 'auto');
  const effort = config.get<string>(Setting.ReasoningEffort, 'default');
  const noProxy = http.get<string[]>('noProxy', []);
  return {
    model: config.get<string>(Setting.Model, DEFAULT_MODEL).trim() || DEFAULT_MODEL,
    baseUrl: readBaseUrl(config),
    instructions: (trustedValue<string>(config, Setting.Instructions) ?? '').trim() || undefined,
    maxOutputTokens: positiveOrUndefined(config.get<number | null>(Setting.MaxOutputTokens, null)),
    temperature: numberOrUndefined(config.get<number | null>(Setting.Temperature, null)),
    reasoningEffort: effort && effort !== 'default' ? effort : undefined,
    stream: config.get<boolean>(Setting.Stream, true),
    endpoint: (ENDPOINT_MODES as readonly string[]).includes(endpoint) ? (endpoint as EndpointMode) : 'auto',
    requestTimeoutSeconds: Math.max(10, config.get<number>(Setting.RequestTimeoutSeconds, 600) || 600),
    proxy: {
      url: http.get<string>('proxy', '').trim() || undefined,
      noProxy: Array.isArray(noProxy) && noProxy.length > 0 ? noProxy.join(',') : undefined,
      strictSSL: http.get<boolean>('proxyStrictSSL', true),
    },
  };
}

/**
 * The base URL decides where the key is sent, so a value from a workspace is never used: the setting's scope
 * already keeps it out of workspace settings, and an untrusted workspace is refused here as well.
 */
function readBaseUrl(config: vscode.WorkspaceConfiguration): string {
  const inspected = config.inspect<string>(Setting.BaseUrl);
  const value = vscode.workspace.isTrusted ? config.get<string>(Setting.BaseUrl) : inspected?.globalValue;
  return (value ?? '').trim() || DEFAULT_BASE_URL;
}

/**
 * A setting that steers what the model is told to write (instructions, prompt templates): a cloned repository
 * could use it to slip code into edits, so an untrusted workspace's value is ignored.
 */
export function trustedValue<T>(config: vscode.WorkspaceConfiguration, key: string): T | undefined {
  return vscode.workspace.isTrusted ? config.get<T>(key) : config.inspect<T>(key)?.globalValue;
}

function positiveOrUndefined(value: number | null | undefined): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.floor(value) : undefined;
}

function numberOrUndefined(value: number | null | undefined): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

export function affectsExtension(event: vscode.ConfigurationChangeEvent): boolean {
  return (
    event.affectsConfiguration(CONFIG_SECTION) ||
    event.affectsConfiguration('http.proxy') ||
    event.affectsConfiguration('http.noProxy') ||
    event.affectsConfiguration('http.proxyStrictSSL')
  );
}

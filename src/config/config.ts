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
  /** `anyapi.contextWindowTokens` when the user set it; undefined: the relay's model list decides, else the default. */
  readonly contextWindowTokens?: number;
  readonly temperature: number | undefined;
  readonly reasoningEffort: string | undefined;
  readonly stream: boolean;
  readonly endpoint: EndpointMode;
  /** Until the first byte of an answer. */
  readonly requestTimeoutSeconds: number;
  /** Between two events of a streamed answer (keep-alive pings do not count). */
  readonly idleTimeoutSeconds: number;
  readonly proxy: { readonly url?: string; readonly noProxy?: string; readonly strictSSL: boolean; readonly authorization?: string; readonly disabled: boolean };
  /** Workspace values an untrusted workspace sets but that are ignored (the user's settings apply), e.g. `anyapi.model`. */
  readonly ignoredWorkspaceSettings: readonly string[];
}

/** How much of a conversation each chat request sends (and the key pays for). */

/**
 * What the user's key pays for, which a cloned repository must not decide before the workspace is trusted: ignored
 * here rather than listed in `restrictedConfigurations`, because VS Code hides restricted workspace values, and the
 * status bar must be able to say which of the workspace's settings are not applied.
 */
const TRUST_BOUND_SETTINGS = [Setting.Model, Setting.MaxOutputTokens, Setting.ReasoningEffort, Setting.ContextWindowTokens] as const;

const ENDPOINT_MODES: readonly EndpointMode[] = ['auto', 'responses', 'chatCompletions'];

/** Reads the settings for a resource (the active document), honouring workspace trust for `baseUrl`. */
export function readConfig(scope?: vscode.ConfigurationScope | null): ExtensionConfig {
  // `null`, not undefined, when there is no document: resource-scoped settings then come without a warning.
  const config = vscode.workspace.getConfiguration(CONFIG_SECTION, scope ?? null);
  const http = vscode.workspace.getConfiguration('http');
  const endpoint = config.get<string>(Setting.Endpoint, 'auto');
  const effort = trustedValue<string>(config, Setting.ReasoningEffort) ?? 'default';
  const noProxy = http.get<string[]>('noProxy', []);
  return {
    model: (trustedValue<string>(config, Setting.Model) ?? DEFAULT_MODEL).trim() || DEFAULT_MODEL,
    baseUrl: readBaseUrl(config),
    instructions: (trustedValue<string>(config, Setting.Instructions) ?? '').trim() || undefined,
    maxOutputTokens: positiveOrUndefined(trustedValue<number | null>(config, Setting.MaxOutputTokens)),
    contextWindowTokens: positiveOrUndefined(chosenValue<number | null>(config, Setting.ContextWindowTokens)),
    temperature: numberOrUndefined(config.get<number | null>(Setting.Temperature, null)),
    reasoningEffort: effort && effort !== 'default' ? effort : undefined,
    stream: config.get<boolean>(Setting.Stream, true),
    endpoint: (ENDPOINT_MODES as readonly string[]).includes(endpoint) ? (endpoint as EndpointMode) : 'auto',
    requestTimeoutSeconds: Math.max(10, config.get<number>(Setting.RequestTimeoutSeconds, 600) || 600),
    idleTimeoutSeconds: Math.max(10, config.get<number>(Setting.IdleTimeoutSeconds, 120) || 120),
    proxy: {
      url: http.get<string>('proxy', '').trim() || undefined,
      noProxy: Array.isArray(noProxy) && noProxy.length > 0 ? noProxy.join(',') : undefined,
      strictSSL: http.get<boolean>('proxyStrictSSL', true),
      authorization: http.get<string | null>('proxyAuthorization', null)?.trim() || undefined,
      // `off`: VS Code itself uses no proxy, so neither does the extension (not even HTTPS_PROXY from the environment).
      disabled: http.get<string>('proxySupport', 'override') === 'off',
    },
    ignoredWorkspaceSettings: vscode.workspace.isTrusted ? [] : TRUST_BOUND_SETTINGS.filter((key) => setInWorkspace(config, key)).map((key) => `${CONFIG_SECTION}.${key}`),
  };
}

function setInWorkspace(config: vscode.WorkspaceConfiguration, key: string): boolean {
  const inspected = config.inspect(key);
  return inspected?.workspaceValue !== undefined || inspected?.workspaceFolderValue !== undefined;
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
 * A setting an untrusted workspace may not decide (what the key pays for, what the model is told to write): a cloned
 * repository could otherwise run up the bill or slip code into edits, so its value is ignored until it is trusted.
 */
export function trustedValue<T>(config: vscode.WorkspaceConfiguration, key: string): T | undefined {
  return vscode.workspace.isTrusted ? config.get<T>(key) : config.inspect<T>(key)?.globalValue;
}

/** A setting's value only where the user set it (its default stands for "not chosen"), as workspace trust allows. */
function chosenValue<T>(config: vscode.WorkspaceConfiguration, key: string): T | undefined {
  const inspected = config.inspect<T>(key);
  const chosen = vscode.workspace.isTrusted
    ? inspected?.workspaceFolderValue !== undefined || inspected?.workspaceValue !== undefined || inspected?.globalValue !== undefined
    : inspected?.globalValue !== undefined;
  return chosen ? trustedValue<T>(config, key) : undefined;
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
    event.affectsConfiguration('http.proxyStrictSSL') ||
    event.affectsConfiguration('http.proxyAuthorization') ||
    event.affectsConfiguration('http.proxySupport')
  );
}

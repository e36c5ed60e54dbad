import * as vscode from 'vscode';
import type { ModelInfo } from '../api/index';
import { readConfig } from '../config/config';
import type { ModelTarget, ModelTargetFacts } from '../config/modelTarget';
import { chooseModelTarget } from '../config/modelTarget';
import { settingsScope } from '../config/settingsScope';
import { rememberReportedWindows } from '../context/reportedWindows';
import { CONFIG_SECTION, Setting } from '../constants';
import type { Services } from '../services';
import { describeError } from '../errors/describeError';

const CACHE_TTL_MS = 10 * 60 * 1000;
const cache = new Map<string, { models: ModelInfo[]; at: number }>();

interface ModelPickItem extends vscode.QuickPickItem {
  readonly modelId?: string;
  readonly refresh?: boolean;
}

/** Where the model was written, so the user hears it (and the tests can check it). */
export interface SelectModelResult {
  readonly model: string;
  readonly target: 'user' | 'workspace' | 'workspaceFolder';
  /** The folder whose own settings now hold the model, when `target` is `workspaceFolder`. */
  readonly folder?: string;
  /** The notice shown: where the model was written. */
  readonly message: string;
}

/**
 * A quick pick of the server's models (cached, refreshable, the current one marked, Responses-capable models
 * first when the server says so), plus free text for an id not listed. A string argument selects that model.
 * The model is written where it takes effect for the file the next request is about (see `chooseModelTarget`).
 */
export async function selectModel(services: Services, modelArgument?: unknown): Promise<SelectModelResult | undefined> {
  const model = typeof modelArgument === 'string' && modelArgument.trim() ? modelArgument.trim() : await pickModel(services);
  if (!model) {
    return undefined;
  }
  // Resolved after the pick: the quick pick may have taken a while, and the user may have switched files.
  const folder = folderOf(settingsScope());
  const target = chooseModelTarget(targetFacts(folder));
  if (target.kind === 'folder' && folder) {
    await vscode.workspace.getConfiguration(CONFIG_SECTION, folder.uri).update(Setting.Model, model, vscode.ConfigurationTarget.WorkspaceFolder);
  } else {
    const configTarget = target.kind === 'user' ? vscode.ConfigurationTarget.Global : vscode.ConfigurationTarget.Workspace;
    await vscode.workspace.getConfiguration(CONFIG_SECTION, null).update(Setting.Model, model, configTarget);
  }
  services.logger.forComponent('selectModel').info(`Model set to ${model} in ${describeTarget(target)}.`);
  const message = noticeFor(target, model);
  void vscode.window.showInformationMessage(message);
  return {
    model,
    target: target.kind === 'user' ? 'user' : target.kind === 'folder' ? 'workspaceFolder' : 'workspace',
    ...(target.kind === 'folder' ? { folder: target.folderName } : {}),
    message,
  };
}

/** The folder of the file the next request is about (none for a file outside every folder, or no file). */
function folderOf(scope: vscode.Uri | undefined): vscode.WorkspaceFolder | undefined {
  return scope ? vscode.workspace.getWorkspaceFolder(scope) : undefined;
}

function targetFacts(folder: vscode.WorkspaceFolder | undefined): ModelTargetFacts {
  const file = vscode.workspace.workspaceFile;
  return {
    folderCount: vscode.workspace.workspaceFolders?.length ?? 0,
    trusted: vscode.workspace.isTrusted,
    ...(file ? { workspaceFile: { untitled: file.scheme === 'untitled', name: file.path.split('/').pop() ?? '' } } : {}),
    ...(folder
      ? {
          folder: {
            name: folder.name,
            setsModel: vscode.workspace.getConfiguration(CONFIG_SECTION, folder.uri).inspect(Setting.Model)?.workspaceFolderValue !== undefined,
          },
        }
      : {}),
  };
}

/** For the log, in English. */
function describeTarget(target: ModelTarget): string {
  switch (target.kind) {
    case 'user':
      return target.untrusted ? 'user settings (the workspace is not trusted)' : 'user settings';
    case 'workspaceSettings':
      return 'workspace settings (.vscode/settings.json)';
    case 'workspaceFile':
      return `the workspace file ${target.fileName}`;
    case 'untitledWorkspace':
      return 'the untitled workspace';
    case 'folder':
      return `the settings of folder ${target.folderName}`;
  }
}

/** What the user reads: the model, and the settings it went to. */
function noticeFor(target: ModelTarget, model: string): string {
  switch (target.kind) {
    case 'user':
      return target.untrusted
        ? vscode.l10n.t({
            message: 'AnyAPI model set to {0} in your user settings: this workspace is not trusted, so the model its settings choose is ignored.',
            args: [model],
            comment: '{0} is a model id, e.g. gpt-5.1',
          })
        : vscode.l10n.t('AnyAPI model set to {0} in your user settings.', model);
    case 'workspaceSettings':
      return vscode.l10n.t('AnyAPI model set to {0} in the workspace settings (.vscode/settings.json).', model);
    case 'workspaceFile':
      return vscode.l10n.t('AnyAPI model set to {0} in the workspace file ({1}).', model, target.fileName);
    case 'untitledWorkspace':
      return vscode.l10n.t({
        message: 'AnyAPI model set to {0} in the settings of the untitled workspace.',
        args: [model],
        comment: '{0} is a model id, e.g. gpt-5.1; the untitled workspace is a multi-root workspace not saved to a file',
      });
    case 'folder':
      return vscode.l10n.t({
        message: 'AnyAPI model set to {0} in the settings of the folder “{1}” (its .vscode/settings.json), which chooses its own model.',
        args: [model, target.folderName],
        comment: '{0} is a model id, e.g. gpt-5.1; {1} is the name of a folder of the workspace',
      });
  }
}

async function pickModel(services: Services): Promise<string | undefined> {
  const config = readConfig(settingsScope());
  const picker = vscode.window.createQuickPick<ModelPickItem>();
  picker.title = vscode.l10n.t('AnyAPI: Select Model');
  picker.placeholder = vscode.l10n.t('Pick a model, or type a model id and press Enter (current: {0})', config.model);
  picker.matchOnDescription = true;
  picker.ignoreFocusOut = true;

  let listed: ModelPickItem[] = [];
  const render = (): void => {
    const typed = picker.value.trim();
    const exact = listed.some((item) => item.modelId === typed);
    const custom: ModelPickItem[] =
      typed && !exact
        ? [{ label: `$(edit) ${typed}`, description: vscode.l10n.t('Use this model id'), modelId: typed, alwaysShow: true }]
        : [];
    picker.items = [...custom, ...listed];
  };

  const load = async (force: boolean): Promise<void> => {
    picker.busy = true;
    try {
      const models = await fetchModels(services, config.baseUrl, force);
      listed = buildItems(models, config.model);
    } catch (error) {
      // Without a key the list stays empty, and a typed model id still works.
      const message = describeError(error, config.baseUrl).message;
      listed = [
        { label: `$(warning) ${message}`, alwaysShow: true },
        ...buildItems([], config.model),
      ];
    } finally {
      picker.busy = false;
      render();
    }
  };

  return new Promise<string | undefined>((resolve) => {
    let settled = false;
    const finish = (value: string | undefined): void => {
      if (!settled) {
        settled = true;
        resolve(value);
        picker.dispose();
      }
    };
    picker.onDidChangeValue(render);
    picker.onDidAccept(() => {
      const item = picker.selectedItems[0];
      if (item?.refresh) {
        void load(true);
        return;
      }
      const typed = picker.value.trim();
      finish(item?.modelId ?? (typed || undefined));
    });
    picker.onDidHide(() => finish(undefined));
    picker.show();
    void load(false);
  });
}


/** Another key may see other models: the cached lists are dropped when the key changes. */
export function forgetModelLists(): void {
  cache.clear();
}

async function fetchModels(services: Services, baseUrl: string, force: boolean): Promise<ModelInfo[]> {
  const cached = cache.get(baseUrl);
  if (!force && cached && Date.now() - cached.at < CACHE_TTL_MS) {
    return cached.models;
  }
  const models = await services.requests.listModels({ scope: settingsScope() });
  cache.set(baseUrl, { models, at: Date.now() });
  // The chat fits its history to the window the relay reports for a model (unless anyapi.contextWindowTokens is set).
  rememberReportedWindows(baseUrl, models);
  return models;
}

function supportsResponses(model: ModelInfo): boolean | undefined {
  if (!model.supportedEndpointTypes) {
    return undefined;
  }
  return model.supportedEndpointTypes.some((type) => /response/i.test(type));
}

function buildItems(models: readonly ModelInfo[], current: string): ModelPickItem[] {
  const items: ModelPickItem[] = [];
  const toItem = (model: ModelInfo): ModelPickItem => ({
    label: model.id === current ? `$(check) ${model.id}` : model.id,
    description: [model.id === current ? vscode.l10n.t('current') : undefined, model.ownedBy].filter(Boolean).join(' · '),
    detail: model.supportedEndpointTypes?.length ? model.supportedEndpointTypes.join(', ') : undefined,
    modelId: model.id,
  });
  const sorted = [...models].sort((a, b) => a.id.localeCompare(b.id));
  const responses = sorted.filter((model) => supportsResponses(model) === true);
  const others = sorted.filter((model) => supportsResponses(model) !== true);
  if (!models.some((model) => model.id === current)) {
    items.push({ label: `$(check) ${current}`, description: vscode.l10n.t('current'), modelId: current });
  }
  if (responses.length > 0) {
    items.push({ label: vscode.l10n.t('Responses API'), kind: vscode.QuickPickItemKind.Separator });
    items.push(...responses.map(toItem));
    if (others.length > 0) {
      items.push({ label: vscode.l10n.t('Other models'), kind: vscode.QuickPickItemKind.Separator });
    }
  }
  items.push(...others.map(toItem));
  items.push({ label: '', kind: vscode.QuickPickItemKind.Separator });
  items.push({ label: `$(refresh) ${vscode.l10n.t('Refresh the model list')}`, refresh: true, alwaysShow: true });
  return items;
}

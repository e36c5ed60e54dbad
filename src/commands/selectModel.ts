import * as vscode from 'vscode';
import type { ModelInfo } from '../api/index';
import { readConfig } from '../config/config';
import { CONFIG_SECTION, Setting } from '../constants';
import type { Services } from '../services';
import { describeError } from '../errors/describeError';

const CACHE_TTL_MS = 10 * 60 * 1000;
const cache = new Map<string, { models: ModelInfo[]; at: number }>();

interface ModelPickItem extends vscode.QuickPickItem {
  readonly modelId?: string;
  readonly refresh?: boolean;
}

/** Where the model was written, so the user hears it. */
export interface SelectModelResult {
  readonly model: string;
  readonly target: 'workspace' | 'user';
}

/**
 * A quick pick of the server's models (cached, refreshable, the current one marked, Responses-capable models
 * first when the server says so), plus free text for an id not listed. A string argument selects that model.
 */
export async function selectModel(services: Services, modelArgument?: unknown): Promise<SelectModelResult | undefined> {
  const model = typeof modelArgument === 'string' && modelArgument.trim() ? modelArgument.trim() : await pickModel(services);
  if (!model) {
    return undefined;
  }
  const inWorkspace = (vscode.workspace.workspaceFolders?.length ?? 0) > 0;
  const target = inWorkspace ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
  await vscode.workspace.getConfiguration(CONFIG_SECTION, null).update(Setting.Model, model, target);
  services.logger.forComponent('selectModel').info(`Model set to ${model} in ${inWorkspace ? 'workspace' : 'user'} settings.`);
  void vscode.window.showInformationMessage(
    !inWorkspace
      ? vscode.l10n.t('AnyAPI model set to {0} in your user settings.', model)
      : vscode.workspace.workspaceFile && vscode.workspace.workspaceFile.scheme !== 'untitled'
        ? vscode.l10n.t('AnyAPI model set to {0} in the workspace file ({1}).', model, vscode.workspace.workspaceFile.path.split('/').pop() ?? '')
        : vscode.l10n.t('AnyAPI model set to {0} in the workspace settings (.vscode/settings.json).', model),
  );
  return { model, target: inWorkspace ? 'workspace' : 'user' };
}

async function pickModel(services: Services): Promise<string | undefined> {
  const config = readConfig(vscode.window.activeTextEditor?.document.uri);
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
  const models = await services.requests.listModels({ scope: vscode.window.activeTextEditor?.document.uri });
  cache.set(baseUrl, { models, at: Date.now() });
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

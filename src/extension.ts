// Activation: only what must be there from startup (the key's context, the status bar, the light bulb on problems,
// the terminal recorder) and stand-ins for the commands and the chat view. The features are a bundle of their own,
// dist/features.js, required when a command first runs or the chat view first opens.
import * as path from 'path';
import * as vscode from 'vscode';
import { TerminalCommands } from './attachments/terminal';
import { KeyStore } from './config/keyStore';
import { FailableSecretStorage } from './config/testSecrets';
import { CHAT_VIEW_ID } from './constants';
import type * as FeaturesModule from './features';
import { ActivityTracker } from './requests/activity';
import { ProblemActions } from './selection/problems';
import type { StartupServices } from './services';
import type { ModelStatus } from './statusBar/modelStatusBar';
import { registerModelStatusBar } from './statusBar/modelStatusBar';
import { DisposableStore } from './util/disposables';
import { Logger } from './util/logger';

/** What the extension exposes to other extensions and to its own integration tests. Never the key. */
export interface AnyApiExtensionApi {
  hasApiKey(): Promise<boolean>;
  isClientLoaded(): boolean;
  /** Whether dist/features.js was loaded (a command ran or the chat view opened). */
  areFeaturesLoaded(): boolean;
  /** What the model status-bar item shows (text, tooltip, command). */
  modelStatus(): ModelStatus;
  /** Only in the extension's own tests: makes secret storage fail as it does without a keyring. */
  failSecretStorage?(failing: boolean): void;
  /**
   * Only in the extension's own tests: makes loading the features fail as a broken install would, with the bundle
   * missing or failing partway through registering its commands; undefined mends it.
   */
  breakFeatures?(how: FeatureBreak | undefined): void;
}

export type FeatureBreak = 'missing' | 'partway';

let features: FeaturesModule.Features | undefined;

export function activate(context: vscode.ExtensionContext): AnyApiExtensionApi {
  const store = new DisposableStore();
  context.subscriptions.push(store);
  const logger = store.add(new Logger());
  const testSecrets = context.extensionMode === vscode.ExtensionMode.Test ? new FailableSecretStorage(context.secrets) : undefined;
  const keyStore = store.add(new KeyStore(testSecrets ?? context.secrets, logger));
  const activity = store.add(new ActivityTracker());
  const terminals = store.add(new TerminalCommands());
  const startup: StartupServices = { context, logger, keyStore, activity, terminals };
  let broken: FeatureBreak | undefined;

  // Stand-ins for every contributed command: the first one run loads the features, which register the real handlers
  // under the same ids (these are disposed first), and is then run by them with its arguments.
  const contributed = (context.extension.packageJSON as { contributes?: { commands?: { command: string }[] } }).contributes?.commands ?? [];
  let standIns: vscode.Disposable[] = [];
  const registerStandIns = (): void => {
    standIns = contributed.map(({ command }) =>
      vscode.commands.registerCommand(command, (...args: unknown[]) => {
        try {
          load();
        } catch {
          // Already shown and logged; the stand-ins are back for the next try.
          return undefined;
        }
        return vscode.commands.executeCommand(command, ...args);
      }),
    );
  };
  const load = (): FeaturesModule.Features => {
    if (!features) {
      standIns.forEach((standIn) => standIn.dispose());
      try {
        // The path is computed so that this bundle does not inline the features.
        const modulePath = path.join(__dirname, broken === 'missing' ? 'features.missing.js' : 'features.js');
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        features = store.add((require(modulePath) as typeof FeaturesModule).loadFeatures(broken === 'partway' ? failingPartway(startup) : startup));
      } catch (error) {
        // A broken install: the commands stay, and each says so again.
        registerStandIns();
        logger.forComponent('features').error(error);
        const sentence = vscode.l10n.t('AnyAPI could not load its features ({0}). Reinstall the extension, then reload the window.', firstLine(error));
        void vscode.window.showErrorMessage(sentence);
        throw new Error(sentence);
      }
    }
    return features;
  };
  registerStandIns();
  store.add({ dispose: () => standIns.forEach((standIn) => standIn.dispose()) });
  const modelStatus = store.add(registerModelStatusBar(startup));
  // Right after activate() returns, as the status bar's first text: none of these must be there before then (the chat
  // view waits for its provider, a light bulb asked for sooner goes without ours), and each is time that every
  // extension activated after this one would wait for. The commands' stand-ins cannot wait: a command run in between
  // would find no handler.
  const afterActivate = setTimeout(() => {
    store.add(
      vscode.window.registerWebviewViewProvider(CHAT_VIEW_ID, {
        resolveWebviewView: (view, resolveContext, token) => load().chatView.resolveWebviewView(view, resolveContext, token),
      }),
    );
    store.add(vscode.languages.registerCodeActionsProvider({ pattern: '**' }, new ProblemActions(), ProblemActions.metadata));
    void keyStore.offerMoveFromSettings().catch((error: unknown) => logger.forComponent('key').error(error));
  }, 0);
  store.add({ dispose: () => clearTimeout(afterActivate) });

  return {
    hasApiKey: () => keyStore.has(),
    isClientLoaded: () => features?.isApiLoaded() ?? false,
    areFeaturesLoaded: () => features !== undefined,
    modelStatus: () => modelStatus.current(),
    ...(testSecrets
      ? {
          failSecretStorage: (failing: boolean) => (testSecrets.failing = failing),
          breakFeatures: (how: FeatureBreak | undefined) => (broken = how),
        }
      : {}),
  };
}

/** An error's first line: Node's "Cannot find module" goes on with the whole require stack. */
function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n', 1)[0];
}

/**
 * The startup services with an extension context that throws once the chat view's provider is built: by then the
 * features have registered the commands and the edit flow, so the failure comes partway through.
 */
function failingPartway(startup: StartupServices): StartupServices {
  const context = new Proxy(startup.context, {
    get(target, property) {
      if (property === 'extensionUri') {
        throw new Error('the chat view could not be built');
      }
      return Reflect.get(target, property, target) as unknown;
    },
  });
  return { ...startup, context };
}

export async function deactivate(): Promise<void> {
  // Everything else is disposed through context.subscriptions.
  await features?.shutdown();
  features = undefined;
}

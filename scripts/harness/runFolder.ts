// One folder per run under .harness/runs/: the home, temp and XDG dirs of code-server and Chromium, the
// user-data and extensions dirs, the workspace and the logs. Nothing is written outside it.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { resultsDir, runsDir } from './paths';
import { cleanEnv, log } from './proc';

export interface RunFolder {
  readonly name: string;
  readonly root: string;
  readonly home: string;
  readonly tmp: string;
  readonly userDataDir: string;
  readonly extensionsDir: string;
  readonly workspace: string;
  readonly logs: string;
  readonly browserProfile: string;
  /** HOME, TMPDIR and XDG_* pointing into the run folder. */
  env(extra?: NodeJS.ProcessEnv): NodeJS.ProcessEnv;
  /** Copies the logs (and any screenshots taken) to test-results/<name>/ for a failed run. */
  keepForDiagnosis(): string;
  remove(): void;
}

/** Run folders of failed runs are kept for diagnosis (their logs are also in test-results/); drop old ones. */
function pruneOldRuns(maxAgeMs = 12 * 60 * 60_000): void {
  if (!fs.existsSync(runsDir)) {
    return;
  }
  for (const entry of fs.readdirSync(runsDir)) {
    const full = path.join(runsDir, entry);
    try {
      if (Date.now() - fs.statSync(full).mtimeMs > maxAgeMs) {
        fs.rmSync(full, { recursive: true, force: true });
      }
    } catch {
      // Another run removed it first.
    }
  }
}

export function createRunFolder(label: string): RunFolder {
  pruneOldRuns();
  // Short: Unix socket paths (Chromium's SingletonSocket, code-server's IPC sockets in TMPDIR) are limited to 107 bytes.
  const name = `${label}-${Date.now().toString(36)}${process.pid.toString(36)}`;
  const root = path.join(runsDir, name);
  const dir = (...parts: string[]): string => {
    const full = path.join(root, ...parts);
    fs.mkdirSync(full, { recursive: true });
    return full;
  };
  const home = dir('home');
  const folder: RunFolder = {
    name,
    root,
    home,
    tmp: root.length <= 56 ? dir('tmp') : shortTmp(),
    userDataDir: dir('user-data'),
    extensionsDir: dir('extensions'),
    workspace: dir('workspace'),
    logs: dir('logs'),
    browserProfile: dir('browser-profile'),
    env(extra = {}) {
      return cleanEnv({
        HOME: home,
        TMPDIR: folder.tmp,
        XDG_CONFIG_HOME: dir('home', '.config'),
        XDG_DATA_HOME: dir('home', '.local', 'share'),
        XDG_CACHE_HOME: dir('home', '.cache'),
        XDG_STATE_HOME: dir('home', '.local', 'state'),
        XDG_RUNTIME_DIR: dir('home', '.run'),
        ...extra,
      });
    },
    keepForDiagnosis() {
      const target = path.join(resultsDir, name);
      fs.mkdirSync(target, { recursive: true });
      fs.cpSync(folder.logs, path.join(target, 'logs'), { recursive: true });
      const exthostLogs = path.join(folder.userDataDir, 'logs');
      if (fs.existsSync(exthostLogs)) {
        fs.cpSync(exthostLogs, path.join(target, 'vscode-logs'), { recursive: true });
      }
      log(`logs kept in ${path.relative(process.cwd(), target) || target}`);
      return target;
    },
    remove() {
      fs.rmSync(root, { recursive: true, force: true });
      fs.rmSync(folder.tmp, { recursive: true, force: true });
    },
  };
  fs.chmodSync(dir('home', '.run'), 0o700);
  return folder;
}

/** A clone in a deep folder would exceed the socket path limit: then temp files go to the system's temp dir. */
function shortTmp(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'anyapi-'));
}

export function writeJson(file: string, value: unknown): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}

/** Settings that keep a test workbench quiet and deterministic. */
export const quietUserSettings: Record<string, unknown> = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'git.enabled': false,
  'security.workspace.trust.startupPrompt': 'never',
  'security.workspace.trust.banner': 'never',
  'chat.disableAIFeatures': true,
  'chat.commandCenter.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
};

export interface SettingsLayout {
  /** User settings; code-server 4.139 applies `machine`-scoped settings (anyapi.baseUrl) from here too. */
  readonly user: string;
  /** code-server's remote machine settings: not read for anyapi.baseUrl in 4.139 (kept to check files for keys). */
  readonly machine: string;
  readonly workspace: string;
}

export function settingsFiles(run: RunFolder): SettingsLayout {
  return {
    user: path.join(run.userDataDir, 'User', 'settings.json'),
    machine: path.join(run.userDataDir, 'Machine', 'settings.json'),
    workspace: path.join(run.workspace, '.vscode', 'settings.json'),
  };
}

// Starts code-server (Code-OSS in the browser) on 127.0.0.1 with a fresh user-data and extensions dir per run.
import { spawnSync } from 'child_process';
import * as http from 'http';
import * as path from 'path';
import type { CodeServerBuild } from './paths';
import { latestBuild } from './paths';
import type { GroupProcess } from './proc';
import { freePort, log, spawnGroup, waitFor } from './proc';
import type { RunFolder } from './runFolder';

export interface CodeServerOptions {
  /** Lets the `payload` URL parameter load a development extension and run tests; hides notification toasts. */
  readonly smokeTestDriver: boolean;
  /** Start with workspace trust on (the folder then opens in restricted mode). */
  readonly workspaceTrust?: boolean;
  readonly port?: number;
  /** Which code-server (VS Code version); the latest by default. */
  readonly build?: CodeServerBuild;
  /** More environment for the server and so for its extension host (1.90's payload has no extensionEnvironment). */
  readonly env?: Record<string, string>;
  /** Open this `.code-workspace` file instead of the run's workspace folder (a multi-root workspace). */
  readonly workspaceFile?: string;
}

export interface CodeServer {
  readonly port: number;
  readonly origin: string;
  readonly process: GroupProcess;
  /** The workbench URL for the run's workspace, with an optional smoke-test `payload`. */
  workbenchUrl(payload?: [string, string][]): string;
  /** A `vscode-remote://` URI of a path on the server, as the payload expects. */
  remoteUri(absolutePath: string): string;
  stop(): Promise<void>;
}

const STARTUP_MS = 60_000;

function healthy(origin: string): Promise<boolean> {
  return new Promise((resolve) => {
    const request = http.get(`${origin}/healthz`, (response) => {
      response.resume();
      resolve(response.statusCode === 200);
    });
    request.on('error', () => resolve(false));
    request.setTimeout(2000, () => request.destroy());
  });
}

/** Installs a .vsix into the run's extensions dir before the first start (what users get). */
export function installVsix(run: RunFolder, vsix: string, build: CodeServerBuild = latestBuild): void {
  log(`installing ${path.basename(vsix)} into a fresh extensions dir`);
  const result = spawnSync(
    build.node,
    [build.entry, '--user-data-dir', run.userDataDir, '--extensions-dir', run.extensionsDir, '--install-extension', vsix],
    { env: run.env(), encoding: 'utf8', timeout: 120_000 },
  );
  if (result.status !== 0) {
    throw new Error(`code-server --install-extension ${vsix} failed (${result.status ?? result.signal}):\n${result.stdout}\n${result.stderr}`);
  }
}

export async function startCodeServer(run: RunFolder, options: CodeServerOptions): Promise<CodeServer> {
  const build = options.build ?? latestBuild;
  const port = options.port ?? (await freePort());
  const origin = `http://127.0.0.1:${port}`;
  const args = [
    build.entry,
    '--auth',
    'none',
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-getting-started-override',
    '--user-data-dir',
    run.userDataDir,
    '--extensions-dir',
    run.extensionsDir,
    ...(options.workspaceTrust ? [] : ['--disable-workspace-trust']),
    ...(options.smokeTestDriver && build.smokeTestDriverOption ? ['--vscode-option', 'enable-smoke-test-driver'] : []),
    options.workspaceFile ?? run.workspace,
  ];
  log(`starting code-server ${build.version} (${build.label}) on ${origin}${options.smokeTestDriver ? (build.smokeTestDriverOption ? ' (smoke-test driver)' : ' (test payload)') : ''}${options.workspaceTrust ? ' (workspace trust on)' : ''}`);
  const started = Date.now();
  const child = spawnGroup(build.node, args, { env: run.env(options.env), cwd: run.root, logFile: path.join(run.logs, 'code-server.log') });
  const failedEarly = child.exited.then((code) => {
    throw new Error(`code-server exited (${code}) before it was ready:\n${child.output().slice(-4000)}`);
  });
  failedEarly.catch(() => undefined);
  await Promise.race([waitFor('code-server /healthz answers 200', STARTUP_MS, () => healthy(origin), 150), failedEarly]);
  log(`code-server ready in ${Date.now() - started} ms`);
  const remoteUri = (absolutePath: string): string => `vscode-remote://127.0.0.1:${port}${absolutePath}`;
  return {
    port,
    origin,
    process: child,
    remoteUri,
    workbenchUrl(payload) {
      const query = new URLSearchParams(options.workspaceFile ? { workspace: options.workspaceFile } : { folder: run.workspace });
      if (payload) {
        query.set('payload', JSON.stringify(payload));
      }
      return `${origin}/?${query.toString()}`;
    },
    stop: () => child.stop(),
  };
}

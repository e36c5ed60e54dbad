// What the integration tests share: the extension's test surface, settings, and small local HTTP servers.
import * as assert from 'assert';
import * as fs from 'fs';
import * as http from 'http';
import type { AddressInfo } from 'net';
import * as path from 'path';
import * as vscode from 'vscode';

export const EXTENSION_ID = 'anyapi.anyapi-vscode';

/** What activate() returns (src/extension.ts). */
export interface AnyApiTestSurface {
  hasApiKey(): Promise<boolean>;
  isClientLoaded(): boolean;
  areFeaturesLoaded(): boolean;
  /** Only in test mode: makes loading the features fail as a broken install would; undefined mends it. */
  breakFeatures?(how: 'missing' | 'partway' | undefined): void;
}

/** What `anyapi.testConnection` returns to its caller. */
export interface TestConnectionResult {
  ok: boolean;
  message: string;
  url?: string;
  status?: number;
  latencyMs?: number;
  modelCount?: number;
  maskedKey?: string;
  errorKind?: string;
}

export function extension(): vscode.Extension<AnyApiTestSurface> {
  const found = vscode.extensions.getExtension<AnyApiTestSurface>(EXTENSION_ID);
  assert.ok(found, `${EXTENSION_ID} is not installed in this VS Code`);
  return found;
}

export async function activateExtension(): Promise<AnyApiTestSurface> {
  return extension().activate();
}

/** Polls until `probe` holds; fails with `what` after `ms`. Effects travel through the workbench, so wait. */
export async function eventually(what: string, probe: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await probe())) {
    if (Date.now() > deadline) {
      assert.fail(`still not true after ${ms} ms: ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Sets `anyapi.baseUrl` where a user sets it (user settings; `machine` scope, so in a remote window these are the
 * remote machine's settings) and waits until VS Code reports it.
 */
export async function setUserBaseUrl(url: string | undefined): Promise<void> {
  await vscode.workspace.getConfiguration('anyapi').update('baseUrl', url, vscode.ConfigurationTarget.Global);
  await eventually(`anyapi.baseUrl user value is ${url}`, () => vscode.workspace.getConfiguration('anyapi').inspect('baseUrl')?.globalValue === url);
}

export async function testConnection(): Promise<TestConnectionResult> {
  const result = await vscode.commands.executeCommand<TestConnectionResult | undefined>('anyapi.testConnection');
  assert.ok(result, 'anyapi.testConnection returned no result');
  return result;
}

export function packageJson(): { contributes: { commands: { command: string }[] }; activationEvents?: string[] } {
  return extension().packageJSON as ReturnType<typeof packageJson>;
}

/** Every settings.json of the test VS Code (user, remote machine, workspace) and every file of the workspace. */
export function filesThatMustNotHoldTheKey(): string[] {
  const files: string[] = [];
  const walk = (dir: string, accept: (file: string) => boolean): void => {
    if (!fs.existsSync(dir)) {
      return;
    }
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        walk(full, accept);
      } else if (accept(full)) {
        files.push(full);
      }
    }
  };
  const userDataDir = process.env.ANYAPI_TEST_USER_DATA_DIR;
  if (userDataDir) {
    walk(userDataDir, (file) => path.basename(file) === 'settings.json');
  }
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    walk(folder.uri.fsPath, () => true);
  }
  return files;
}

export interface LocalServer {
  readonly url: string;
  readonly requests: { method: string; url: string }[];
  close(): Promise<void>;
}

/** A server that answers every request with a web page, as a relay's website does at a wrong base URL. */
export async function startWebPageServer(): Promise<LocalServer> {
  const requests: { method: string; url: string }[] = [];
  const server = http.createServer((request, response) => {
    requests.push({ method: request.method ?? '', url: request.url ?? '' });
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    response.end('<!doctype html><html><head><title>AnyAPI</title></head><body><div id="app">Welcome</div></body></html>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A port nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** GETs JSON from a local server (to compare what the extension reports with what the server serves). */
export function getJson(url: string, headers: Record<string, string> = {}): Promise<unknown> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers }, (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () => {
          try {
            resolve(JSON.parse(body));
          } catch (error) {
            reject(error instanceof Error ? error : new Error(String(error)));
          }
        });
      })
      .on('error', reject);
  });
}

export function uniqueKey(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 10)}`;
}

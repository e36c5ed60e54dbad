// Which VS Code runs the integration suite: a downloaded desktop VS Code through @vscode/test-electron where one is
// available, code-server + Debian Chromium otherwise (offline machines, CI). ANYAPI_TEST_LAUNCHER forces either.
import * as fs from 'fs';
import * as path from 'path';
import { repoRoot } from './paths';

export type Launcher = 'code-server' | 'electron';

/** A desktop VS Code that @vscode/test-electron downloaded earlier into .vscode-test/, if any. */
export function findDownloadedVsCode(): string | undefined {
  const cache = path.join(repoRoot, '.vscode-test');
  if (!fs.existsSync(cache)) {
    return undefined;
  }
  for (const entry of fs.readdirSync(cache)) {
    const candidate = path.join(cache, entry, 'code');
    if (entry.startsWith('vscode-') && fs.existsSync(candidate)) {
      return candidate;
    }
  }
  return undefined;
}

export function vscodeExecutable(): string | undefined {
  return process.env.ANYAPI_VSCODE_EXECUTABLE || findDownloadedVsCode();
}

export function chooseLauncher(): { launcher: Launcher; reason: string } {
  const forced = process.env.ANYAPI_TEST_LAUNCHER;
  if (forced === 'code-server' || forced === 'electron') {
    return { launcher: forced, reason: 'ANYAPI_TEST_LAUNCHER' };
  }
  if (forced) {
    throw new Error(`ANYAPI_TEST_LAUNCHER must be "code-server" or "electron", not "${forced}"`);
  }
  const executable = vscodeExecutable();
  // Electron on Linux needs a display; headless CI uses code-server.
  const display = process.platform !== 'linux' || !!process.env.DISPLAY || !!process.env.WAYLAND_DISPLAY;
  if (executable && display) {
    return { launcher: 'electron', reason: `desktop VS Code found (${executable})` };
  }
  return { launcher: 'code-server', reason: executable ? 'no display for the desktop VS Code' : 'no downloaded desktop VS Code (offline)' };
}

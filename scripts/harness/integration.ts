// Runs test/integration (mocha inside the extension host of a real VS Code) and prints "N passed, N failed".
//   node out/scripts/harness/integration.js [--pass trusted|restricted|multiroot|all] [--vscode latest|oldest|all] [--grep TEXT]
// Every pass runs in code-server 4.139 (VS Code 1.139) and in code-server 4.90.3 (VS Code 1.90, the oldest that
// engines.vscode promises); the electron launcher runs the desktop VS Code it finds instead.
// Env: ANYAPI_TEST_LAUNCHER=code-server|electron, ANYAPI_TEST_GREP, ANYAPI_HARNESS_KEEP=1 (keep run folders),
//      ANYAPI_HARNESS_SKIP_INSTALL=1, ANYAPI_VSCODE_EXECUTABLE (desktop VS Code for the electron launcher).
import * as fs from 'fs';
import * as path from 'path';
import * as util from 'util';
import { launchBrowser, screenshot } from './browser';
import { startCodeServer } from './codeServer';
import { installAll } from './install';
import type { Launcher } from './launcher';
import { chooseLauncher, vscodeExecutable } from './launcher';
import type { CodeServerBuild } from './paths';
import { latestBuild, oldestBuild, repoRoot } from './paths';
import { log, runSuiteMain, step } from './proc';
import type { RunFolder } from './runFolder';
import { createRunFolder, quietUserSettings, settingsFiles, writeJson } from './runFolder';

/**
 * Trusted: the whole suite. Restricted: tests titled `@restricted`, in a workspace that is not trusted. Multiroot:
 * tests titled `@multiroot`, in a saved `.code-workspace` of two folders.
 */
export type Pass = 'trusted' | 'restricted' | 'multiroot';

/** The multi-root workspace of the `multiroot` pass: beside its two folders, in neither of them. */
function multiRootWorkspaceFile(run: RunFolder): string {
  return path.join(run.workspace, 'anyapi.code-workspace');
}

export interface SuiteResults {
  vscodeVersion?: string;
  passed: number;
  failed: number;
  pending: number;
  failures: { title: string; message: string }[];
}

const SUITE_MS = 6 * 60_000;

/** Harmless on a machine without internet; kept in the log file, left out of the terminal. */
const expectedOfflineNoise = [
  /ENOTFOUND open-vsx\.org/,
  /waiting for authentication provider 'github'/,
  /^\[AccountPolicyGate\]/,
  // VS Code 1.90's remote connection chatter.
  /^Resolved connection token/,
  /^Creating a socket \(/,
];
const WORKBENCH_MS = 120_000;

/** The workspace as a user would have it: a file to open and project settings the extension must read. */
function prepareWorkspace(run: RunFolder, pass: Pass): void {
  const files = settingsFiles(run);
  if (pass === 'multiroot') {
    // The tests write the model settings of the workspace file and of the folders themselves.
    for (const folder of ['app', 'lib']) {
      fs.mkdirSync(path.join(run.workspace, folder), { recursive: true });
    }
    writeJson(multiRootWorkspaceFile(run), { folders: [{ path: 'app' }, { path: 'lib' }], settings: {} });
    writeJson(files.user, quietUserSettings);
    return;
  }
  writeJson(files.workspace, {
    'anyapi.model': 'model-from-workspace-settings',
    // A workspace must not decide where the key is sent: the extension has to ignore this (port 9 is closed).
    'anyapi.baseUrl': 'http://127.0.0.1:9/workspace-base-url',
  });
  fs.writeFileSync(path.join(run.workspace, 'hello.js'), "function greet(name) {\n  return 'Hello, ' + name;\n}\n");
  writeJson(files.user, {
    ...quietUserSettings,
    ...(pass === 'restricted' ? { 'security.workspace.trust.enabled': true, 'security.workspace.trust.untrustedFiles': 'open' } : {}),
  });
}

function testEnvironment(run: RunFolder, pass: Pass, resultsFile: string): Record<string, string> {
  const grep = process.env.ANYAPI_TEST_GREP ?? argValue('--grep');
  return {
    ANYAPI_TEST_RESULTS: resultsFile,
    ANYAPI_TEST_PASS: pass,
    ANYAPI_TEST_USER_DATA_DIR: run.userDataDir,
    ANYAPI_TEST_WORKSPACE: run.workspace,
    ...(grep ? { ANYAPI_TEST_GREP: grep } : {}),
  };
}

async function runInCodeServer(run: RunFolder, pass: Pass, env: Record<string, string>, build: CodeServerBuild): Promise<number> {
  const workspaceFile = pass === 'multiroot' ? multiRootWorkspaceFile(run) : undefined;
  const server = await step('start code-server', 90_000, () =>
    startCodeServer(run, { smokeTestDriver: true, workspaceTrust: pass === 'restricted', build, env, ...(workspaceFile ? { workspaceFile } : {}) }),
  );
  const browser = await step('launch Chromium', 60_000, () => launchBrowser(run));
  const { page } = browser;
  let firstOutput: () => void = () => undefined;
  const started = new Promise<void>((resolve) => (firstOutput = resolve));
  let exit: (code: number) => void = () => undefined;
  const exited = new Promise<number>((resolve) => (exit = resolve));
  const hostLog = fs.createWriteStream(path.join(run.logs, 'extension-host.log'));
  await page.exposeFunction('codeAutomationLog', (_level: unknown, args: unknown[]) => {
    const line = util.format(...(Array.isArray(args) ? args : [args]));
    hostLog.write(`${line}\n`);
    if (expectedOfflineNoise.some((pattern) => pattern.test(line))) {
      return;
    }
    process.stdout.write(`  ${line.replace(/\n/g, '\n  ')}\n`);
    firstOutput();
  });
  await page.exposeFunction('codeAutomationExit', (code: number) => {
    exit(code);
  });
  const extensionRoot = repoRoot;
  const payload: [string, string][] = [
    ['extensionDevelopmentPath', server.remoteUri(extensionRoot)],
    ['extensionTestsPath', server.remoteUri(path.join(extensionRoot, 'out', 'test', 'integration', 'index.js'))],
    ['skipWelcome', 'true'],
    ['extensionEnvironment', JSON.stringify(env)],
  ];
  try {
    await step('open the workbench page', WORKBENCH_MS, () => page.goto(server.workbenchUrl(payload), { waitUntil: 'domcontentloaded' }));
    await step('workbench renders (.monaco-workbench)', WORKBENCH_MS, () => page.waitForSelector('.monaco-workbench', { timeout: WORKBENCH_MS }));
    await step(
      `the extension host starts the suite (no output: was the payload ignored?${build.smokeTestDriverOption ? ' it needs --vscode-option enable-smoke-test-driver' : ''})`,
      WORKBENCH_MS,
      () => Promise.race([started, exited.then(() => undefined)]),
    );
    return await step('the suite finishes (codeAutomationExit)', SUITE_MS, () => exited);
  } catch (error) {
    await screenshot(page, 'failure', run.logs).catch(() => undefined);
    throw error;
  } finally {
    hostLog.end();
    await browser.close();
    await server.stop();
  }
}

async function runInElectron(run: RunFolder, pass: Pass, env: Record<string, string>): Promise<number> {
  const { runTests } = await import('@vscode/test-electron');
  const vscodeExecutablePath = vscodeExecutable();
  const code = await step('run the suite in desktop VS Code (@vscode/test-electron)', SUITE_MS, () =>
    runTests({
      ...(vscodeExecutablePath ? { vscodeExecutablePath } : {}),
      extensionDevelopmentPath: repoRoot,
      extensionTestsPath: path.join(repoRoot, 'out', 'test', 'integration', 'index.js'),
      extensionTestsEnv: env,
      launchArgs: [
        pass === 'multiroot' ? multiRootWorkspaceFile(run) : run.workspace,
        '--user-data-dir',
        run.userDataDir,
        '--extensions-dir',
        run.extensionsDir,
        '--disable-gpu',
        ...(pass === 'restricted' ? [] : ['--disable-workspace-trust']),
      ],
    }).catch((error: unknown) => {
      log(`VS Code ended with: ${error instanceof Error ? error.message : String(error)}`);
      return 1;
    }),
  );
  return code;
}

function readResults(file: string): SuiteResults | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as SuiteResults;
  } catch {
    return undefined;
  }
}

/** One pass in a fresh VS Code; returns its results (or throws with the step that failed). */
export async function runPass(launcher: Launcher, pass: Pass, build: CodeServerBuild = latestBuild): Promise<SuiteResults & { ok: boolean }> {
  const run = createRunFolder(`it-${pass}${build === oldestBuild ? '-1.90' : ''}`);
  prepareWorkspace(run, pass);
  const resultsFile = path.join(run.logs, 'results.json');
  const env = testEnvironment(run, pass, resultsFile);
  let ok = false;
  try {
    const code = launcher === 'electron' ? await runInElectron(run, pass, env) : await runInCodeServer(run, pass, env, build);
    const results = readResults(resultsFile);
    if (!results) {
      throw new Error(`the suite wrote no results (${path.relative(repoRoot, resultsFile)}); exit code ${code}`);
    }
    const expected = launcher === 'electron' ? undefined : build.vscodeVersion;
    if (expected && !results.vscodeVersion?.startsWith(`${expected}.`)) {
      throw new Error(`the suite ran in VS Code ${results.vscodeVersion ?? '(unknown)'}, not ${expected}`);
    }
    log(`VS Code ${results.vscodeVersion}: ${results.passed} passed, ${results.failed} failed`);
    ok = code === 0 && results.failed === 0 && results.passed > 0;
    return { ...results, ok };
  } finally {
    if (!ok) {
      run.keepForDiagnosis();
    }
    if (ok && !process.env.ANYAPI_HARNESS_KEEP) {
      run.remove();
    }
  }
}

function argValue(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

async function main(): Promise<number> {
  const started = Date.now();
  const { launcher, reason } = chooseLauncher();
  log(`integration suite: launcher ${launcher} (${reason})`);
  const requestedBuilds = argValue('--vscode') ?? 'all';
  const builds: CodeServerBuild[] =
    launcher === 'electron' ? [latestBuild] : requestedBuilds === 'all' ? [latestBuild, oldestBuild] : [requestedBuilds === 'oldest' ? oldestBuild : latestBuild];
  if (launcher === 'code-server' && !process.env.ANYAPI_HARNESS_SKIP_INSTALL) {
    installAll({ oldest: builds.includes(oldestBuild) });
  }
  const requested = argValue('--pass') ?? 'all';
  const passes: Pass[] = requested === 'all' ? ['trusted', 'restricted', 'multiroot'] : [requested as Pass];
  const total: SuiteResults = { passed: 0, failed: 0, pending: 0, failures: [] };
  let broken = false;
  for (const build of builds) {
    for (const pass of passes) {
      const label = launcher === 'electron' ? pass : `${pass}, ${build.label}`;
      log(`pass "${label}"`);
      try {
        const results = await runPass(launcher, pass, build);
        total.passed += results.passed;
        total.failed += results.failed;
        total.pending += results.pending;
        total.failures.push(...results.failures.map((failure) => ({ ...failure, title: `[${label}] ${failure.title}` })));
        if (!results.ok) {
          broken = true;
        }
      } catch (error) {
        broken = true;
        total.failures.push({ title: `[${label}] harness`, message: error instanceof Error ? error.message : String(error) });
        total.failed += 1;
      }
    }
  }
  for (const failure of total.failures) {
    console.log(`  ✗ ${failure.title}\n      ${failure.message.replace(/\n/g, '\n      ')}`);
  }
  console.log(`integration (${launcher}, ${Math.round((Date.now() - started) / 1000)} s): ${total.passed} passed, ${total.failed} failed${total.pending ? `, ${total.pending} pending` : ''}`);
  return broken || total.failed > 0 ? 1 : 0;
}

const TOTAL_MS = 15 * 60_000;

if (require.main === module) {
  runSuiteMain('integration', TOTAL_MS, main);
}

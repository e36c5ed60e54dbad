// `npm run try [-- --offline] [-- --vsix] [-- --port N]`: code-server with the extension on 127.0.0.1, for trying
// the product in a browser. --offline also starts the fake AnyAPI server and points anyapi.baseUrl at it.
import * as fs from 'fs';
import * as path from 'path';
import { startFakeAnyApi } from '../../test/support/fakeAnyApi';
import { installVsix, startCodeServer } from './codeServer';
import { installAll } from './install';
import { repoRoot, vsixPath } from './paths';
import { log, onCleanup, runCleanups, stopWithParent } from './proc';
import { createRunFolder, quietUserSettings, settingsFiles, writeJson } from './runFolder';

const OFFLINE_LABEL = 'AnyAPI offline demo (fake server)';
const DEMO_KEY = 'sk-test-offline-demo';

/** What the .vsix would carry, copied as an installed extension (code-server cannot install a folder). */
function copyBuiltExtension(extensionsDir: string): void {
  const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { publisher: string; name: string; version: string };
  if (!fs.existsSync(path.join(repoRoot, 'dist', 'extension.js'))) {
    throw new Error('dist/extension.js is missing: run npm run build first');
  }
  const target = path.join(extensionsDir, `${manifest.publisher}.${manifest.name}-${manifest.version}`);
  fs.mkdirSync(target, { recursive: true });
  for (const entry of ['package.json', 'package.nls.json', 'package.nls.zh-cn.json', 'dist', 'media', 'l10n', 'README.md', 'CHANGELOG.md', 'LICENSE']) {
    const source = path.join(repoRoot, entry);
    if (fs.existsSync(source)) {
      fs.cpSync(source, path.join(target, entry), { recursive: true });
    }
  }
}

const sampleCode = `// Select some code, then run "AnyAPI: Explain Selection" from the command palette (F1).
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}
`;

const offlineReadme = `# ${OFFLINE_LABEL}

This window talks to a **fake AnyAPI server** on this machine, not to AnyAPI: answers are canned.

1. Press F1 and run **AnyAPI: Set API Key**. Enter \`${DEMO_KEY}\` (the fake server accepts any key starting
   with \`sk-test\`; any other key gets the 401 a real relay sends).
2. Run **AnyAPI: Test Connection**.

\`anyapi.baseUrl\` points at the fake server in the user settings of this demo.
`;

async function main(): Promise<void> {
  const offline = process.argv.includes('--offline');
  const useVsix = process.argv.includes('--vsix');
  const portIndex = process.argv.indexOf('--port');
  const port = portIndex >= 0 ? Number(process.argv[portIndex + 1]) : undefined;
  installAll();
  const run = createRunFolder(offline ? 'try-offline' : 'try');
  onCleanup(() => run.remove());
  if (useVsix) {
    if (!fs.existsSync(vsixPath)) {
      throw new Error('anyapi-vscode.vsix is missing: run npm run package first');
    }
    installVsix(run, vsixPath);
  } else {
    copyBuiltExtension(run.extensionsDir);
  }
  const files = settingsFiles(run);
  fs.writeFileSync(path.join(run.workspace, 'median.ts'), sampleCode);
  const userSettings: Record<string, unknown> = { ...quietUserSettings, 'workbench.startupEditor': offline ? 'readme' : 'none' };
  if (offline) {
    const fake = await startFakeAnyApi();
    onCleanup(() => fake.close());
    userSettings['anyapi.baseUrl'] = fake.url;
    // The label in the window title (and the browser tab) says this is not the real service.
    userSettings['window.title'] = `${OFFLINE_LABEL}: \${rootName}\${separator}\${activeEditorShort}`;
    fs.writeFileSync(path.join(run.workspace, 'README.md'), offlineReadme);
    log(`fake AnyAPI server on ${fake.url}`);
  }
  writeJson(files.user, userSettings);
  const server = await startCodeServer(run, { smokeTestDriver: false, port });
  console.log('');
  console.log(offline ? `  ${OFFLINE_LABEL}` : '  AnyAPI in code-server (your own key, the real anyapi.baseUrl)');
  console.log(`  Open: ${server.workbenchUrl()}`);
  if (offline) {
    console.log(`  Set the key with "AnyAPI: Set API Key" → ${DEMO_KEY}`);
  }
  console.log('  Press Ctrl+C to stop.');
  console.log('');
  const code = await server.process.exited;
  log(`code-server exited (${code})`);
}

if (require.main === module) {
  stopWithParent();
  main()
    .then(runCleanups)
    .catch(async (error: unknown) => {
      console.error(`[harness] ${error instanceof Error ? error.message : String(error)}`);
      await runCleanups();
      process.exit(1);
    });
}

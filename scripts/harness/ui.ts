// Runs test/ui (playwright-core driving code-server's workbench) after packaging the .vsix, and prints
// "N passed, N failed".   node out/scripts/harness/ui.js [--grep TEXT] [--faults]
// --faults runs only the fault matrix (test/ui/faults.test.ts, npm run test:faults), which needs no .vsix.
// Env: ANYAPI_TEST_GREP (a regular expression over test titles), ANYAPI_HARNESS_KEEP=1, ANYAPI_HARNESS_SKIP_INSTALL=1, ANYAPI_UI_SKIP_PACKAGE=1.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import Mocha from 'mocha';
import { installAll } from './install';
import { repoRoot, vsixPath } from './paths';
import { cleanEnv, log, runSuiteMain } from './proc';

const TOTAL_MS = 20 * 60_000;

function packageVsix(): void {
  log('packaging the extension (npm run package)');
  const result = spawnSync('npm', ['run', 'package'], { cwd: repoRoot, stdio: 'inherit', env: cleanEnv() });
  if (result.status !== 0 || !fs.existsSync(vsixPath)) {
    throw new Error(`npm run package failed (${result.status ?? result.signal})`);
  }
}

async function main(): Promise<number> {
  const started = Date.now();
  if (!process.env.ANYAPI_HARNESS_SKIP_INSTALL) {
    installAll();
  }
  const faultsOnly = process.argv.includes('--faults');
  if (!process.env.ANYAPI_UI_SKIP_PACKAGE && !faultsOnly) {
    packageVsix();
  }
  const grepIndex = process.argv.indexOf('--grep');
  const grep = faultsOnly ? '^Fault matrix' : (process.env.ANYAPI_TEST_GREP ?? (grepIndex >= 0 ? process.argv[grepIndex + 1] : undefined));
  const mocha = new Mocha({ ui: 'bdd', reporter: 'spec', timeout: 180_000, ...(grep ? { grep: new RegExp(grep) } : {}) });
  const dir = path.join(repoRoot, 'out', 'test', 'ui');
  for (const file of fs.readdirSync(dir).filter((name) => name.endsWith('.test.js')).sort()) {
    mocha.addFile(path.join(dir, file));
  }
  let passed = 0;
  let failed = 0;
  await new Promise<void>((resolve) => {
    const runner = mocha.run(() => resolve());
    runner.on('pass', () => (passed += 1));
    runner.on('fail', () => (failed += 1));
  });
  console.log(`ui (code-server, ${Math.round((Date.now() - started) / 1000)} s): ${passed} passed, ${failed} failed`);
  return failed > 0 || passed === 0 ? 1 : 0;
}

if (require.main === module) {
  runSuiteMain('ui', TOTAL_MS, main);
}

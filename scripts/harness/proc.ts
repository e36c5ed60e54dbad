// Process and timing helpers: every process the harness starts is stopped, every wait names its step.
import { spawn } from 'child_process';
import type { ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';

export const log = (line: string): void => console.log(`[harness] ${line}`);

const cleanups = new Set<() => Promise<void> | void>();
let exiting = false;

/** Registers a cleanup to run at the end, also on Ctrl+C / SIGTERM. Returns a function that unregisters it. */
export function onCleanup(cleanup: () => Promise<void> | void): () => void {
  cleanups.add(cleanup);
  return () => cleanups.delete(cleanup);
}

export async function runCleanups(): Promise<void> {
  const pending = [...cleanups].reverse();
  cleanups.clear();
  for (const cleanup of pending) {
    try {
      await cleanup();
    } catch (error) {
      log(`cleanup failed: ${(error as Error).message}`);
    }
  }
}

function stopEverything(reason: string, code: number): void {
  if (exiting) {
    return;
  }
  exiting = true;
  log(`${reason}: stopping everything the harness started`);
  void runCleanups().finally(() => process.exit(code));
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => stopEverything(signal, 128 + os.constants.signals[signal]));
}

/** The parent of a process, from /proc (Linux); undefined elsewhere or when it is gone. */
function parentOf(pid: number): number | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may hold spaces: the parent pid follows the last ')'.
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined;
  }
}

function commandLineOf(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    return '';
  }
}

/** The chain of `npm run` processes (and the `sh -c` shells between them) this process was started by. */
function npmAncestors(): number[] {
  const chain: number[] = [];
  for (let pid = parentOf(process.pid); pid !== undefined && pid > 1 && chain.length < 16; pid = parentOf(pid)) {
    const command = commandLineOf(pid);
    if (!/(^|[/\s])(npm|npm-cli\.js)(\s|$)|^(\/bin\/)?sh -c /.test(command)) break;
    chain.push(pid);
  }
  return chain;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Stops everything when the process that started this one goes away. `npm run` starts scripts through `sh -c`,
 * and a signal that npm passes on ends that shell, not this process; a script that runs `npm run try` is one more
 * npm and shell above. If any of them ends, so does the harness: without this, code-server would live on.
 */
export function stopWithParent(): void {
  const parent = process.ppid;
  const ancestors = npmAncestors();
  const timer = setInterval(() => {
    if (process.ppid !== parent || !ancestors.every(isAlive)) {
      clearInterval(timer);
      stopEverything('the npm script that started the harness ended', 129);
    }
  }, 500);
  timer.unref();
}

/** Variables npm sets for the scripts it runs; an inner npm would take them as its own settings. */
const outerNpmVariable = /^(npm_|INIT_CWD$|NODE$)/i;

/**
 * The environment for every process the harness starts, without the outer npm's `npm_config_*`, `npm_lifecycle_*`
 * and `npm_package_*` variables (under `npm run`, `npm_config_user_agent` says node/v20 to code-server's
 * postinstall, and `npm run -s` passes `npm_config_loglevel=silent` on, hiding an inner npm's errors).
 */
export function cleanEnv(extra: NodeJS.ProcessEnv = {}, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(base)) {
    if (!outerNpmVariable.test(name)) {
      env[name] = value;
    }
  }
  return { ...env, ...extra };
}

export class StepTimeoutError extends Error {
  constructor(
    readonly step: string,
    readonly ms: number,
  ) {
    super(`timed out after ${Math.round(ms / 1000)} s at step: ${step}`);
    this.name = 'StepTimeoutError';
  }
}

/** Runs `work` and fails with the step's name if it takes longer than `ms`. */
export async function step<T>(name: string, ms: number, work: () => Promise<T>): Promise<T> {
  const started = Date.now();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new StepTimeoutError(name, ms)), ms);
  });
  try {
    return await Promise.race([work(), timeout]);
  } finally {
    clearTimeout(timer);
    reportSlow(name, started, ms);
  }
}

/** A step that took long for its budget is named in the output: where a slow or flaky run spends its time. */
const SLOW_STEP_MS = 15_000;

function reportSlow(name: string, started: number, budgetMs: number): void {
  const elapsed = Date.now() - started;
  if (elapsed > SLOW_STEP_MS && elapsed > budgetMs / 4) {
    log(`slow: ${Math.round(elapsed / 1000)} s at step: ${name}`);
  }
}

/** Polls `probe` until it returns a value other than undefined/false. Readiness, never a fixed sleep. */
export async function waitFor<T>(name: string, ms: number, probe: () => Promise<T | undefined | false> | T | undefined | false, intervalMs = 100): Promise<T> {
  const started = Date.now();
  const deadline = started + ms;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) {
        reportSlow(name, started, ms);
        return value;
      }
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      const detail = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new StepTimeoutError(`${name}${detail}`, ms);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** A free TCP port on 127.0.0.1 (for servers that cannot report the port they bound). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export interface GroupProcess {
  readonly child: ChildProcess;
  /** Resolves with the exit code (or signal name) when the process ends. */
  readonly exited: Promise<number | string>;
  /** Output so far (tail-limited), for error messages. */
  output(): string;
  /** Ends the whole process group: SIGTERM, then SIGKILL after a grace period. */
  stop(): Promise<void>;
}

/**
 * Spawns a process in a process group of its own (detached), logging its output to `logFile`, so that stopping it
 * also ends the helpers it starts (code-server's extension host and pty host).
 */
export function spawnGroup(
  command: string,
  args: string[],
  options: { env: NodeJS.ProcessEnv; cwd?: string; logFile: string; onLine?: (line: string) => void },
): GroupProcess {
  const logStream = fs.createWriteStream(options.logFile, { flags: 'a' });
  const child = spawn(command, args, { env: options.env, cwd: options.cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let tail = '';
  let partial = '';
  const onData = (chunk: Buffer): void => {
    const text = chunk.toString('utf8');
    logStream.write(text);
    tail = (tail + text).slice(-20000);
    if (options.onLine) {
      const lines = (partial + text).split('\n');
      partial = lines.pop() ?? '';
      lines.forEach((line) => options.onLine?.(line));
    }
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const exited = new Promise<number | string>((resolve) => {
    child.on('exit', (code, signal) => resolve(code ?? signal ?? 'unknown'));
    child.on('error', (error) => {
      tail += `\nspawn error: ${error.message}`;
      resolve('spawn-error');
    });
  });
  const signalGroup = (signal: NodeJS.Signals): void => {
    if (child.pid === undefined) {
      return;
    }
    try {
      process.kill(-child.pid, signal);
    } catch {
      // The group is already gone.
    }
  };
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      signalGroup('SIGTERM');
      const ended = await Promise.race([exited.then(() => true), new Promise<false>((resolve) => setTimeout(() => resolve(false), 5000))]);
      // The leader may be gone while its children (extension host, pty host) still run: always sweep the group.
      if (!ended) {
        log(`${command}: still running 5 s after SIGTERM, sending SIGKILL`);
      }
      signalGroup('SIGKILL');
      await new Promise<void>((resolve) => logStream.end(resolve));
    })();
    return stopping;
  };
  // Stays registered after the leader exits: its descendants may outlive it.
  onCleanup(stop);
  return { child, exited, output: () => tail, stop };
}

/**
 * Runs a suite's main() as a command: a hard time limit, every started process stopped at the end, and a closing
 * "0 passed, 1 failed" line when the suite could not report its own counts.
 */
export function runSuiteMain(suite: string, totalMs: number, main: () => Promise<number>): void {
  stopWithParent();
  const failAll = (): void => console.log(`${suite}: 0 passed, 1 failed`);
  const overall = setTimeout(() => {
    console.error(`[harness] the ${suite} suite ran longer than ${totalMs / 60_000} minutes: stopping`);
    void runCleanups().finally(() => {
      failAll();
      process.exit(1);
    });
  }, totalMs);
  overall.unref();
  main()
    .then(async (code) => {
      await runCleanups();
      process.exit(code);
    })
    .catch(async (error: unknown) => {
      console.error(`[harness] ${error instanceof Error ? error.message : String(error)}`);
      await runCleanups();
      failAll();
      process.exit(1);
    });
}

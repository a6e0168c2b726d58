import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The repository root: services run from there, as `npm start` runs them. */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** Lines of a child's output kept for failure messages. */
const KEEP_LINES = 200;

export interface ServiceChild {
  pid(): number | undefined;
  running(): boolean;
  /** Starts it and resolves once `ready` says so; throws with its output if it exits or times out first. */
  start(): Promise<void>;
  /** SIGKILL: nothing of its shutdown runs. Resolves once the process has exited. */
  kill(): Promise<void>;
  /** SIGTERM, SIGKILL after `graceMs`. Resolves with the exit code and whether SIGKILL was needed. */
  stop(graceMs: number): Promise<{ code: number | null; killed: boolean } | null>;
  /** Its last output lines (stdout and stderr) with a marker per start and exit. */
  output(): string;
}

export const exited = (p: ChildProcess): Promise<void> =>
  p.exitCode !== null || p.signalCode !== null ? Promise.resolve() : new Promise<void>((resolve) => p.once('exit', () => resolve()));

/**
 * `node --import tsx <main>` from the repository root with `env`, startable again after a kill on the same
 * environment: what the fault tests do to the server and the edge gateway.
 */
export function serviceChild(name: string, main: string, env: NodeJS.ProcessEnv, ready: () => Promise<boolean>, startTimeoutMs: number): ServiceChild {
  const lines: string[] = [];
  let partial = '';
  const keep = (chunk: Buffer) => {
    const parts = (partial + chunk.toString('utf8')).split('\n');
    partial = parts.pop() ?? '';
    lines.push(...parts);
    if (lines.length > KEEP_LINES) lines.splice(0, lines.length - KEEP_LINES);
  };
  const output = () => [...lines, ...(partial ? [partial] : [])].join('\n');

  let child: ChildProcess | null = null;
  let starts = 0;
  return {
    pid: () => child?.pid,
    running: () => child !== null,
    output,
    async start() {
      if (child) throw new Error(`the ${name} is already running (pid ${child.pid})`);
      const n = ++starts;
      lines.push(`--- start #${n} ---`);
      const p = spawn(process.execPath, ['--import', 'tsx', main], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
      child = p;
      p.stdout!.on('data', keep);
      p.stderr!.on('data', keep);
      p.once('exit', (code, signal) => {
        lines.push(`--- start #${n} exited: ${signal ?? code} ---`);
        if (child === p) child = null;
      });
      const until = Date.now() + startTimeoutMs;
      for (;;) {
        if (p.exitCode !== null || p.signalCode !== null) throw new Error(`the ${name} exited (${p.signalCode ?? p.exitCode}) before it was ready:\n${output()}`);
        if (await ready()) return;
        if (Date.now() > until) {
          p.kill('SIGKILL');
          await exited(p);
          throw new Error(`the ${name} was not ready within ${startTimeoutMs} ms:\n${output()}`);
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    async kill() {
      const p = child;
      if (!p) throw new Error(`no ${name} running to kill`);
      p.kill('SIGKILL');
      await exited(p);
    },
    async stop(graceMs) {
      const p = child;
      if (!p) return null;
      const timer = setTimeout(() => p.kill('SIGKILL'), graceMs);
      p.kill('SIGTERM');
      await exited(p);
      clearTimeout(timer);
      return { code: p.exitCode, killed: p.signalCode === 'SIGKILL' };
    },
  };
}

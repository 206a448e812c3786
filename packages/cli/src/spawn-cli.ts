/** Test helper: runs the real `sightline` command in a child process and waits for it to be ready. */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const BIN = fileURLToPath(new URL('../bin/sightline.js', import.meta.url));

export interface RunningCli {
  child: ChildProcess;
  url: string;
  output: () => string;
  /** Ends the process (SIGTERM by default) and waits for its exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Starts `sightline start --port 0 …` and resolves with its URL once the banner says it is ready. */
export function startCli(options: {
  cwd: string;
  args?: string[];
  env?: Record<string, string>;
}): Promise<RunningCli> {
  const child = spawn(process.execPath, [BIN, 'start', '--port', '0', ...(options.args ?? [])], {
    cwd: options.cwd,
    env: { ...process.env, SIGHTLINE_LOG_LEVEL: 'warn', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`sightline start did not become ready:\n${output}`)),
      20_000,
    );
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /ready at (http:\/\/\S+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve({
          child,
          url: match[1],
          output: () => output,
          stop: (signal = 'SIGTERM') => {
            if (child.exitCode === null && child.signalCode === null) child.kill(signal);
            return exited;
          },
        });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`sightline exited with ${code} before it was ready:\n${output}`));
    });
  });
}

/** Runs a short `sightline` command to completion and returns its output. */
export function runCli(options: {
  cwd: string;
  args: string[];
  env?: Record<string, string>;
}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [BIN, ...options.args], {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stdout, stderr })));
}

/**
 * Test setup: any console output a test did not ask for fails that test (as Zod's suite does).
 * A test that expects output takes it with `takeConsoleOutput()` before it ends.
 */
import { afterEach, beforeEach, vi } from 'vitest';

type ConsoleMethod = 'log' | 'info' | 'warn' | 'error' | 'debug' | 'trace';
const methods: ConsoleMethod[] = ['log', 'info', 'warn', 'error', 'debug', 'trace'];
const captured: string[] = [];

/** Returns and clears the console output captured during the current test. */
export function takeConsoleOutput(): string[] {
  return captured.splice(0);
}

(globalThis as { __sightlineTakeConsole?: () => string[] }).__sightlineTakeConsole = takeConsoleOutput;

beforeEach(() => {
  captured.length = 0;
  for (const method of methods) {
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      captured.push(`console.${method}: ${args.map(String).join(' ')}`);
    });
  }
});

afterEach(() => {
  const output = captured.splice(0);
  vi.restoreAllMocks();
  if (output.length > 0) {
    throw new Error(`unexpected console output:\n${output.join('\n')}`);
  }
});

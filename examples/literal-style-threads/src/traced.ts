import type { StepOptions, Tracker } from '@sightline/tracker';

/**
 * The TypeScript form of Literal AI's `@lc.step(type=..., name=...)` decorator: wraps a function so
 * each call is a step of the current thread, timed, with its arguments as input and its result (or
 * error) as output. Calls made inside it nest under it, through the async context.
 */
export function traced<Args extends unknown[], Result>(
  tracker: Tracker,
  options: Omit<StepOptions, 'input'>,
  fn: (...args: Args) => Result | Promise<Result>,
): (...args: Args) => Promise<Result> {
  return (...args: Args) =>
    tracker.step({ ...options, input: args.length === 1 ? args[0] : args }, () => fn(...args));
}

/** The Node.js flags `sightline start` runs the collector with. */
export declare const COLLECTOR_NODE_FLAGS: string[];
/** Whether a process started with `execArgv` and `NODE_OPTIONS` still needs the flags. */
export declare function needsCollectorFlags(
  execArgv: readonly string[],
  nodeOptions: string | undefined,
): boolean;
/** Re-executes this process in place with the collector flags when it needs them and the platform can. */
export declare function execWithCollectorFlags(): void;

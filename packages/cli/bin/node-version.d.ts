/** The oldest Node.js that runs Sightline, as printed to people. */
export declare const REQUIRED_NODE: string;
/** The one-line message naming the Node.js needed and how to get it, or undefined when `version` will do. */
export declare function nodeVersionProblem(version: string): string | undefined;

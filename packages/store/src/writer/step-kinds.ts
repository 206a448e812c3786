/** Which steps count as tool calls, and which record how a run ended. */

/** Step types counted as tool calls on the Tools page and in tool metrics. */
export const TOOL_STEP_TYPES = new Set(['tool', 'action', 'mcp']);

/**
 * Actions that record how a run ended, not a tool: `@sightline/serve` records a failed run (a
 * guardrail's refusal included) as the action `run_failed`. They count as errors, never as tool calls
 * (the Tools page listed `run_failed` as a tool failing 100% of the time).
 */
export const RUN_OUTCOME_ACTIONS = new Set(['run_failed']);

/** Whether a step counts as a tool call (Tools page, tool metrics, a conversation's tool calls). */
export function isToolCall(step: { type: string; name: string }): boolean {
  return TOOL_STEP_TYPES.has(step.type) && !(step.type === 'action' && RUN_OUTCOME_ACTIONS.has(step.name));
}

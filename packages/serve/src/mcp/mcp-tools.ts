/**
 * @openai/agents function tools as MCP tools: their JSON schemas listed as MCP tool definitions, their
 * calls validated against those schemas and invoked with the caller's run context. Whatever goes wrong in
 * a call (bad arguments, a thrown error the SDK turned into its error text, a timeout, a refused approval)
 * or a tool guardrail's rejection is an MCP tool error (`isError: true`) the client can show its model,
 * never a failed request.
 */

import type { CallToolResult, Tool as McpTool } from '@modelcontextprotocol/sdk/types.js';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv';
import type { JsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/types.js';
import {
  type FunctionSpanData,
  type FunctionTool,
  invokeFunctionTool,
  NoopSpan,
  NoopTrace,
  RunContext,
  runToolInputGuardrails,
  runToolOutputGuardrails,
  type SpanError,
  type Tool,
  type TracingProcessor,
  withTraceContext,
} from '@openai/agents-core';
import { checkJsonShape } from '@sightline/core/http';
import { ServeError } from '../errors.ts';
import { mcpContentOf } from './mcp-tool-output.ts';

// biome-ignore lint/suspicious/noExplicitAny: tools of any context, parameters and result are served
export type AnyFunctionTool = FunctionTool<any, any, any>;

/** What to do with a call to a tool whose `needsApproval` asks for a person's decision. */
export type McpApprovalPolicy = 'refuse' | 'allow';

/** One call of a tool, as the MCP server received it. */
export interface McpToolCall {
  name: string;
  arguments: Record<string, unknown> | undefined;
  /** The run context of the call (the caller's user, or what the `context` hook made of it). */
  context: unknown;
  /** Aborted when the client cancels the request or goes away. */
  signal: AbortSignal;
  /** The JSON-RPC request id, used to name the call (`mcp-<id>`). */
  requestId: string | number;
}

interface ServedTool {
  tool: AnyFunctionTool;
  validate: JsonSchemaValidator<unknown>;
}

/** A span that only remembers the error the SDK reports on it (what the runner would trace). */
class ToolFailureProbe extends NoopSpan<FunctionSpanData> {
  failure: SpanError | undefined;
  override setError(error?: SpanError): void {
    this.failure = error;
  }
}

const NO_PROCESSOR: TracingProcessor = {
  async onTraceStart() {},
  async onTraceEnd() {},
  async onSpanStart() {},
  async onSpanEnd() {},
  async shutdown() {},
  async forceFlush() {},
};

/** The function tools an MCP endpoint serves, by name, with their compiled argument validators. */
export class McpToolset {
  readonly #tools = new Map<string, ServedTool>();
  readonly #approvals: McpApprovalPolicy;

  constructor(tools: ReadonlyArray<Tool<never> | AnyFunctionTool>, approvals: McpApprovalPolicy = 'refuse') {
    this.#approvals = approvals;
    const validators = new AjvJsonSchemaValidator();
    for (const tool of tools as Tool[]) {
      if (tool.type !== 'function') {
        throw new ServeError(
          'internal',
          `tool "${tool.name}" is a ${tool.type} tool; only function tools (tool({...})) can be served over MCP`,
        );
      }
      if (this.#tools.has(tool.name)) {
        throw new ServeError('internal', `two tools are named "${tool.name}"; MCP tool names must be unique`);
      }
      this.#tools.set(tool.name, {
        tool: tool as AnyFunctionTool,
        validate: validators.getValidator(tool.parameters as never),
      });
    }
  }

  /** The MCP definitions of the tools enabled for this run context. */
  async list(context: unknown): Promise<McpTool[]> {
    const runContext = new RunContext(context);
    const listed: McpTool[] = [];
    for (const { tool } of this.#tools.values()) {
      if (!(await isEnabled(tool, runContext))) continue;
      listed.push({
        name: tool.name,
        description: tool.description,
        inputSchema: tool.parameters as McpTool['inputSchema'],
        ...(tool.outputSchema?.type === 'object'
          ? { outputSchema: tool.outputSchema as McpTool['outputSchema'] }
          : {}),
      });
    }
    return listed;
  }

  /** Calls a tool; every failure is a tool error result naming the tool and the reason. */
  async call(call: McpToolCall): Promise<CallToolResult> {
    const served = this.#tools.get(call.name);
    const runContext = new RunContext(call.context);
    if (!served || !(await isEnabled(served.tool, runContext))) {
      return toolError(`no tool named "${call.name}" (list the tools with tools/list)`);
    }
    const { tool, validate } = served;
    const args = call.arguments ?? {};
    const shape = shapeProblem(args);
    if (shape) return toolError(`invalid arguments for tool "${tool.name}": ${shape}`);
    const checked = validate(args);
    if (!checked.valid) {
      return toolError(
        `invalid arguments for tool "${tool.name}": ${checked.errorMessage.replace(/\bdata(?=[/ ]|$)/g, 'arguments')}`,
      );
    }
    const callId = `mcp-${call.requestId}`;
    if (this.#approvals === 'refuse' && (await needsApproval(tool, runContext, args, callId))) {
      return toolError(
        `tool "${tool.name}" needs a person's approval for this call; it is not callable over MCP ` +
          '(serve it with approvals: "allow" if the MCP client asks its user)',
      );
    }
    return invoke(tool, runContext, { args, callId, signal: call.signal });
  }
}

async function invoke(
  tool: AnyFunctionTool,
  runContext: RunContext<unknown>,
  call: { args: Record<string, unknown>; callId: string; signal: AbortSignal },
): Promise<CallToolResult> {
  const input = JSON.stringify(call.args);
  const toolCall = { type: 'function_call' as const, callId: call.callId, name: tool.name, arguments: input };
  const guard = { context: runContext, agent: undefined as never, toolCall };
  const probe = new ToolFailureProbe({ type: 'function', name: tool.name, input, output: '' }, NO_PROCESSOR);
  const startedAt = performance.now();
  let output: unknown;
  let rejected = false;
  try {
    // The tool's own guardrails apply over MCP too (no agent runs the call: guardrails get none).
    const verdict = await runToolInputGuardrails({ guardrails: tool.inputGuardrails ?? [], ...guard });
    if (verdict.type === 'reject') return toolError(verdict.message);
    // The SDK reports a failed tool on the current span and answers its error text; the probe sees it.
    const raw = await withTraceContext({ trace: new NoopTrace(), span: probe }, () =>
      invokeFunctionTool({ tool, runContext, input, details: { signal: call.signal, toolCall } }),
    );
    output = await runToolOutputGuardrails({
      guardrails: tool.outputGuardrails ?? [],
      ...guard,
      toolOutput: raw,
    });
    rejected = output !== raw;
  } catch (error) {
    return toolError(`tool "${tool.name}" failed: ${messageOf(error)}`);
  }
  const timedOut =
    tool.timeoutMs !== undefined &&
    tool.timeoutBehavior !== 'raise_exception' &&
    performance.now() - startedAt >= tool.timeoutMs;
  const result = mcpContentOf(output, tool.outputSchema !== undefined);
  return probe.failure || timedOut || rejected ? { ...result, isError: true } : result;
}

async function isEnabled(tool: AnyFunctionTool, runContext: RunContext<unknown>): Promise<boolean> {
  try {
    // No agent runs an MCP call; a predicate that needs one fails closed.
    return await tool.isEnabled(runContext, undefined as never);
  } catch {
    return false;
  }
}

async function needsApproval(
  tool: AnyFunctionTool,
  runContext: RunContext<unknown>,
  args: Record<string, unknown>,
  callId: string,
): Promise<boolean> {
  try {
    return await tool.needsApproval(runContext, args as never, callId);
  } catch {
    return true;
  }
}

/** Why arguments are refused before any schema sees them (`__proto__` keys, nesting too deep), or ''. */
function shapeProblem(args: Record<string, unknown>): string {
  try {
    checkJsonShape(args);
    return '';
  } catch (error) {
    const issue = (error as ServeError).issues[0];
    return issue ? `arguments.${issue.path}: ${issue.message}` : messageOf(error);
  }
}

function toolError(text: string): CallToolResult {
  return { content: [{ type: 'text', text }], isError: true };
}

function messageOf(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.length > 500 ? `${text.slice(0, 500)}…` : text;
}

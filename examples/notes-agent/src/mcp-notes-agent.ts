/**
 * The seed's "chat endpoint using MCP": an agent whose tools come from an MCP server, reached through
 * the SDK's MCP client (`MCPServerStreamableHttp`), connected for the duration of `fn`.
 */
import { Agent, MCPServerStreamableHttp, type Model } from '@openai/agents';
import { chooseModel } from '@sightline/agents';

export interface McpAgentOptions {
  /** The MCP endpoint, e.g. `http://localhost:3002/mcp`. */
  url: string;
  /** Sent with every MCP request (e.g. the user's `Authorization`). */
  headers?: Record<string, string>;
  model?: Model | string;
}

/** Connects to the notes MCP server, runs `fn` with an agent using its tools, then disconnects. */
export async function withNotesMcpAgent<T>(
  options: McpAgentOptions,
  fn: (agent: Agent) => Promise<T>,
): Promise<T> {
  const server = new MCPServerStreamableHttp({
    name: 'Notes MCP',
    url: options.url,
    cacheToolsList: true,
    requestInit: { headers: options.headers ?? {} },
  });
  await server.connect();
  try {
    const agent = new Agent({
      name: 'NotesAgent',
      instructions: 'Help with notes using available tools.',
      model: options.model ?? chooseModel().model,
      mcpServers: [server],
    });
    return await fn(agent);
  } finally {
    await server.close();
  }
}

/**
 * The seed's "Notes MCP" server: `create_note` and `list_notes` as MCP tools, served over MCP's
 * Streamable HTTP transport (stateless: one server per request, bound to the authenticated user).
 */
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import { z } from 'zod';
import type { NoteService } from './note-service.ts';

/** An MCP server exposing one user's notes. */
export function createNotesMcpServer(service: NoteService, userId: string): McpServer {
  const server = new McpServer({ name: 'Notes MCP', version: '0.1.0' });
  server.registerTool(
    'create_note',
    {
      description: 'Create a note.',
      inputSchema: { title: z.string().min(1).max(200), content: z.string().max(10_000) },
    },
    async ({ title, content }) => {
      const note = service.create(userId, title, content);
      return { content: [{ type: 'text', text: `Created: ${note.title} (ID ${note.id})` }] };
    },
  );
  server.registerTool('list_notes', { description: 'List all notes.' }, async () => {
    const notes = service.list(userId);
    const text = notes.length === 0 ? 'No notes found.' : notes.map((note) => `- ${note.title}`).join('\n');
    return { content: [{ type: 'text', text }] };
  });
  return server;
}

/** Answers one MCP HTTP request (POST /mcp) for a user. */
export async function handleMcpRequest(
  service: NoteService,
  userId: string,
  request: Request,
): Promise<Response> {
  const server = createNotesMcpServer(service, userId);
  // No session id generator: stateless mode, every request stands alone.
  const transport = new WebStandardStreamableHTTPServerTransport({ enableJsonResponse: true });
  await server.connect(transport);
  try {
    return await transport.handleRequest(request);
  } finally {
    await server.close();
  }
}

/**
 * The served-agents API of `@sightline/serve` (mounted next to the collector by `sightline start`):
 * discovery, cancelling a run. Runs themselves stream through the AI SDK chat transport (chat-transport.ts).
 */
import { getServedList } from './served-fetch.ts';

/** A tool as `GET /agents` describes it. */
export interface AgentTool {
  name: string;
  type: string;
  description?: string;
}

/** An agent as `GET /agents` describes it. */
export interface AgentInfo {
  name: string;
  description: string;
  model: string;
  tools: AgentTool[];
  handoffs: string[];
}

/** Lists the served agents; throws ApiError (404 when no agents are mounted on this server). */
export async function listAgents(key: string, signal?: AbortSignal): Promise<AgentInfo[]> {
  const body = (await getServedList(key, '/agents', signal)) as { agents?: AgentInfo[] };
  return body.agents ?? [];
}

/** Asks the server to stop a run (closing the stream alone lets it finish and persist). */
export async function cancelRun(key: string, agent: string, runId: string): Promise<void> {
  await fetch(`/agents/${encodeURIComponent(agent)}/runs/${encodeURIComponent(runId)}/cancel`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}` },
  });
}

/**
 * The agents a router serves, by the name used in its routes (`/agents/:name/...`, and `model` of the
 * OpenAI-compatible route), and how they describe themselves to `GET /agents`.
 */
import type { Agent } from '@openai/agents-core';
import { ServeError } from '../errors.ts';

// biome-ignore lint/suspicious/noExplicitAny: agents of any context and output type are served
export type AnyAgent = Agent<any, any>;

/** Agents to serve: a list (each under its `name`) or a record (each under its key). */
export type ServedAgents = AnyAgent[] | Record<string, AnyAgent>;

/** A tool as discovery shows it. */
export interface ToolDescription {
  name: string;
  type: string;
  description?: string;
  /** JSON schema of the arguments (function tools). */
  parameters?: unknown;
}

/** An agent as `GET /agents` shows it. */
export interface AgentDescription {
  name: string;
  description: string;
  model: string;
  tools: ToolDescription[];
  handoffs: string[];
}

/** Name -> agent, with descriptions for discovery. */
export class AgentCatalog {
  readonly #agents = new Map<string, AnyAgent>();
  #descriptions: AgentDescription[] | undefined;

  constructor(agents: ServedAgents) {
    const entries = Array.isArray(agents)
      ? agents.map((agent) => [agent.name, agent] as const)
      : Object.entries(agents);
    for (const [name, agent] of entries) {
      if (!name || /[/\s]/.test(name)) {
        throw new ServeError(
          'invalid_request',
          `agent name "${name}" cannot be used in a URL (no "/" or spaces)`,
        );
      }
      if (this.#agents.has(name)) throw new ServeError('conflict', `two agents are served as "${name}"`);
      this.#agents.set(name, agent);
    }
  }

  /** The agent served as `name`; 404 naming the served agents otherwise. */
  get(name: string): AnyAgent {
    const agent = this.#agents.get(name);
    if (!agent) {
      const known = [...this.#agents.keys()].join(', ') || 'none';
      throw new ServeError('not_found', `no agent named "${name}" (served agents: ${known})`);
    }
    return agent;
  }

  /** True when `name` is served. */
  has(name: string): boolean {
    return this.#agents.has(name);
  }

  /** Every served agent's name. */
  names(): string[] {
    return [...this.#agents.keys()];
  }

  /** What `GET /agents` lists (built once: served agents are fixed when the router is made). */
  describe(): AgentDescription[] {
    this.#descriptions ??= [...this.#agents.entries()].map(([name, agent]) => describeAgent(name, agent));
    return this.#descriptions;
  }

  /** What `GET /agents/:name` shows; 404 naming the served agents otherwise. */
  describeOne(name: string): AgentDescription {
    this.get(name);
    return this.describe().find((agent) => agent.name === name) as AgentDescription;
  }
}

function describeAgent(name: string, agent: AnyAgent): AgentDescription {
  const model = typeof agent.model === 'string' ? agent.model : (agent.model as { name?: string })?.name;
  return {
    name,
    description:
      agent.handoffDescription ||
      (typeof agent.instructions === 'string' ? firstLine(agent.instructions) : ''),
    model: model || 'default',
    tools: agent.tools.map(describeTool),
    handoffs: agent.handoffs.map((handoff) => ('agentName' in handoff ? handoff.agentName : handoff.name)),
  };
}

function describeTool(tool: AnyAgent['tools'][number]): ToolDescription {
  const record = tool as { type: string; name?: string; description?: string; parameters?: unknown };
  const description: ToolDescription = { name: record.name ?? record.type, type: record.type };
  if (record.description) description.description = record.description;
  if (record.type === 'function') description.parameters = record.parameters;
  return description;
}

function firstLine(text: string): string {
  const line = text.trim().split('\n')[0] ?? '';
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}

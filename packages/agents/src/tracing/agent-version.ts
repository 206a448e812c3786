/**
 * Agent versions: a stable short fingerprint of what makes an agent behave as it does (instructions,
 * tools with their JSON schemas, model, model settings, output type, and its handoffs' versions), so two
 * runs of the same configuration share a version and any change to it makes another. An optional label
 * (`v2`, a git sha...) is put in front: `v2:3f9a1c2b7d4e`.
 */
import { createHash } from 'node:crypto';
import type { Agent } from '@openai/agents-core';

// biome-ignore lint/suspicious/noExplicitAny: any agent, whatever its context and output types
type AnyAgent = Agent<any, any>;

/** A label for an agent's version: one for every agent, or chosen per agent (undefined: none). */
export type AgentVersionLabel = string | ((agent: AnyAgent) => string | undefined);

/** Characters of the hash kept in a version (48 bits: collisions are not a concern per project). */
const HASH_LENGTH = 12;
/** Longest label kept (the version must stay an id of at most 256 characters). */
const MAX_LABEL_LENGTH = 200;

/**
 * The agent's version: its fingerprint, prefixed by `label` when given (`label:fingerprint`). The label
 * names the version for people; the fingerprint still tells two different configurations under one label apart.
 */
export function agentVersionOf(agent: AnyAgent, label?: AgentVersionLabel): string {
  const hash = agentFingerprint(agent);
  const chosen = typeof label === 'function' ? label(agent) : label;
  const clean = chosen?.replace(/[^\x21-\x7e]/g, '').slice(0, MAX_LABEL_LENGTH);
  return clean ? `${clean}:${hash}` : hash;
}

/** The stable short hash of an agent's configuration (no label). */
export function agentFingerprint(agent: AnyAgent): string {
  const described = describeAgent(agent, new Set());
  return createHash('sha256').update(stableJson(described)).digest('hex').slice(0, HASH_LENGTH);
}

/** What the fingerprint covers, as plain JSON; a handoff back to an agent already described is its name. */
function describeAgent(agent: AnyAgent, seen: Set<AnyAgent>): unknown {
  if (seen.has(agent)) return { agent: agent.name };
  seen.add(agent);
  const { instructions, prompt } = agent;
  return {
    name: agent.name,
    instructions: typeof instructions === 'function' ? instructions.toString() : instructions,
    prompt: typeof prompt === 'function' ? prompt.toString() : (prompt ?? null),
    model: modelName(agent.model),
    modelSettings: toJson(agent.modelSettings),
    outputType: agent.outputSchemaName,
    tools: agent.tools.map(describeTool).sort(byName),
    handoffs: agent.handoffs
      .map((target) => describeAgent('onInvokeHandoff' in target ? target.agent : target, seen))
      .sort(byName),
  };
}

function describeTool(tool: AnyAgent['tools'][number]): { name: string } & Record<string, unknown> {
  const record = tool as unknown as Record<string, unknown>;
  return {
    name: tool.name,
    type: tool.type,
    parameters: toJson(record.parameters),
    strict: record.strict ?? null,
    providerData: toJson(record.providerData),
  };
}

/** A model's name: the string given, else a Model object's name/model field, else its class. */
function modelName(model: unknown): string {
  if (typeof model === 'string') return model;
  if (model && typeof model === 'object') {
    const fields = model as Record<string, unknown>;
    for (const key of ['name', 'model', '_model', 'modelId']) {
      if (typeof fields[key] === 'string') return fields[key];
    }
    return model.constructor?.name ?? 'model';
  }
  return '';
}

function byName(a: unknown, b: unknown): number {
  const nameOf = (x: unknown) =>
    String((x as { name?: unknown; agent?: unknown }).name ?? (x as { agent?: unknown }).agent);
  return nameOf(a) < nameOf(b) ? -1 : nameOf(a) > nameOf(b) ? 1 : 0;
}

/** A JSON round trip (functions and undefined dropped), null for what has no JSON form. */
function toJson(value: unknown): unknown {
  if (value === undefined) return null;
  try {
    return JSON.parse(JSON.stringify(value) ?? 'null');
  } catch {
    return null;
  }
}

/** JSON with object keys sorted at every level, so the same configuration always hashes alike. */
function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/**
 * Which conversation each recent trace belongs to, per project, so that spans of a trace exported
 * after the span naming its conversation (`gen_ai.conversation.id`, `session.id`) join that
 * conversation instead of a `trace-<id>` one. Bounded: the least recently used trace is forgotten
 * past `OTLP_LIMITS.rememberedTraces`. Per process: a trace split over collector nodes (or a restart)
 * is joined up through the store instead (trace-rehoming.ts).
 */
import { OTLP_LIMITS } from './otlp-limits.ts';

/** The conversations of one project's traces. */
export interface TraceMemory {
  get(traceId: string): string | undefined;
  set(traceId: string, conversationId: string): void;
}

export class TraceConversations {
  readonly #max: number;
  readonly #byTrace = new Map<string, string>();

  constructor(max: number = OTLP_LIMITS.rememberedTraces) {
    this.#max = max;
  }

  /** Traces remembered now. */
  get size(): number {
    return this.#byTrace.size;
  }

  /** The memory of one project's traces. */
  forProject(projectId: string): TraceMemory {
    return {
      get: (traceId) => this.#get(`${projectId}/${traceId}`),
      set: (traceId, conversationId) => this.#set(`${projectId}/${traceId}`, conversationId),
    };
  }

  #get(key: string): string | undefined {
    const conversationId = this.#byTrace.get(key);
    if (conversationId !== undefined) {
      this.#byTrace.delete(key);
      this.#byTrace.set(key, conversationId);
    }
    return conversationId;
  }

  #set(key: string, conversationId: string): void {
    this.#byTrace.delete(key);
    this.#byTrace.set(key, conversationId);
    if (this.#byTrace.size > this.#max) {
      const oldest = this.#byTrace.keys().next();
      if (!oldest.done) this.#byTrace.delete(oldest.value);
    }
  }
}

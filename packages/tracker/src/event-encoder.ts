import type { IngestEvent } from '@sightline/core';
import type { EncodedEvent, RawEvent } from './raw-event.ts';
import { isoFromMillis, type LimitReport, limitBody } from './wire-limits.ts';

/** Redacts or drops an event before it leaves the process; return null to drop it. */
export type BeforeSend = (event: IngestEvent) => IngestEvent | null;

/** The outcome of encoding one event. */
export type EncodeResult =
  | { kind: 'encoded'; event: EncodedEvent; truncated: boolean }
  | { kind: 'filtered' }
  | { kind: 'failed'; reason: 'before_send_error' | 'encode_error'; error: unknown };

/**
 * Turns a hot-path record into wire JSON, off the hot path: limits every field (core's LIMITS),
 * applies `beforeSend` to a copy (never to the caller's objects), limits again what it returned,
 * and serializes. Never throws.
 */
export function encodeEvent(raw: RawEvent, beforeSend: BeforeSend | undefined): EncodeResult {
  let wire: IngestEvent;
  const report: LimitReport = { truncated: false, payload: 0 };
  try {
    const body = limitBody(raw.kind, raw.ctx, raw, report);
    wire = { id: raw.id, type: raw.kind, timestamp: isoFromMillis(raw.ts), body } as IngestEvent;
  } catch (error) {
    return { kind: 'failed', reason: 'encode_error', error };
  }
  if (beforeSend) {
    try {
      const result = beforeSend(wire);
      if (result === null || result === undefined) return { kind: 'filtered' };
      report.payload = 0;
      wire = limitEvent(result, report);
    } catch (error) {
      return { kind: 'failed', reason: 'before_send_error', error };
    }
  }
  try {
    const json = JSON.stringify(wire);
    return {
      kind: 'encoded',
      truncated: report.truncated,
      event: {
        seq: raw.seq,
        id: wire.id,
        type: raw.kind,
        json,
        bytes: Buffer.byteLength(json),
        payload: report.payload,
      },
    };
  } catch (error) {
    return { kind: 'failed', reason: 'encode_error', error };
  }
}

function limitEvent(event: IngestEvent, report: LimitReport): IngestEvent {
  const body = (event.body ?? {}) as Record<string, unknown>;
  return {
    id: event.id,
    type: event.type,
    timestamp: event.timestamp,
    body: limitBody(event.type, body, body, report),
  } as IngestEvent;
}

/** Marker that replaces a step input/output dropped to relieve memory pressure. */
export interface TruncationMarker {
  truncated: true;
  reason: 'buffer_full';
  originalChars: number;
  preview: string;
}

const PREVIEW_CHARS = 200;

/**
 * Replaces the input and output of an encoded step with markers (keeping a short preview), the
 * buffer's first relief when it is over its byte bound. Returns null if there was nothing to cut.
 */
export function truncatePayload(event: EncodedEvent): EncodedEvent | null {
  if (event.type !== 'step' || event.payload === 0) return null;
  try {
    const wire = JSON.parse(event.json) as { body: Record<string, unknown> };
    const cut: string[] = [];
    for (const key of ['input', 'output'] as const) {
      const value = wire.body[key];
      if (value === undefined) continue;
      const text = typeof value === 'string' ? value : JSON.stringify(value);
      const marker: TruncationMarker = {
        truncated: true,
        reason: 'buffer_full',
        originalChars: text.length,
        preview: text.slice(0, PREVIEW_CHARS),
      };
      wire.body[key] = marker;
      cut.push(key);
    }
    const metadata = (wire.body.metadata ?? {}) as Record<string, unknown>;
    metadata['sightline.truncated'] = cut;
    wire.body.metadata = metadata;
    const json = JSON.stringify(wire);
    return { ...event, json, bytes: Buffer.byteLength(json), payload: 0 };
  } catch {
    return null;
  }
}

/**
 * Subscribes to `/v1/live` (Server-Sent Events) while mounted. EventSource reconnects by itself;
 * events are delivered in batches (every 100 ms at most) so a burst does not re-render per event.
 * An erasure is delivered after the events that came before it, so nothing of it comes back.
 */
import { useEffect, useRef, useState } from 'react';
import type { ApiClient } from './client.ts';
import type { LiveErasure, LiveEvent } from './types.ts';

export type LiveStatus = 'connecting' | 'live' | 'reconnecting' | 'closed';

const EVENT_TYPES = ['message', 'step', 'feedback', 'conversation'] as const;

export function useLiveFeed(
  client: ApiClient,
  onEvents: (events: LiveEvent[]) => void,
  onLagged?: (dropped: number) => void,
  onErased?: (erasure: LiveErasure) => void,
): LiveStatus {
  const [status, setStatus] = useState<LiveStatus>('connecting');
  const handlers = useRef({ onEvents, onLagged, onErased });
  handlers.current = { onEvents, onLagged, onErased };

  useEffect(() => {
    const source = new EventSource(client.liveUrl());
    let pending: LiveEvent[] = [];
    let timer: ReturnType<typeof setTimeout> | null = null;
    const flush = () => {
      timer = null;
      const batch = pending;
      pending = [];
      if (batch.length > 0) handlers.current.onEvents(batch);
    };
    const onEvent = (message: MessageEvent<string>) => {
      try {
        pending.push(JSON.parse(message.data) as LiveEvent);
      } catch {
        return;
      }
      timer ??= setTimeout(flush, 100);
    };
    source.addEventListener('ready', () => setStatus('live'));
    for (const type of EVENT_TYPES) source.addEventListener(type, onEvent);
    source.addEventListener('lagged', (message: MessageEvent<string>) => {
      const { dropped } = JSON.parse(message.data) as { dropped: number };
      handlers.current.onLagged?.(dropped);
    });
    source.addEventListener('erased', (message: MessageEvent<string>) => {
      if (timer) clearTimeout(timer);
      flush();
      handlers.current.onErased?.(JSON.parse(message.data) as LiveErasure);
    });
    source.onerror = () => setStatus(source.readyState === EventSource.CLOSED ? 'closed' : 'reconnecting');
    return () => {
      if (timer) clearTimeout(timer);
      source.close();
    };
  }, [client]);

  return status;
}

import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createSightlineApp } from './app.ts';
import { createLogger } from './logger.ts';
import { createFixture } from './test-fixture.ts';

function capture() {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (chunk) => {
    text += chunk.toString();
  });
  return { stream, text: () => text };
}

describe('console output of the collector', () => {
  it('writes one short readable line per entry in pretty mode, not JSON', () => {
    const out = capture();
    const logger = createLogger({ pretty: true, level: 'info', destination: out.stream });
    logger.info({ port: 4400 }, 'listening');
    expect(out.text()).toMatch(/^\[\d\d:\d\d:\d\d\] INFO: listening \{"port":4400\}\n$/);
  });

  it('keeps requests out of a terminal at info level when asked (requestLogLevel debug)', async () => {
    const fixture = await createFixture();
    try {
      for (const requestLogLevel of ['debug', 'info'] as const) {
        const out = capture();
        const logger = createLogger({ pretty: true, level: 'info', destination: out.stream });
        const collector = createSightlineApp({ store: fixture.store, logger, requestLogLevel });
        await collector.app.request('/v1/project', {
          headers: { authorization: `Bearer ${fixture.readKey}` },
        });
        if (requestLogLevel === 'debug') expect(out.text()).toBe('');
        else expect(out.text()).toMatch(/INFO: request .*"path":"\/v1\/project"/);
        await collector.shutdown();
      }
    } finally {
      await fixture.close();
    }
  });
});

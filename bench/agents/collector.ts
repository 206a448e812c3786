/**
 * The benchmark's collector, in its own process (as in production, where it runs on another machine):
 * a minimal `POST /v1/ingest` sink that accepts every event without validating it, so that on a small
 * shared machine it takes as little CPU as possible away from the process being measured. Prints its
 * endpoint, then, when stdin closes, the number of events received and the CPU it used (µs).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

let received = 0;
const server = createServer(async (request, response) => {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const { events } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { events: Array<{ id: string }> };
  received += events.length;
  response.writeHead(200, { 'content-type': 'application/json' });
  response.end(
    JSON.stringify({
      accepted: events.length,
      duplicates: 0,
      rejected: 0,
      results: events.map((event, index) => ({ index, id: event.id, status: 'accepted' })),
    }),
  );
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`http://127.0.0.1:${(server.address() as AddressInfo).port}\n`);
});
process.stdin.resume();
process.stdin.on('end', () => {
  const cpu = process.cpuUsage();
  process.stdout.write(`${received} ${cpu.user + cpu.system}\n`);
  server.close();
  process.exit(0);
});

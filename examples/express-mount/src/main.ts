/**
 * Runs the shop: `node examples/express-mount/src/main.ts` (PORT, default 3004). The support agent uses
 * OpenAI when OPENAI_API_KEY is set, else the offline demo model.
 */
import { createShopApp } from './app.ts';

const port = Number(process.env.PORT ?? 3004);
const { app, agents } = createShopApp();
const server = app.listen(port, () => {
  console.log(
    `shop on http://127.0.0.1:${port}; support agent under /ai; customers: Bearer ada-token, Bearer linus-token`,
  );
});

async function shutdown(): Promise<void> {
  await agents.close();
  server.closeAllConnections();
  server.close(() => process.exit(0));
}
process.once('SIGINT', () => void shutdown());
process.once('SIGTERM', () => void shutdown());

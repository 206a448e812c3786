/**
 * Builds the dashboard to static files in ./dist (served by @sightline/server at `/`).
 * `npm run dev -w @sightline/dashboard` proxies `/v1` to a running collector
 * ($SIGHTLINE_ENDPOINT, default http://127.0.0.1:4400).
 */
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const endpoint = process.env.SIGHTLINE_ENDPOINT ?? 'http://127.0.0.1:4400';

export default defineConfig({
  plugins: [react()],
  base: '/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 800,
  },
  server: {
    proxy: {
      '/v1': { target: endpoint, changeOrigin: true },
      '/agents': { target: endpoint, changeOrigin: true },
      '/workflows': { target: endpoint, changeOrigin: true },
    },
  },
});

/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// Served by the seed manager at /console/ (same origin as the API), from the jar the Maven module builds.
export default defineConfig({
  base: '/console/',
  plugins: [react()],
  build: {
    outDir: process.env.EDGEPLANE_CONSOLE_OUT ?? 'target/classes/edgeplane-console',
    emptyOutDir: true,
    // The Content-Security-Policy forbids inline scripts: no module preload polyfill inlined into index.html.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
  },
  server: {
    // `npm run dev` against a seed manager on the Quick start's loopback port.
    proxy: { '/api': 'http://127.0.0.1:8080' },
  },
  test: {
    environment: 'jsdom',
    globals: true,
    setupFiles: ['src/test/setup.ts'],
  },
});

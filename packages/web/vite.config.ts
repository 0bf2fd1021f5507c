// Builds the console to dist/console: one HTML page, hashed assets under /assets (served with a long cache
// by the server), nothing fetched from elsewhere at run time.
import { defineConfig } from 'vite';

export default defineConfig({
  base: '/',
  build: {
    outDir: 'dist/console',
    assetsDir: 'assets',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
  },
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
});

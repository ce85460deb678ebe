import { defineConfig } from 'vite';

// The staff screens (src/web) are built into dist/web and served by the API (src/api/web.ts).
// Vite 8 transforms TSX with Oxc, so no React plugin is needed for a production build.
export default defineConfig({
  root: 'src/web',
  base: '/',
  logLevel: 'warn',
  build: {
    outDir: '../../dist/web',
    emptyOutDir: true,
    sourcemap: true,
    chunkSizeWarningLimit: 2000,
    rollupOptions: {
      // react-router marks itself "use client" (for server components); meaningless here.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
    },
  },
  server: { proxy: { '/api': 'http://127.0.0.1:3000' } },
});

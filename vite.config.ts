import fs from 'node:fs';
import path from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { defineConfig, type Plugin } from 'vite';

/**
 * The screens' bundle precompressed at build (brotli and gzip, node's zlib: no extra package);
 * src/api/web.ts serves the variant the browser accepts.
 */
function precompress(): Plugin {
  return {
    name: 'precompress',
    apply: 'build',
    writeBundle(options, bundle) {
      for (const file of Object.keys(bundle)) {
        if (!/\.(js|css|svg|html|json)$/.test(file)) continue;
        const full = path.join(options.dir!, file);
        const data = fs.readFileSync(full);
        if (data.length < 1024) continue;
        fs.writeFileSync(
          `${full}.br`,
          brotliCompressSync(data, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }),
        );
        fs.writeFileSync(`${full}.gz`, gzipSync(data, { level: 9 }));
      }
    },
  };
}

// The staff screens (src/web) are built into dist/web and served by the API (src/api/web.ts).
// Vite 8 transforms TSX with Oxc, so no React plugin is needed for a production build.
export default defineConfig({
  root: 'src/web',
  base: '/',
  logLevel: 'warn',
  build: {
    outDir: '../../dist/web',
    emptyOutDir: true,
    // maps are written for debugging a build, but not referenced from the bundle; web.ts does
    // not serve them in production
    sourcemap: 'hidden',
    chunkSizeWarningLimit: 2000,
    rollupOptions: {
      // react-router marks itself "use client" (for server components); meaningless here.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
    },
  },
  plugins: [precompress()],
  server: { proxy: { '/api': 'http://127.0.0.1:3000' } },
});

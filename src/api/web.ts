import fs from 'node:fs';
import path from 'node:path';
import express, { Router } from 'express';
import { webDir } from '../paths.js';
import { SCREEN_CSP } from './security-headers.js';
import { HttpProblem } from './problem.js';

/**
 * The staff screens (reviewer workbench, operator console, analyst view) built by Vite into
 * dist/web: static assets, and index.html for every other GET outside the API so the
 * client-side routes (/reviewer/…, /operator/…) survive a reload.
 */
export function webRouter(dir = webDir): Router {
  const r = Router();
  const index = path.join(dir, 'index.html');
  if (!fs.existsSync(index)) return r; // not built (API-only deployment)
  const assets = path.resolve(dir, 'assets');
  const production = process.env.NODE_ENV === 'production';
  r.use('/assets', (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    // source maps are not public in production (the build does not reference them either)
    if (production && req.path.endsWith('.map'))
      return next(new HttpProblem(404, 'Not found', `no route ${req.method} /assets${req.path}`));
    const file = path.resolve(assets, `.${path.posix.normalize(req.path)}`);
    if (!file.startsWith(assets + path.sep)) return next();
    res.setHeader('vary', 'accept-encoding');
    const accepted = String(req.headers['accept-encoding'] ?? '');
    // the precompressed variant the browser accepts (vite.config.ts), with the original's type
    for (const [encoding, ext] of [
      ['br', '.br'],
      ['gzip', '.gz'],
    ] as const) {
      if (!new RegExp(`\\b${encoding}\\b`).test(accepted) || !fs.existsSync(file + ext)) continue;
      res.setHeader('content-encoding', encoding);
      res.type(path.extname(file));
      res.setHeader('cache-control', 'public, max-age=31536000, immutable');
      return res.sendFile(file + ext);
    }
    next();
  });
  r.use('/assets', express.static(assets, { immutable: true, maxAge: '1y' }));
  r.use((req, res, next) => {
    if (
      req.method !== 'GET' ||
      req.path.startsWith('/api/') ||
      req.path.startsWith('/internal/') ||
      req.path.startsWith('/assets/') ||
      req.path === '/healthz' ||
      req.path === '/readyz'
    )
      return next();
    res.setHeader('content-security-policy', SCREEN_CSP);
    res.setHeader('cache-control', 'no-cache');
    res.sendFile(index);
  });
  return r;
}

import fs from 'node:fs';
import path from 'node:path';
import express, { Router } from 'express';
import { webDir } from '../paths.js';
import { SCREEN_CSP } from './security-headers.js';

/**
 * The staff screens (reviewer workbench, operator console, analyst view) built by Vite into
 * dist/web: static assets, and index.html for every other GET outside the API so the
 * client-side routes (/reviewer/…, /operator/…) survive a reload.
 */
export function webRouter(dir = webDir): Router {
  const r = Router();
  const index = path.join(dir, 'index.html');
  if (!fs.existsSync(index)) return r; // not built (API-only deployment)
  r.use('/assets', express.static(path.join(dir, 'assets'), { immutable: true, maxAge: '1y' }));
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

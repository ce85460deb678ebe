import fs from 'node:fs';
import path from 'node:path';
import express, { Router } from 'express';
import { webDir } from '../paths.js';

// The screens load only their own scripts and styles; bpmn-js sets inline styles on SVG, and
// document previews are blob: URLs made from API responses.
const CSP = [
  "default-src 'self'",
  "img-src 'self' data: blob:",
  "style-src 'self' 'unsafe-inline'",
  "object-src 'self' blob:",
  "frame-src 'self' blob:",
  "frame-ancestors 'none'",
  "base-uri 'self'",
  "form-action 'self'",
].join('; ');

/**
 * The staff screens (reviewer workbench, operator console, analyst view) built by Vite into
 * dist/web: static assets, and index.html for every other GET outside the API so the
 * client-side routes (/reviewer/…, /operator/…) survive a reload.
 */
export function webRouter(dir = webDir): Router {
  const r = Router();
  const index = path.join(dir, 'index.html');
  if (!fs.existsSync(index)) return r; // not built (API-only deployment)
  r.use((_req, res, next) => {
    res.setHeader('x-content-type-options', 'nosniff');
    res.setHeader('referrer-policy', 'same-origin');
    next();
  });
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
    res.setHeader('content-security-policy', CSP);
    res.setHeader('cache-control', 'no-cache');
    res.sendFile(index);
  });
  return r;
}

import type { RequestHandler } from 'express';
import { HttpProblem } from './problem.js';

/**
 * The staff screens' policy: only their own scripts and styles (the Vite bundle: no inline
 * script or style element; bpmn-js sets styles through the DOM, which CSP allows), images
 * from data:/blob: (document previews are blob: URLs made from API responses), no framing.
 */
export const SCREEN_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'self' blob:",
  "frame-src 'self' blob:",
  "frame-ancestors 'none'",
  "base-uri 'self'",
  "form-action 'self'",
].join('; ');

/** API answers are data, never a document: nothing may load from them or frame them. */
export const API_CSP =
  "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

export interface HttpSecurityOptions {
  /** Strict-Transport-Security max-age (s) sent on requests that came over TLS; 0: never. */
  hstsMaxAgeS: number;
}

/**
 * Headers on every answer, HTML or JSON, error or not (issue 14 §10). Answers are `no-store`
 * unless a route says otherwise (the screens' static assets): API answers carry personal data
 * and the sign-in answer a token. HSTS only when the request came over TLS — directly, or
 * from a trusted proxy's X-Forwarded-Proto (express `trust proxy`, TRUST_PROXY).
 */
export function securityHeaders(opts: HttpSecurityOptions): RequestHandler {
  return (req, res, next) => {
    res.setHeader('content-security-policy', API_CSP);
    res.setHeader('x-content-type-options', 'nosniff');
    res.setHeader('x-frame-options', 'DENY');
    res.setHeader('referrer-policy', 'no-referrer');
    res.setHeader('cross-origin-opener-policy', 'same-origin');
    res.setHeader('cross-origin-resource-policy', 'same-origin');
    res.setHeader('permissions-policy', 'camera=(), microphone=(), geolocation=(), payment=()');
    res.setHeader('cache-control', 'no-store');
    if (req.secure && opts.hstsMaxAgeS > 0)
      res.setHeader('strict-transport-security', `max-age=${opts.hstsMaxAgeS}; includeSubDomains`);
    next();
  };
}

/**
 * Cross-origin calls: none unless origins are configured (CORS_ORIGINS). The screens are
 * served by the API itself (same origin) and the portal and registries call server to server,
 * so browsers of other origins get no CORS header at all. A configured origin may call with a
 * bearer token (never with the session cookie: no Allow-Credentials).
 */
export function corsPolicy(origins: string[]): RequestHandler {
  const allowed = new Set(origins.map((o) => o.replace(/\/+$/, '')));
  return (req, res, next) => {
    const origin = req.get('origin');
    if (!origin || allowed.size === 0 || !allowed.has(origin)) {
      if (origin && req.method === 'OPTIONS' && req.get('access-control-request-method'))
        return next(
          new HttpProblem(
            403,
            'Forbidden',
            'cross-origin requests from this origin are not allowed',
          ),
        );
      return next();
    }
    res.vary('origin');
    res.setHeader('access-control-allow-origin', origin);
    if (req.method === 'OPTIONS' && req.get('access-control-request-method')) {
      res.setHeader('access-control-allow-methods', 'GET, POST, PUT, PATCH, DELETE');
      res.setHeader('access-control-allow-headers', 'authorization, content-type, idempotency-key');
      res.setHeader('access-control-max-age', '600');
      res.status(204).end();
      return;
    }
    res.setHeader('access-control-expose-headers', 'location, retry-after, idempotent-replayed');
    next();
  };
}

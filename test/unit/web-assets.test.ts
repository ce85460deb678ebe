import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import express from 'express';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { webRouter } from '../../src/api/web.js';

// The screens' bundle as vite.config.ts leaves it: each asset with its .br and .gz variants and
// a source map that the bundle does not reference.
const JS = `console.log(${JSON.stringify('x'.repeat(4000))});\n`;
let dir: string;
let server: http.Server;
let base: string;
const env = process.env.NODE_ENV;

function get(url: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }>(
    (resolve, reject) => {
      http
        .get(url, { headers }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }),
          );
        })
        .on('error', reject);
    },
  );
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'web-assets-'));
  fs.mkdirSync(path.join(dir, 'assets'));
  fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>t</title>');
  fs.writeFileSync(path.join(dir, 'assets', 'app.js'), JS);
  fs.writeFileSync(path.join(dir, 'assets', 'app.js.br'), brotliCompressSync(JS));
  fs.writeFileSync(path.join(dir, 'assets', 'app.js.gz'), gzipSync(JS));
  fs.writeFileSync(path.join(dir, 'assets', 'app.js.map'), '{"version":3}');
  process.env.NODE_ENV = 'production';
  const app = express();
  app.use(webRouter(dir));
  app.use((_req, res) => {
    res.status(404).end();
  });
  server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  process.env.NODE_ENV = env;
  await new Promise((r) => server.close(r));
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('the screens bundle', () => {
  it('given a browser that accepts brotli, when it loads a script, then the brotli variant is served with the script type', async () => {
    const res = await get(`${base}/assets/app.js`, { 'accept-encoding': 'gzip, deflate, br' });
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBe('br');
    expect(res.headers['content-type']).toMatch(/javascript/);
    expect(res.headers.vary).toMatch(/accept-encoding/i);
    expect(res.body.length).toBeLessThan(JS.length / 10);
    expect(brotliDecompressSync(res.body).toString()).toBe(JS);
  });

  it('given a browser that accepts only gzip, then the gzip variant is served', async () => {
    const res = await get(`${base}/assets/app.js`, { 'accept-encoding': 'gzip' });
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(res.body).toString()).toBe(JS);
  });

  it('given a client that accepts no encoding, then the plain file is served', async () => {
    const res = await get(`${base}/assets/app.js`);
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.body.toString()).toBe(JS);
  });

  it('given production, when a source map is asked for, then it is not served', async () => {
    const res = await get(`${base}/assets/app.js.map`, { 'accept-encoding': 'br' });
    expect(res.status).toBe(404);
    expect(res.body.toString()).not.toContain('"version"');
  });

  it('given a path that climbs out of the assets, then nothing outside them is served', async () => {
    const res = await get(`${base}/assets/..%2findex.html`, { 'accept-encoding': 'br' });
    expect(res.headers['content-encoding']).toBeUndefined();
  });
});

import { PassThrough } from 'node:stream';
import { describe, expect, it } from '@jest/globals';
import type { Request } from 'express';
import { scanStorage, UploadRefused } from '../../src/api/uploads.js';
import { png } from '../support/scans.js';

/** Feeds a file part to the storage the way multer does; the stream stays open until ended. */
function handle() {
  const stream = new PassThrough();
  const storage = scanStorage();
  let consumed = 0;
  stream.on('data', (c: Buffer) => (consumed += c.length));
  const result = new Promise<{ err: unknown; info?: { buffer?: Buffer } }>((resolve) =>
    storage._handleFile({} as Request, { stream } as never, (err, info) =>
      resolve({ err, info: info as { buffer?: Buffer } }),
    ),
  );
  return { stream, result, consumed: () => consumed };
}

const settle = () => new Promise((r) => setTimeout(r, 50));

describe('uploads are typed and limited while they stream (000 §2.1.10, #14)', () => {
  it('given a PNG that grows past 2 MB, when it streams in, then it is refused before the stream ends', async () => {
    const h = handle();
    h.stream.write(png());
    for (let i = 0; i < 40; i++) {
      h.stream.write(Buffer.alloc(64 * 1024));
      await settle();
    }
    // 2.5 MB written, the stream still open
    const { err } = await Promise.race([h.result, settle().then(() => ({ err: 'not yet' }))]);
    expect(err).toBeInstanceOf(UploadRefused);
    expect((err as UploadRefused).message).toMatch(/2 MB/);
    h.stream.end();
  });

  it('given a file whose first bytes are not a scan, when it streams in, then it is refused before the stream ends', async () => {
    const h = handle();
    h.stream.write(Buffer.from('plain text, not a scan '.repeat(300)));
    await settle();
    const { err } = await Promise.race([h.result, settle().then(() => ({ err: 'not yet' }))]);
    expect(err).toBeInstanceOf(UploadRefused);
    expect((err as UploadRefused).message).toMatch(/JPEG or PNG|PDF/);
    h.stream.end();
  });

  it('given a refused upload, when the client keeps sending, then the rest is read and dropped, so the client is not left blocked', async () => {
    const h = handle();
    h.stream.write(Buffer.from('not a scan '.repeat(500)));
    const { err } = await h.result;
    expect(err).toBeInstanceOf(UploadRefused);
    h.stream.write(Buffer.alloc(1024 * 1024));
    h.stream.end();
    await settle();
    // read to the end (so the client is not blocked), with nothing accumulated
    expect(h.consumed()).toBeGreaterThan(1024 * 1024);
  });

  it('given a small well-formed PNG, when it streams in and ends, then its bytes are kept whole', async () => {
    const h = handle();
    const file = png(2, 2);
    h.stream.end(file);
    const { err, info } = await h.result;
    expect(err).toBeNull();
    expect(info?.buffer?.equals(file)).toBe(true);
  });
});

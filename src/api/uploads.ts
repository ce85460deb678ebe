import { fileTypeFromBuffer } from 'file-type';
import type { NextFunction, Request, Response } from 'express';
import multer from 'multer';
import { DOCUMENT_LIMITS } from '../cases/documents.js';
import { HttpProblem } from './problem.js';

/** Enough of the start of a file for file-type to read its type. */
const SNIFF_BYTES = 4100;

/** A refusal while the upload streams in: the field at fault and why. */
export class UploadRefused extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

const mb = (n: number) => `${n / 1024 / 1024} MB`;

/**
 * Keeps an uploaded scan in memory, deciding its type from the first bytes (never from the name
 * or the client's content type) and enforcing that type's size limit while the bytes arrive
 * (000 §2.1.10: JPEG/PNG ≤ 2 MB, PDF ≤ 10 MB): a file of another type stops at its first 4 kB,
 * an oversized one at its limit, and the rest of the request is drained, not buffered. The
 * client's file name is never used, so it cannot reach a filesystem path.
 */
export function scanStorage(): multer.StorageEngine {
  return {
    _handleFile(_req, file, cb) {
      const stream = file.stream;
      const chunks: Buffer[] = [];
      let size = 0;
      let limit: number | undefined;
      let settled = false;
      let sniffing: Promise<void> | undefined;
      const refuse = (message: string) => {
        if (settled) return;
        settled = true;
        chunks.length = 0;
        stream.resume(); // drain the rest: the data handler keeps nothing once settled
        cb(new UploadRefused('file', message));
      };
      const sniff = async () => {
        const type = await fileTypeFromBuffer(Buffer.concat(chunks)).catch(() => undefined);
        const mime = type?.mime ?? 'unknown';
        limit = DOCUMENT_LIMITS[mime];
        if (limit === undefined)
          refuse(
            `must be a JPEG or PNG image (one page) or a PDF (several pages); the content is ${mime}`,
          );
        else if (size > limit) refuse(`${mime} must be at most ${mb(limit)} (000 §2.1.10)`);
      };
      stream.on('data', (chunk: Buffer) => {
        if (settled) return;
        chunks.push(chunk);
        size += chunk.length;
        if (limit !== undefined) {
          if (size > limit) refuse(`must be at most ${mb(limit)} for its type (000 §2.1.10)`);
          return;
        }
        if (!sniffing && size >= SNIFF_BYTES) {
          stream.pause();
          sniffing = sniff().then(() => {
            if (!settled) stream.resume();
          });
        }
      });
      stream.on('end', () => {
        void (async () => {
          if (settled) return;
          if (!sniffing) sniffing = sniff();
          await sniffing;
          if (settled) return;
          settled = true;
          const buffer = Buffer.concat(chunks);
          cb(null, { buffer, size: buffer.length });
        })();
      });
      stream.on('error', (err: Error) => {
        if (settled) return;
        settled = true;
        cb(err);
      });
    },
    _removeFile(_req, file, cb) {
      delete (file as { buffer?: Buffer }).buffer;
      cb(null);
    },
  };
}

const scanUpload = multer({
  storage: scanStorage(),
  // the largest type's limit is the backstop; the fields are short texts
  limits: {
    fileSize: Math.max(...Object.values(DOCUMENT_LIMITS)) + 1,
    files: 1,
    fields: 10,
    fieldSize: 2000,
    fieldNameSize: 100,
    parts: 12,
    headerPairs: 20,
  },
});

const MULTER_MESSAGES: Record<string, string> = {
  LIMIT_FILE_SIZE: 'must be at most 10 MB (000 §2.1.10)',
  LIMIT_FILE_COUNT: 'only one file may be sent',
  LIMIT_UNEXPECTED_FILE: 'only one file, in the field "file"',
  LIMIT_FIELD_VALUE: 'too long',
  LIMIT_FIELD_KEY: 'field name too long',
  LIMIT_FIELD_COUNT: 'too many fields',
  LIMIT_PART_COUNT: 'too many parts',
};

/**
 * Express middleware: one scan in the field `file` (multipart/form-data); a refusal is a 400
 * naming the field at fault.
 */
export function singleScan(req: Request, res: Response, next: NextFunction): void {
  scanUpload.single('file')(req, res, (err: unknown) => {
    if (!err) return next();
    if (err instanceof UploadRefused)
      return next(
        new HttpProblem(400, 'Invalid input', `${err.field}: ${err.message}`, [
          { field: err.field, message: err.message },
        ]),
      );
    const e = err as { code?: string; field?: string };
    const known = e.code ? MULTER_MESSAGES[e.code] : undefined;
    const field =
      e.code === 'LIMIT_FIELD_VALUE' && e.field && /^[A-Za-z]{1,40}$/.test(e.field)
        ? e.field
        : 'file';
    const message = known ?? 'must be one file in a multipart/form-data request';
    next(new HttpProblem(400, 'Invalid input', `${field}: ${message}`, [{ field, message }]));
  });
}

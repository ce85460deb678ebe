import { createHash } from 'node:crypto';
import { fileTypeFromBuffer } from 'file-type';
import type { PoolClient } from '../db/pool.js';
import type { FormProblem, UploadedDocument } from './application-form.js';
import { structureProblem } from './document-structure.js';

/** Document kinds an application may carry (000 §2.1.10, 003 §5.4). */
export const DOCUMENT_KINDS = [
  'child-birth-certificate',
  'marriage-certificate',
  'category-evidence',
  'power-of-attorney',
  'proxy-id',
  'diploma',
  'other',
] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

/** 000 §2.1.10: a single page as JPEG or PNG up to 2 MB, several pages as one PDF up to 10 MB. */
export const DOCUMENT_LIMITS: Record<string, number> = {
  'image/jpeg': 2 * 1024 * 1024,
  'image/png': 2 * 1024 * 1024,
  'application/pdf': 10 * 1024 * 1024,
};

export interface CheckedDocument {
  contentType: string;
  sizeBytes: number;
  sha256: string;
}

/**
 * The type is read from the content, never from the name or the client's header; the file must
 * be well formed for that type.
 */
export async function checkDocumentContent(
  content: Buffer,
): Promise<{ ok: CheckedDocument } | { problem: FormProblem }> {
  const type = await fileTypeFromBuffer(content);
  const mime = type?.mime ?? 'unknown';
  const limit = DOCUMENT_LIMITS[mime];
  if (limit === undefined) {
    return {
      problem: {
        field: 'file',
        message: `must be a JPEG or PNG image (one page) or a PDF (several pages); the content is ${mime}`,
      },
    };
  }
  if (content.length > limit) {
    return {
      problem: {
        field: 'file',
        message: `${mime} must be at most ${limit / 1024 / 1024} MB (000 §2.1.10)`,
      },
    };
  }
  // a file that only starts like a scan (truncated, corrupt) is refused, not stored
  const broken = structureProblem(mime, content);
  if (broken) return { problem: { field: 'file', message: `${broken}; send a readable scan` } };
  return {
    ok: {
      contentType: mime,
      sizeBytes: content.length,
      sha256: createHash('sha256').update(content).digest('hex'),
    },
  };
}

export async function storeDocument(
  tx: PoolClient,
  applicationId: string,
  d: CheckedDocument & {
    kind: DocumentKind;
    content: Buffer;
    issueDate?: string;
    issuer?: string;
    notarialBarcode?: string;
    note?: string;
  },
): Promise<string> {
  const { rows } = await tx.query<{ id: string }>(
    `INSERT INTO application_document (application_id, kind, content_type, size_bytes, sha256, content, issue_date, issuer, notarial_barcode, note)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
    [
      applicationId,
      d.kind,
      d.contentType,
      d.sizeBytes,
      d.sha256,
      d.content,
      d.issueDate ?? null,
      d.issuer ?? null,
      d.notarialBarcode ?? null,
      d.note ?? null,
    ],
  );
  return rows[0]!.id;
}

export async function currentDocumentKinds(
  db: PoolClient,
  applicationId: string,
): Promise<string[]> {
  const { rows } = await db.query<{ kind: string }>(
    `SELECT DISTINCT kind FROM application_document WHERE application_id = $1 AND replaced_at IS NULL`,
    [applicationId],
  );
  return rows.map((r) => r.kind);
}

/** The current uploads with the details 000 §2.1.10–2.1.11 asks for (checked at submission). */
export async function currentDocuments(
  db: PoolClient,
  applicationId: string,
): Promise<UploadedDocument[]> {
  const { rows } = await db.query<UploadedDocument>(
    `SELECT kind, to_char(issue_date, 'YYYY-MM-DD') AS "issueDate", issuer
       FROM application_document WHERE application_id = $1 AND replaced_at IS NULL ORDER BY uploaded_at, id`,
    [applicationId],
  );
  return rows;
}

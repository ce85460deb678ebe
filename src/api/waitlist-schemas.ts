import type { Request } from 'express';
import { z } from 'zod';
import { DaySchema, InstantSchema } from './openapi.js';

/** Request parts shared by the waitlist routers (cases, transfers). */
export const CaseParam = z.object({ caseId: z.uuid({ message: 'must be a case id (UUID)' }) });
export const EntryParam = z.object({ entryId: z.uuid({ message: 'must be an entry id (UUID)' }) });

/** A document named on a receipt (51.4, 002 §2.4): accepted, or missing. */
export const DocumentLine = z
  .object({
    kind: z.string().trim().min(2).max(100),
    accepted: z.boolean(),
    note: z.string().max(300).optional(),
  })
  .strict();

/** A dwelling the family holds (50.2). */
export const DwellingLine = z
  .object({
    address: z.string().trim().min(5).max(300),
    areaM2: z.number().min(0).max(10_000),
    share: z.number().gt(0).max(1).default(1),
  })
  .strict();

/** Where decisions are delivered besides the electronic cabinet. */
export const Contact = z
  .object({
    email: z.email().optional(),
    phone: z
      .string()
      .regex(/^\+?\d{9,12}$/, { message: 'must be a phone number' })
      .optional(),
    lang: z.enum(['az', 'en']).optional(),
  })
  .strict()
  .default({});

/** The signed-in clerk or reviewer, or the portal acting for the citizen. */
export function actor(req: Request): string {
  return req.principal?.id ?? 'registering-body';
}

// --- answer parts shared by the waitlist case routes (issue 15) ---

/** A decision on a case, with the point of its legal ground. */
export const CaseDecisionSchema = z.object({
  outcome: z.string(),
  legalGround: z.string(),
  citation: z.string(),
  reason: z.string(),
  decidedBy: z.string(),
  decidedAt: InstantSchema,
});

/** A document line as the case keeps it (a transfer's also says where and when it came). */
export const CaseDocumentSchema = z.object({
  kind: z.string(),
  accepted: z.boolean(),
  note: z.string().optional(),
  source: z.string().optional(),
  receivedOn: DaySchema.optional(),
});

/** The automated checks of a case, by name (each with its own facts and citation). */
export const CaseChecksSchema = z
  .record(z.string(), z.unknown())
  .nullable()
  .openapi({ description: 'null until the checks ran' });

import { z } from 'zod';

// An empty variable (e.g. `SMTP_URL=` in a compose file) means "not set".
const optional = <T extends z.ZodType>(t: T) =>
  z.preprocess((v) => (v === '' ? undefined : v), t.optional());

/**
 * Notice channels, read from the environment. A channel whose address is unset is not
 * configured: its outbox rows are kept pending (not failed) and go out once it is configured,
 * because e-mail is a mandatory channel (000 §2.1.8) and must not be dropped silently. The
 * dispatcher warns at start about every channel that is not configured. The schema can be merged
 * into the app's (`z.object({ ...app.shape, ...noticeConfigSchema.shape })`).
 */
export const noticeConfigSchema = z.object({
  /** smtp://user:pass@host:587 or smtps://…:465. Unset: e-mail notices wait in the outbox. */
  SMTP_URL: optional(
    z
      .string()
      .url()
      .refine((u) => /^smtps?:\/\//i.test(u), 'must be an smtp:// or smtps:// URL'),
  ),
  /** From address; its domain is also the Message-ID domain. */
  MAIL_FROM: z.string().min(3).default('no-reply@mida.gov.az'),
  /** Base URL of the SMS gateway (POST {url}/messages). Unset: SMS notices wait in the outbox. */
  SMS_GATEWAY_URL: optional(z.string().url()),
  /** Bearer token for the SMS gateway, if it asks for one. */
  SMS_GATEWAY_TOKEN: optional(z.string().min(1)),
  /** Attempts per notice and channel before it is marked failed for operators. */
  NOTICE_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(8),
  /** First retry delay; doubles per failed attempt, capped at one hour. */
  NOTICE_RETRY_BASE_MS: z.coerce.number().int().min(0).default(30_000),
  /** How often the dispatcher looks for due notices. */
  NOTICE_DISPATCH_INTERVAL_MS: z.coerce.number().int().min(100).default(2_000),
});

export type NoticeConfig = z.infer<typeof noticeConfigSchema>;

/** Errors name the variables only: SMTP_URL may carry a password. */
export function loadNoticeConfig(env: NodeJS.ProcessEnv = process.env): NoticeConfig {
  const parsed = noticeConfigSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid notice configuration: ${problems.join('; ')}`);
  }
  return parsed.data;
}

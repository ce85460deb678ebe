import type { NoticeChannelName, NoticeRecipient } from './channels.js';

/** Where a cabinet holder wants notices, read from the application row (shared by the workers and the case layer). */
export type ApplicationContactRow = Record<string, unknown> & {
  form?: Record<string, unknown> | null;
};

function text(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
}

/** The mobile number as the form keeps it: a string, or operator code + number (000 §2.1). */
function phone(v: unknown): string | undefined {
  if (typeof v === 'string') return text(v);
  const p = v as { operatorCode?: unknown; number?: unknown } | null;
  if (p && typeof p === 'object' && (text(p.operatorCode) || typeof p.operatorCode === 'number')) {
    const n = String(p.number ?? '').replace(/\D/g, '');
    return n ? `+994${String(p.operatorCode).replace(/\D/g, '')}${n}` : undefined;
  }
  return undefined;
}

/**
 * Where the applicant wants notices (000 §2.1.8): dedicated columns if a migration added them,
 * else the submitted form. The cabinet always; e-mail when an address is known (mandatory on
 * the form); SMS only when opted in, since the applicant pays for it.
 */
export function noticeContact(app: ApplicationContactRow): {
  recipient: NoticeRecipient;
  channels: NoticeChannelName[];
} {
  const form = app.form && typeof app.form === 'object' ? app.form : {};
  const email = text(app.notify_email) ?? text(form.email);
  const mobile = phone(app.notify_phone) ?? phone(form.mobilePhone);
  const optIn = app.notify_sms ?? form.smsOptIn;
  const smsOptIn = optIn === true || optIn === 'true';
  const lang = text(app.lang) ?? text(form.lang);
  const recipient: NoticeRecipient = {
    cabinetFin: text(app.applicant_fin),
    ...(email ? { email } : {}),
    ...(smsOptIn && mobile ? { phone: mobile } : {}),
    ...(lang === 'az' || lang === 'en' ? { lang } : {}),
  };
  const channels: NoticeChannelName[] = ['cabinet'];
  if (recipient.email) channels.push('email');
  if (recipient.phone) channels.push('sms');
  return { recipient, channels };
}

// Civil dates as people type them in each language: dd.mm.yyyy in Azerbaijani, dd/mm/yyyy in
// English (en-GB); the API takes ISO dates (YYYY-MM-DD).

/** ISO → the language's form; anything else is returned as it is. */
export function civilDateToLocal(iso: string, lang: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) return iso;
  return lang === 'en' ? `${m[3]}/${m[2]}/${m[1]}` : `${m[3]}.${m[2]}.${m[1]}`;
}

/**
 * The language's form (dd.mm.yyyy or dd/mm/yyyy; ISO also accepted) → ISO. Anything else is
 * returned as typed, so the API names the field in its 400.
 */
export function localToCivilDate(text: string): string {
  const s = text.trim();
  if (/^\d{4}-\d{2}-\d{2}$/.test(s)) return s;
  const m = /^(\d{1,2})[./-](\d{1,2})[./-](\d{4})$/.exec(s);
  if (!m) return s;
  return `${m[3]}-${m[2]!.padStart(2, '0')}-${m[1]!.padStart(2, '0')}`;
}

export const datePlaceholder = (lang: string) => (lang === 'en' ? 'dd/mm/yyyy' : 'gg.aa.iiii');

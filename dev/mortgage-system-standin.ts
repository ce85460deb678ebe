/**
 * LOCAL STAND-IN for the Mortgage and Credit Guarantee Fund's e-system ("Elektron ipoteka və kredit
 * zəmanət" sistemi, 003 §5.5-1, §6.3–§6.4) — development and tests only, never production. The
 * real e-system tells this app, as a service client with the role registry, that a holder applied
 * to the agent bank and what the bank decided: POST /api/v1/mortgage-system/selections/{id}/events.
 * The stand-in sends exactly those requests, so the adapter's contract is exercised end to end.
 */
export interface MortgageSystemStandin {
  /** The holder applied to the agent bank (§6.3). */
  applicationFiled(
    selectionId: string,
    filedOn: string,
  ): Promise<{ status: number; body: unknown }>;
  /** The bank decided; a refusal may be because the holder left the category (§6.5.2). */
  decided(
    selectionId: string,
    approved: boolean,
    reason?: 'bank' | 'category-lost',
  ): Promise<{ status: number; body: unknown }>;
  /** Every event sent, with the answer (live array). */
  sent: { selectionId: string; kind: string; status: number }[];
}

export function mortgageSystemStandin(apiUrl: string, token: string): MortgageSystemStandin {
  const sent: MortgageSystemStandin['sent'] = [];
  const post = async (selectionId: string, body: Record<string, unknown>) => {
    const res = await fetch(`${apiUrl}/api/v1/mortgage-system/selections/${selectionId}/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    sent.push({ selectionId, kind: String(body.kind), status: res.status });
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      /* not JSON */
    }
    return { status: res.status, body: parsed };
  };
  return {
    sent,
    applicationFiled: (selectionId, filedOn) =>
      post(selectionId, { kind: 'application-filed', filedOn }),
    decided: (selectionId, approved, reason) =>
      post(selectionId, { kind: 'decided', approved, ...(reason ? { reason } : {}) }),
  };
}

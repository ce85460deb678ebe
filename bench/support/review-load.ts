/**
 * A load of applications through the application-review path, as the portal and a reviewer
 * drive it through the API: draft, sign and submit (the automated checks run), then a scripted
 * reviewer decides each open task from the inbox — grant and refuse in turn — and the notices
 * go out. For benchmarks (bench/resources.ts); the fault tests have their own, richer driver
 * in test/support/load.ts.
 */
export interface ReviewLoadDeps {
  apiUrl: string;
  /** a portal service client's token */
  portalToken: string;
  /** a session token of a reviewer of every body */
  reviewerToken: string;
}

const FORM = (i: number) => ({
  maritalStatus: 'single',
  category: 9,
  registrationAddress: 'Bakı ş., Nəsimi r., Sınaq küç. 1, m. 2',
  mobilePhone: { operatorCode: '50', number: String(5_000_000 + i) },
  email: `load${i}@example.az`,
  smsOptIn: true,
  rooms: 2,
  paymentIntent: 'own_funds',
  lang: 'az',
});
const SIGNED = { consentToRegistryQueries: true, confirmsDataTrue: true };
const DECISION = {
  grant: {
    outcome: 'grant',
    legalGround: 'grant-cabinet',
    reason: 'Kateqoriya təsdiqləndi, sənədlər tamdır.',
  },
  refuse: {
    outcome: 'refuse',
    legalGround: 'refuse-not-in-category',
    reason: 'Dövlət qulluğu stajı 15 ildən azdır.',
  },
};

/** The fields of the API's answers this driver reads. */
interface Answer {
  id?: string;
  tasks?: { taskId: string; caseId: string }[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class ReviewLoad {
  submitted = 0;
  decided = 0;
  /** API answers by status code */
  readonly answers = new Map<number, number>();
  private stopped = false;
  private readonly ids = new Set<string>();
  private readonly handled = new Set<string>();

  constructor(
    private readonly deps: ReviewLoadDeps,
    readonly n: number,
    /** FINs are <prefix><digits>, 7 characters (not SY…: those are the stand-in's citizens) */
    private readonly finPrefix = 'BR',
  ) {}

  private async call(
    path: string,
    token: string,
    body?: unknown,
  ): Promise<{ status: number; body: Answer | undefined }> {
    try {
      const res = await fetch(`${this.deps.apiUrl}${path}`, {
        method: body === undefined ? 'GET' : 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(30_000),
      });
      this.answers.set(res.status, (this.answers.get(res.status) ?? 0) + 1);
      const text = await res.text();
      return { status: res.status, body: text ? (JSON.parse(text) as Answer) : undefined };
    } catch {
      return { status: 0, body: undefined };
    }
  }

  /** Drafts, signs and submits all n, `concurrency` at a time. */
  async submitAll(concurrency = 8): Promise<void> {
    let next = 0;
    const one = async (i: number) => {
      const fin = `${this.finPrefix}${String(i).padStart(7 - this.finPrefix.length, '0')}`;
      let id: string | undefined;
      while (!this.stopped) {
        if (!id) {
          const d = await this.call('/api/v1/applications', this.deps.portalToken, {
            applicantFin: fin,
            form: FORM(i),
          });
          if (d.status === 201) id = d.body?.id;
          else await sleep(300);
          continue;
        }
        const s = await this.call(
          `/api/v1/applications/${id}/submit`,
          this.deps.portalToken,
          SIGNED,
        );
        if (s.status === 200 || s.status === 409) {
          this.ids.add(id);
          this.submitted++;
          return;
        }
        await sleep(300);
      }
    };
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < this.n && !this.stopped) await one(next++);
      }),
    );
  }

  /** The scripted reviewer, until every case is decided or stop(). */
  async review(): Promise<void> {
    while (!this.stopped && this.decided < this.n) {
      const inbox = await this.call(
        '/api/v1/review-tasks?limit=200&sort=created',
        this.deps.reviewerToken,
      );
      for (const task of inbox.body?.tasks ?? []) {
        if (this.stopped) break;
        if (!this.ids.has(task.caseId) || this.handled.has(task.taskId)) continue;
        const body = this.handled.size % 2 === 0 ? DECISION.grant : DECISION.refuse;
        const r = await this.call(
          `/api/v1/review-tasks/${task.taskId}/decision`,
          this.deps.reviewerToken,
          body,
        );
        if (r.status === 200 || r.status === 409) {
          this.handled.add(task.taskId);
          if (r.status === 200) this.decided++;
        }
      }
      await sleep(200);
    }
  }

  stop(): void {
    this.stopped = true;
  }
}

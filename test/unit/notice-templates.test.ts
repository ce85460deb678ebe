import { describe, expect, it } from '@jest/globals';
import {
  NOTICE_LANGS,
  NOTICE_TEMPLATES,
  NOTICE_TEMPLATE_NAMES,
  NoticeParamsError,
  formatNoticeDate,
  renderNotice,
  type NoticeParamKind,
} from '../../src/notify/templates.js';

const SAMPLE: Record<NoticeParamKind, unknown> = {
  text: 'SAMPLE-TEXT',
  date: '2026-05-19',
  comments: [{ document: 'Nikah şəhadətnaməsi', comment: 'Surət oxunmur' }],
};

function sampleParams(name: keyof typeof NOTICE_TEMPLATES): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(NOTICE_TEMPLATES[name].params).map(([p, kind]) => [p, SAMPLE[kind]]),
  );
}

describe('notice templates', () => {
  it('given the brief, then every required template exists', () => {
    expect(NOTICE_TEMPLATE_NAMES).toEqual(
      expect.arrayContaining([
        'application-registered',
        'review-extended',
        'discrepancy-found',
        'discrepancy-reminder',
        'application-approved',
        'application-refused',
        'mortgage-handover',
        'draft-deleted',
        'review-overdue',
      ]),
    );
  });

  it.each(NOTICE_TEMPLATE_NAMES.flatMap((t) => NOTICE_LANGS.map((l) => [t, l] as const)))(
    'given all params, when %s is rendered in %s, then subject, text and SMS have no placeholder left',
    (template, lang) => {
      const r = renderNotice(template, lang, sampleParams(template));
      expect(r.lang).toBe(lang);
      for (const part of [r.subject, r.text, r.sms]) {
        expect(part.trim()).not.toBe('');
        expect(part).not.toMatch(/\{\w+\}/);
      }
    },
  );

  it.each(NOTICE_TEMPLATE_NAMES)(
    'given template %s, then every placeholder it uses is a declared param and every param is used in the text',
    (template) => {
      const def = NOTICE_TEMPLATES[template];
      for (const lang of NOTICE_LANGS) {
        const all = `${def[lang].subject} ${def[lang].text} ${def[lang].sms}`;
        const used = [...all.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
        expect(Object.keys(def.params)).toEqual(expect.arrayContaining(used));
        expect([...def[lang].text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort()).toEqual(
          expect.arrayContaining(Object.keys(def.params).sort()),
        );
      }
    },
  );

  it('given no language, when rendered, then the notice is in Azerbaijani', () => {
    const r = renderNotice('draft-deleted', undefined, { startedAt: '2026-01-05' });
    expect(r.subject).toBe('Təqdim edilməmiş müraciətiniz silindi');
    expect(r.text).toMatch(/10 gün/);
  });

  it('given a discrepancy, when rendered in az, then it uses the 000 §2.4 wording with the date and every comment', () => {
    const r = renderNotice('discrepancy-found', 'az', {
      registrationNumber: 1234,
      dueDate: '2026-05-19',
      comments: [
        { document: 'Doğum haqqında şəhadətnamə', comment: 'Notarial təsdiq yoxdur' },
        { target: 'field', name: 'Faktiki ünvan', comment: 'Ünvan natamamdır' },
        { comment: 'Ümumi qeyd' },
      ],
    });
    expect(r.text).toContain(
      'Sizin müraciətinizdə uyğunsuzluq mövcuddur. Uyğunsuzluqları aradan qaldırıb 19.05.2026 tarixinədək müraciəti yenidən təqdim edin.',
    );
    expect(r.text).toContain('• Sənəd «Doğum haqqında şəhadətnamə»: Notarial təsdiq yoxdur');
    expect(r.text).toContain('• Sahə «Faktiki ünvan»: Ünvan natamamdır');
    expect(r.text).toContain('• Ümumi qeyd');
    expect(r.text).toContain('1234');
  });

  it('given a discrepancy, when rendered in en, then comments are labelled in English', () => {
    const r = renderNotice('discrepancy-found', 'en', {
      registrationNumber: 7,
      dueDate: '2026-05-19',
      comments: [{ document: 'Birth certificate', comment: 'Not notarised' }],
    });
    expect(r.text).toContain('Remove the discrepancies and resubmit the application by 19.05.2026');
    expect(r.text).toContain('• Document “Birth certificate”: Not notarised');
  });

  it('given a refusal, when rendered, then it names the legal ground, the reason and the appeal route', () => {
    const r = renderNotice('application-refused', 'az', {
      registrationNumber: 42,
      decisionDate: '2026-02-03',
      legalGround: '003 §5.5; 000 §2.1.5',
      reason: 'Müraciət edən kateqoriyalara aid deyil.',
    });
    expect(r.text).toContain('Hüquqi əsas: 003 §5.5; 000 §2.1.5');
    expect(r.text).toContain('Əsaslandırma: Müraciət edən kateqoriyalara aid deyil.');
    expect(r.text).toMatch(/məhkəməyə şikayət/);
    expect(r.text).toContain('03.02.2026');
  });

  it('given missing params, when rendered, then the error names each one', () => {
    expect(() => renderNotice('discrepancy-found', 'az', { registrationNumber: 1 })).toThrow(
      'notice template "discrepancy-found": missing params: dueDate, comments',
    );
  });

  it('given empty values, when rendered, then they count as missing', () => {
    let error: unknown;
    try {
      renderNotice('application-refused', 'en', {
        registrationNumber: 1,
        decisionDate: '2026-01-10',
        legalGround: ' ',
        reason: null,
      });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(NoticeParamsError);
    expect((error as NoticeParamsError).missing).toEqual(['legalGround', 'reason']);
  });

  it('given a malformed date or comment list, when rendered, then the error names the params, not their values', () => {
    expect(() =>
      renderNotice('discrepancy-found', 'az', {
        registrationNumber: 1,
        dueDate: '19/05/2026',
        comments: [{ field: 'x' }],
      }),
    ).toThrow(/invalid params: dueDate, comments$/);
    expect(() =>
      renderNotice('discrepancy-found', 'az', {
        registrationNumber: 1,
        dueDate: '2026-05-19',
        comments: [{ target: 'page', name: 'x', comment: 'y' }],
      }),
    ).toThrow(/invalid params: comments$/);
    expect(() => renderNotice('draft-deleted', 'az', { startedAt: '2026-02-30' })).toThrow(
      /invalid params: startedAt/,
    );
  });

  it('given an unknown template or language, when rendered, then it is an error', () => {
    expect(() => renderNotice('no-such' as never, 'az', {})).toThrow(/unknown notice template/);
    expect(() => renderNotice('draft-deleted', 'ru' as never, {})).toThrow(
      /unknown notice language/,
    );
  });
});

describe('notice dates', () => {
  it('given a calendar date, then it is rendered DD.MM.YYYY as it is', () => {
    expect(formatNoticeDate('2026-03-09')).toBe('09.03.2026');
  });

  it('given an instant late on a UTC day, then the Baku date (UTC+4) is rendered', () => {
    expect(formatNoticeDate('2026-03-09T21:30:00Z')).toBe('10.03.2026');
    expect(formatNoticeDate(new Date('2025-12-31T19:59:59Z'))).toBe('31.12.2025');
  });

  it('given something that is not a date, then there is no date', () => {
    for (const v of ['tomorrow', '2026-13-01', '', 20260309, {}, new Date('x')]) {
      expect(formatNoticeDate(v)).toBeUndefined();
    }
  });
});

describe('Housing Code 55.2: no invented appeal deadline', () => {
  it.each(NOTICE_TEMPLATE_NAMES.filter((t) => t.startsWith('waitlist-')))(
    'Housing Code 55.2: given the waitlist notice %s, then it names no appeal period or "appeal until" date (the Code sets none)',
    (template) => {
      const def = NOTICE_TEMPLATES[template];
      expect(Object.keys(def.params).filter((p) => /appeal/i.test(p))).toEqual([]);
      for (const lang of NOTICE_LANGS) {
        const all = `${def[lang].subject} ${def[lang].text} ${def[lang].sms}`;
        expect(all).not.toMatch(/appeal until|şikayət müddəti|şikayət .*tarixinədək/i);
      }
    },
  );

  it('Housing Code 55.2: given a removal decision notice, then it says the decision may be appealed in court', () => {
    for (const lang of NOTICE_LANGS) {
      const r = renderNotice(
        'waitlist-removal-decided',
        lang,
        sampleParams('waitlist-removal-decided'),
      );
      expect(r.text).toMatch(/55\.2/);
      expect(r.text).toMatch(/məhkəmə qaydasında şikayət|appeal this decision in court/);
    }
  });
});

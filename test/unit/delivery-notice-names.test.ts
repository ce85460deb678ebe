import { describe, expect, it } from '@jest/globals';
import { NOTICE_TEMPLATES, type NoticeLang } from '../../src/notify/templates.js';
import texts from '../../src/web/operator/texts.js';

describe('the deliveries screen names each notice by its subject', () => {
  it.each(['az', 'en'] as NoticeLang[])(
    'given the %s screen, then every notice it names is a template and reads as that template’s subject',
    (lang) => {
      const notices = texts[lang].deliveries.notices as Record<string, string>;
      expect(Object.keys(notices).length).toBeGreaterThan(0);
      for (const [code, name] of Object.entries(notices)) {
        const template = (
          NOTICE_TEMPLATES as Record<string, Record<NoticeLang, { subject: string }>>
        )[code];
        expect(template).toBeDefined();
        expect(name).toBe(template![lang].subject);
      }
    },
  );
});

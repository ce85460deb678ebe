/**
 * Legal grounds cited by automated checks and decisions: data with their citation, never a
 * literal in a worker. Point numbers refer to the seed documents (shared/seeds/README.md):
 * 000 service guide, 001 Housing Code, 002 Decision No. 485, 003 MİDA rule, 004 1983 model rules.
 */
export interface LegalGround {
  code: string;
  citation: string;
  az: string;
  en: string;
}

export const LEGAL_GROUNDS = {
  ONCE_ONLY_RIGHT: {
    code: 'once-only-right',
    citation: '003 §2.2',
    az: 'Güzəştli mənzil əldə etmək hüququndan ailə (şəxs) yalnız bir dəfə istifadə edə bilər.',
    en: 'The right to a preferential apartment can be used only once per family or person.',
  },
} as const satisfies Record<string, LegalGround>;

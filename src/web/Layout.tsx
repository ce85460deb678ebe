import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { NavLink } from 'react-router';
import { LANGUAGES, setLanguage } from './i18n';
import type { StaffRole as Role } from '../contracts';
import { useSession } from './session';

/** MİDA's code in the managed list of bodies: the apartment phase (003 §4–§7) is MİDA's alone. */
const MIDA_BODY = 'mida';

const NAV: { to: string; key: string; roles: Role[]; body?: string }[] = [
  { to: '/reviewer', key: 'nav.inbox', roles: ['reviewer', 'supervisor'] },
  // the same rule as the officer API (/api/v1/officer/mida): only accounts of MİDA
  { to: '/mida', key: 'nav.apartments', roles: ['reviewer', 'supervisor'], body: MIDA_BODY },
  { to: '/operator/instances', key: 'nav.instances', roles: ['operator', 'administrator'] },
  { to: '/operator/incidents', key: 'nav.incidents', roles: ['operator', 'administrator'] },
  {
    to: '/operator/deadlines',
    key: 'nav.deadlines',
    roles: ['operator', 'administrator', 'supervisor'],
  },
  { to: '/operator/deliveries', key: 'nav.deliveries', roles: ['operator', 'administrator'] },
  { to: '/operator/calendar', key: 'nav.calendar', roles: ['operator', 'administrator'] },
  { to: '/analyst', key: 'nav.models', roles: ['analyst', 'administrator'] },
  { to: '/admin/accounts', key: 'nav.accounts', roles: ['administrator'] },
];

export function Layout({ children }: { children: ReactNode }) {
  const { t, i18n } = useTranslation();
  const { user, has, signOut } = useSession();
  return (
    <>
      <a className="skip-link" href="#main">
        {t('skipToContent')}
      </a>
      <header className="app-header">
        <span className="app-name">{t('appName')}</span>
        {user && (
          <nav aria-label={t('nav.label')}>
            <ul>
              {NAV.filter((n) => has(...n.roles) && (!n.body || user.bodies.includes(n.body))).map(
                (n) => (
                  <li key={n.to}>
                    <NavLink to={n.to}>{t(n.key)}</NavLink>
                  </li>
                ),
              )}
            </ul>
          </nav>
        )}
        <div className="header-tools">
          <div role="group" aria-label={t('language')}>
            {LANGUAGES.map((l) => (
              <button
                key={l}
                type="button"
                className="lang"
                aria-pressed={i18n.language === l}
                onClick={() => setLanguage(l)}
              >
                {l.toUpperCase()}
              </button>
            ))}
          </div>
          {user && (
            <>
              <span className="who">
                {t('signedInAs', {
                  name: user.name,
                  roles: user.roles.map((r) => t(`roles.${r}`)).join(', '),
                })}
              </span>
              <button type="button" onClick={() => void signOut()}>
                {t('signOut')}
              </button>
            </>
          )}
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {children}
      </main>
    </>
  );
}

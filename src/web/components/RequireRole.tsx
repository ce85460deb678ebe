import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { StaffRole as Role } from '../../contracts';
import { useSession } from '../session';

/** Shows children only to the given roles (the API enforces the same rule). */
export function RequireRole({ roles, children }: { roles: Role[]; children: ReactNode }) {
  const { has } = useSession();
  const { t } = useTranslation();
  if (!has(...roles)) return <p role="alert">{t('noAccess')}</p>;
  return <>{children}</>;
}

import { useTranslation } from 'react-i18next';
import { Route, Routes } from 'react-router';

// The admin screens: one route per screen, relative to /admin.
export default function AdminRoutes() {
  const { t } = useTranslation('admin');
  return (
    <Routes>
      <Route index element={<h1>{t('title')}</h1>} />
    </Routes>
  );
}

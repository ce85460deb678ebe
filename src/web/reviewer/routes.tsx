import { useTranslation } from 'react-i18next';
import { Route, Routes } from 'react-router';

// The reviewer screens: one route per screen, relative to /reviewer.
export default function ReviewerRoutes() {
  const { t } = useTranslation('reviewer');
  return (
    <Routes>
      <Route index element={<h1>{t('title')}</h1>} />
    </Routes>
  );
}

import { useTranslation } from 'react-i18next';
import { Route, Routes } from 'react-router';

// The analyst screens: one route per screen, relative to /analyst.
export default function AnalystRoutes() {
  const { t } = useTranslation('analyst');
  return (
    <Routes>
      <Route index element={<h1>{t('title')}</h1>} />
    </Routes>
  );
}

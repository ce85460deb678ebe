import { useTranslation } from 'react-i18next';
import { Route, Routes } from 'react-router';

// The operator screens: one route per screen, relative to /operator.
export default function OperatorRoutes() {
  const { t } = useTranslation('operator');
  return (
    <Routes>
      <Route index element={<h1>{t('title')}</h1>} />
    </Routes>
  );
}

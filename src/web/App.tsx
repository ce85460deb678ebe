import { lazy, Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router';
import { RequireRole } from './components/RequireRole';
import { Layout } from './Layout';
import { useSession } from './session';
import { SignIn } from './SignIn';
import { Invitation } from './Invitation';

// Each audience's screens are a separate chunk, loaded when first visited.
const ReviewerRoutes = lazy(() => import('./reviewer/routes'));
const OperatorRoutes = lazy(() => import('./operator/routes'));
const AnalystRoutes = lazy(() => import('./analyst/routes'));
const AdminRoutes = lazy(() => import('./admin/routes'));
const MidaRoutes = lazy(() => import('./mida/routes'));

function Home() {
  const { has } = useSession();
  if (has('reviewer', 'supervisor')) return <Navigate to="/reviewer" replace />;
  if (has('operator')) return <Navigate to="/operator/instances" replace />;
  if (has('analyst')) return <Navigate to="/analyst" replace />;
  if (has('administrator')) return <Navigate to="/admin/accounts" replace />;
  return null;
}

export function App() {
  const { t } = useTranslation();
  const { user } = useSession();
  return (
    <BrowserRouter>
      <Layout>
        {window.location.pathname === '/invitation' ? (
          <Invitation />
        ) : user === undefined ? (
          <p>{t('loading')}</p>
        ) : user === null ? (
          <SignIn />
        ) : (
          <Suspense fallback={<p>{t('loading')}</p>}>
            <Routes>
              <Route path="/" element={<Home />} />
              <Route
                path="/reviewer/*"
                element={
                  <RequireRole roles={['reviewer', 'supervisor']}>
                    <ReviewerRoutes />
                  </RequireRole>
                }
              />
              <Route
                path="/mida/*"
                element={
                  <RequireRole roles={['reviewer', 'supervisor']}>
                    <MidaRoutes />
                  </RequireRole>
                }
              />
              <Route
                path="/operator/*"
                element={
                  <RequireRole roles={['operator', 'administrator', 'supervisor']}>
                    <OperatorRoutes />
                  </RequireRole>
                }
              />
              <Route
                path="/analyst/*"
                element={
                  <RequireRole roles={['analyst', 'administrator']}>
                    <AnalystRoutes />
                  </RequireRole>
                }
              />
              <Route
                path="/admin/*"
                element={
                  <RequireRole roles={['administrator']}>
                    <AdminRoutes />
                  </RequireRole>
                }
              />
              <Route path="*" element={<p role="alert">{t('notFound')}</p>} />
            </Routes>
          </Suspense>
        )}
      </Layout>
    </BrowserRouter>
  );
}

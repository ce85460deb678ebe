import { Navigate, Route, Routes } from 'react-router';
import { Accounts } from './Accounts';

// The admin screens: one route per screen, relative to /admin.
export default function AdminRoutes() {
  return (
    <Routes>
      <Route index element={<Navigate to="accounts" replace />} />
      <Route path="accounts" element={<Accounts />} />
    </Routes>
  );
}

import { Route, Routes } from 'react-router';
import { AnnouncementsPage } from './AnnouncementsPage';

// MİDA officers' screens (003 §4–§7), relative to /mida.
export default function MidaRoutes() {
  return (
    <Routes>
      <Route index element={<AnnouncementsPage />} />
    </Routes>
  );
}

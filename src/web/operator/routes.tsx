import './operator.css';
import { Navigate, Route, Routes } from 'react-router';
import { CalendarPage } from './CalendarPage';
import { DeadlinesPage } from './DeadlinesPage';
import { DeliveriesPage } from './DeliveriesPage';
import { IncidentsPage } from './IncidentsPage';
import { InstancePage } from './InstancePage';
import { InstancesPage } from './InstancesPage';

// The operator screens: one route per screen, relative to /operator.
export default function OperatorRoutes() {
  return (
    <Routes>
      <Route index element={<Navigate to="instances" replace />} />
      <Route path="instances" element={<InstancesPage />} />
      <Route path="instances/:id" element={<InstancePage />} />
      <Route path="incidents" element={<IncidentsPage />} />
      <Route path="deadlines" element={<DeadlinesPage />} />
      <Route path="deliveries" element={<DeliveriesPage />} />
      <Route path="calendar" element={<CalendarPage />} />
    </Routes>
  );
}

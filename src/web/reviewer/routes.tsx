import { Route, Routes } from 'react-router';
import { CaseView } from './CaseView';
import { Inbox } from './Inbox';
import './reviewer.css';

// The reviewer screens: one route per screen, relative to /reviewer.
export default function ReviewerRoutes() {
  return (
    <Routes>
      <Route index element={<Inbox />} />
      <Route path="tasks/:taskId" element={<CaseView />} />
    </Routes>
  );
}

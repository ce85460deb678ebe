import { Route, Routes } from 'react-router';
import { DiffView } from './DiffView';
import { ModelList } from './ModelList';
import { UploadModel } from './UploadModel';
import { VersionView } from './VersionView';

// The analyst screens: one route per screen, relative to /analyst.
export default function AnalystRoutes() {
  return (
    <Routes>
      <Route index element={<ModelList />} />
      <Route path="versions/:key" element={<VersionView />} />
      <Route path="upload" element={<UploadModel />} />
      <Route path="diff/:older/:newer" element={<DiffView />} />
    </Routes>
  );
}

import { createHashRouter, Navigate, RouterProvider } from 'react-router';
import { Layout } from './components/Layout';
import { AppsPage } from './pages/AppsPage';
import { AuditPage } from './pages/AuditPage';
import { ClusterPage } from './pages/ClusterPage';
import { ClustersPage } from './pages/ClustersPage';
import { DevicePage } from './pages/DevicePage';
import { DevicesPage } from './pages/DevicesPage';
import { ProjectsPage } from './pages/ProjectsPage';
import { SignIn } from './pages/SignIn';
import { WorkloadPage } from './pages/WorkloadPage';
import { WorkloadsPage } from './pages/WorkloadsPage';
import { useSession, useSessionState } from './session';

function Home() {
  const { identity } = useSession();
  return <Navigate to={identity.project ? `/projects/${identity.project}` : '/projects'} replace />;
}

// Hash routes: the seed manager serves the same index.html for every page, and the URL never reaches it.
const router = createHashRouter([
  {
    element: <Layout />,
    children: [
      { index: true, element: <Home /> },
      { path: 'projects', element: <ProjectsPage /> },
      { path: 'projects/:project', element: <ClustersPage /> },
      { path: 'projects/:project/apps', element: <AppsPage /> },
      { path: 'projects/:project/clusters/:cluster', element: <ClusterPage /> },
      { path: 'projects/:project/clusters/:cluster/devices', element: <DevicesPage /> },
      { path: 'projects/:project/clusters/:cluster/devices/:name', element: <DevicePage /> },
      { path: 'projects/:project/clusters/:cluster/workloads', element: <WorkloadsPage /> },
      { path: 'projects/:project/clusters/:cluster/workloads/:name', element: <WorkloadPage /> },
      { path: 'audit', element: <AuditPage /> },
      { path: '*', element: <p>There is no such page. <a href="#/">Start over</a></p> },
    ],
  },
]);

export function App() {
  const { session } = useSessionState();
  return session ? <RouterProvider router={router} /> : <SignIn />;
}

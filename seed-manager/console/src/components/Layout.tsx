import { NavLink, Outlet, useParams } from 'react-router';
import { useSession } from '../session';

/** Header with where one is and who one is, then the page. */
export function Layout() {
  const { identity, signOut } = useSession();
  const { project, cluster } = useParams();
  const home = identity.project ? `/projects/${identity.project}` : '/projects';
  return (
    <>
      <a className="skip" href="#main">Skip to content</a>
      <header>
        <NavLink to={home} className="brand">Edgeplane</NavLink>
        <nav aria-label="main">
          <ul>
            {identity.role === 'admin' ? <li><NavLink to="/projects" end>Projects</NavLink></li> : null}
            {project ? <li><NavLink to={`/projects/${project}`} end>Clusters</NavLink></li> : null}
            {project ? <li><NavLink to={`/projects/${project}/apps`}>Apps</NavLink></li> : null}
            {project && cluster ? <li><NavLink to={`/projects/${project}/clusters/${cluster}/devices`}>Devices</NavLink></li> : null}
            {project && cluster ? <li><NavLink to={`/projects/${project}/clusters/${cluster}/workloads`}>Workloads</NavLink></li> : null}
            {identity.role === 'admin' ? <li><NavLink to="/audit">Audit</NavLink></li> : null}
          </ul>
        </nav>
        <div className="who">
          <span>{identity.subject} ({identity.role}{identity.project ? ` of ${identity.project}` : ''})</span>
          <button type="button" onClick={signOut}>Sign out</button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <Outlet />
      </main>
    </>
  );
}

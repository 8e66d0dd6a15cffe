/** Placeholder until this page is written. */
export function AppsPage() {
  return <p>Not there yet.</p>;
}

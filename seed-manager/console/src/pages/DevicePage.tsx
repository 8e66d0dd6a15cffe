/** Placeholder until this page is written. */
export function DevicePage() {
  return <p>Not there yet.</p>;
}

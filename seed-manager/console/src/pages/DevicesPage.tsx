/** Placeholder until this page is written. */
export function DevicesPage() {
  return <p>Not there yet.</p>;
}

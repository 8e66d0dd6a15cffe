/** Placeholder until this page is written. */
export function WorkloadPage() {
  return <p>Not there yet.</p>;
}

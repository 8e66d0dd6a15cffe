/** Placeholder until this page is written. */
export function WorkloadsPage() {
  return <p>Not there yet.</p>;
}

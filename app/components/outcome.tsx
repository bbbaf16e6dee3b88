/** The result of the action that led here (?done= or ?error=), in the page's words; nothing for an unknown key. */
export function Outcome({ done, error }: { done?: string; error?: string }) {
  if (error) {
    return (
      <p className="error" role="alert">
        {error}
      </p>
    );
  }
  if (done) {
    return (
      <p className="success" role="status">
        {done}
      </p>
    );
  }
  return null;
}

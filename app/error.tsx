'use client';

/** Shown for unexpected server errors: no stack trace, no detail, nothing changed. */
export default function ErrorPage({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <section className="card" role="alert">
      <h1>Something went wrong on our side</h1>
      <p>Signet could not finish this request. Nothing was changed and you have not been signed out.</p>
      <div className="actions">
        <button type="button" onClick={() => reset()}>
          Try again
        </button>
      </div>
    </section>
  );
}

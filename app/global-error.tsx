'use client';

export default function GlobalError({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <html lang="en">
      <body>
        <main style={{ maxWidth: '40rem', margin: '3rem auto', fontFamily: 'system-ui, sans-serif' }}>
          <h1>Signet is having trouble</h1>
          <p>Nothing was changed and you have not been signed out. Please try again in a moment.</p>
          <button type="button" onClick={() => reset()}>
            Try again
          </button>
        </main>
      </body>
    </html>
  );
}

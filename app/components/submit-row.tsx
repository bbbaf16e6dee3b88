import type { ReactNode } from 'react';

/** A form's main button, on a row of its own. */
export function SubmitRow({ children }: { children: ReactNode }) {
  return (
    <div className="actions">
      <button className="primary" type="submit">
        {children}
      </button>
    </div>
  );
}

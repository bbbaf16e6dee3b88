'use client';

import { useActionState, type ReactNode } from 'react';
import type { ActionResult } from '@/lib/orgs/action-result';

type Props = {
  action: (previous: ActionResult | null, form: FormData) => Promise<ActionResult>;
  /** Said when the action succeeds and the form is still on the page. */
  done: string;
  className?: string;
  children: ReactNode;
};

/** A form bound to a server action that shows the action's result next to its fields. */
export function ActionForm({ action, done, className, children }: Props) {
  const [state, formAction, pending] = useActionState(action, null);
  return (
    <form action={formAction} className={className} aria-busy={pending}>
      {children}
      {state && !state.ok ? (
        <p className="error" role="alert">
          {state.error}
        </p>
      ) : null}
      {state?.ok ? (
        <p className="success" role="status">
          {done}
        </p>
      ) : null}
    </form>
  );
}

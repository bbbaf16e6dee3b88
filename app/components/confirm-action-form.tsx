'use client';

import { useActionState } from 'react';
import { ConfirmStep, type ConfirmStepProps } from './confirm-step';

/** What an action behind a confirmation answers: done, refused in words, or "ask first". */
export type ConfirmableResult = { ok: true } | { ok: false; error: string } | { ok: false; confirm: true };

type Props = Omit<ConfirmStepProps, 'formAction' | 'state' | 'askedByServer'> & {
  action: (previous: ConfirmableResult | null, form: FormData) => Promise<ConfirmableResult>;
  /** Said when the action succeeds and the form is still on the page. */
  done: string;
  className?: string;
};

/**
 * A server action that ends someone's access, behind ConfirmStep, with its result in words next
 * to it: the org pages' "End session", "End all their sessions" and "Remove". Works without
 * JavaScript (the question comes back as a page).
 */
export function ConfirmActionForm({ action, done, className, ...step }: Props) {
  const [state, formAction] = useActionState(action, null);
  const askedByServer = state !== null && 'confirm' in state;
  return (
    <div className={className}>
      <ConfirmStep formAction={formAction} state={state} askedByServer={askedByServer} {...step} />
      {state && !state.ok && 'error' in state ? (
        <p className="error" role="alert">
          {state.error}
        </p>
      ) : null}
      {state?.ok ? (
        <p className="success" role="status">
          {done}
        </p>
      ) : null}
    </div>
  );
}

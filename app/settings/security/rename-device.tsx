'use client';

import { useActionState, useEffect, useId, useRef, useState } from 'react';
import { SentByScript, useHydrated } from '@/app/components/hydration';
import { PendingButton } from '@/app/components/pending-button';
import { renameDeviceAction } from './actions';
import { type Status } from './messages';
import { errorInWords } from '@/app/components/words';
import styles from './security.module.css';

type Props = {
  sessionId: string;
  label: string | null;
  name: string;
  maxLength: number;
  /** The page was opened as "rename this device" (the no-JavaScript way in). */
  openedByPage: boolean;
  page: string;
  onResult: (status: Status) => void;
};

/**
 * "Rename Work laptop" opens a small form in place; Escape or Cancel closes it and focus goes
 * back to that button. Without JavaScript the button opens the page with this form open
 * (`?rename=<id>`), and saving posts the same server action.
 */
export function RenameDevice({ sessionId, label, name, maxLength, openedByPage, page, onResult }: Props) {
  const [state, formAction] = useActionState(renameDeviceAction, null);
  const hydrated = useHydrated();
  const [openedAt, setOpenedAt] = useState<{ state: unknown } | null>(null);
  const [closedAt, setClosedAt] = useState<{ state: unknown } | null>(null);
  const failed = state !== null && !state.ok;
  // Open since the last result, or a refused name still to fix, or opened by the page: until closed or saved.
  const editing = openedAt?.state === state || ((failed || (openedByPage && state === null)) && closedAt?.state !== state);
  const toggle = useRef<HTMLButtonElement>(null);
  const wasEditing = useRef(editing);
  const inputId = useId();
  const errorId = useId();

  useEffect(() => {
    if (wasEditing.current && !editing) toggle.current?.focus();
    wasEditing.current = editing;
  }, [editing]);
  useEffect(() => {
    if (state?.ok) onResult({ kind: 'success', text: `Renamed to ${state.label}.` });
  }, [state, onResult]);

  const close = () => {
    setOpenedAt(null);
    setClosedAt({ state });
  };

  if (!editing) {
    return (
      <form method="get" action={page}>
        <input type="hidden" name="rename" value={sessionId} />
        <button ref={toggle} type={hydrated ? 'button' : 'submit'} aria-expanded="false" onClick={hydrated ? () => setOpenedAt({ state }) : undefined}>
          Rename<span className={styles.srOnly}> {name}</span>
        </button>
      </form>
    );
  }
  const error = failed ? errorInWords(state.error) ?? '' : null;
  return (
    <form
      action={formAction}
      className={styles.rename}
      onKeyDown={(event) => {
        if (event.key === 'Escape') close();
      }}
    >
      <input type="hidden" name="sessionId" value={sessionId} />
      <SentByScript />
      <label htmlFor={inputId}>New name for {name}</label>
      <input
        id={inputId}
        name="label"
        type="text"
        defaultValue={label ?? ''}
        maxLength={maxLength}
        required
        autoFocus
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? errorId : undefined}
      />
      {error ? (
        <p id={errorId} className={styles.error} role="alert">
          {error}
        </p>
      ) : null}
      <div className={styles.controls}>
        <PendingButton className="primary" pendingLabel="Saving…">
          Save name
        </PendingButton>
        {hydrated ? (
          <button type="button" onClick={close}>
            Cancel
          </button>
        ) : (
          <a className="button" href={page}>
            Cancel
          </a>
        )}
      </div>
    </form>
  );
}

'use client';

import { useEffect, useId, useRef, useState } from 'react';
import { renameDeviceAction } from './actions';
import { ERROR_TEXT, type Status } from './messages';
import { PendingButton } from './pending-button';
import styles from './security.module.css';

type Props = { sessionId: string; label: string | null; name: string; maxLength: number; onResult: (status: Status) => void };

/** "Rename Work laptop" opens a small form in place; closing it puts focus back on that button. */
export function RenameDevice({ sessionId, label, name, maxLength, onResult }: Props) {
  const [editing, setEditing] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const toggle = useRef<HTMLButtonElement>(null);
  const wasEditing = useRef(false);
  const inputId = useId();
  const errorId = useId();

  useEffect(() => {
    if (wasEditing.current && !editing) toggle.current?.focus();
    wasEditing.current = editing;
  }, [editing]);

  async function save(form: FormData): Promise<void> {
    const result = await renameDeviceAction(form);
    if (!result.ok) {
      setError(ERROR_TEXT[result.error]);
      return;
    }
    setError(null);
    setEditing(false);
    onResult({ kind: 'success', text: `Renamed to ${result.label}.` });
  }

  if (!editing) {
    return (
      <button ref={toggle} type="button" aria-expanded="false" onClick={() => setEditing(true)}>
        Rename<span className={styles.srOnly}> {name}</span>
      </button>
    );
  }
  return (
    <form action={save} className={styles.rename}>
      <input type="hidden" name="sessionId" value={sessionId} />
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
        <PendingButton className="primary">Save name</PendingButton>
        <button
          type="button"
          onClick={() => {
            setError(null);
            setEditing(false);
          }}
        >
          Cancel
        </button>
      </div>
    </form>
  );
}

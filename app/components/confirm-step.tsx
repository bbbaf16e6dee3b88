'use client';

import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { CONFIRMED } from './form-fields';
import { SentByScript, useHydrated } from './hydration';
import { PendingButton } from './pending-button';

export type ConfirmStepProps = {
  /** The form action (from useActionState over a server action, so it also posts without JavaScript). */
  formAction: (form: FormData) => void;
  /** The action's latest result: a new one closes the question. */
  state: unknown;
  /** The action answered "ask first" (a form posted without JavaScript): show the question. */
  askedByServer: boolean;
  fields: Record<string, string>;
  trigger: ReactNode;
  triggerClassName?: string;
  question: string;
  detail?: ReactNode;
  confirmLabel: string;
  pendingLabel: string;
  /** Where Cancel goes without JavaScript: the page without the question. */
  cancelHref: string;
  /** False for actions that end nobody else's access: the trigger then submits at once. */
  ask?: boolean;
  /** Called as the "Yes" is sent (with JavaScript), before the action answers. */
  onConfirm?: () => void;
};

/**
 * A button that ends someone's access, asked once. With JavaScript the question opens in place,
 * focus on Cancel (so two presses of Enter cannot end anything), and Escape or Cancel closes it,
 * focus back on the button. Without JavaScript the button posts, the action answers "ask first"
 * without doing anything, and the page comes back with the question; Yes posts `confirmed=yes`.
 */
export function ConfirmStep(props: ConfirmStepProps) {
  const { formAction, state, fields, ask = true } = props;
  const hydrated = useHydrated();
  // Opened or dismissed "at" a result: any newer result (the action answered) closes it again.
  const [askedAt, setAskedAt] = useState<{ state: unknown } | null>(null);
  const [dismissedAt, setDismissedAt] = useState<{ state: unknown } | null>(null);
  const open = askedAt?.state === state || (props.askedByServer && dismissedAt?.state !== state);
  const trigger = useRef<HTMLButtonElement>(null);
  const cancel = useRef<HTMLButtonElement>(null);
  const wasOpen = useRef(open);
  const id = useId();

  useEffect(() => {
    if (open && !wasOpen.current) cancel.current?.focus();
    else if (!open && wasOpen.current) trigger.current?.focus();
    wasOpen.current = open;
  }, [open]);

  const close = () => {
    setAskedAt(null);
    setDismissedAt({ state });
  };
  const hidden = Object.entries(fields).map(([name, value]) => <input key={name} type="hidden" name={name} value={value} />);

  if (!open) {
    const asksHere = hydrated && ask;
    return (
      <form action={formAction}>
        {hidden}
        <SentByScript />
        {ask ? (
          <button ref={trigger} type={asksHere ? 'button' : 'submit'} className={props.triggerClassName} onClick={asksHere ? () => setAskedAt({ state }) : undefined}>
            {props.trigger}
          </button>
        ) : (
          <PendingButton className={props.triggerClassName} pendingLabel={props.pendingLabel}>
            {props.trigger}
          </PendingButton>
        )}
      </form>
    );
  }
  return (
    <div
      role="group"
      aria-labelledby={`${id}-question`}
      className="confirm"
      onKeyDown={(event) => {
        if (event.key === 'Escape') close();
      }}
    >
      <p>
        <strong id={`${id}-question`}>{props.question}</strong> {props.detail}
      </p>
      <form action={formAction} className="actions" onSubmit={props.onConfirm}>
        {hidden}
        <input type="hidden" name={CONFIRMED} value="yes" />
        <SentByScript />
        <PendingButton className="danger" pendingLabel={props.pendingLabel}>
          {props.confirmLabel}
        </PendingButton>
        {hydrated ? (
          <button ref={cancel} type="button" onClick={close}>
            Cancel
          </button>
        ) : (
          <a className="button" href={props.cancelHref}>
            Cancel
          </a>
        )}
      </form>
    </div>
  );
}

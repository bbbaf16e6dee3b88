'use client';

import type { ReactNode } from 'react';
import { useFormStatus } from 'react-dom';

type Props = { children: ReactNode; className?: string; pendingLabel?: string };

/**
 * A submit button that says what it is doing while its form is being sent ("Signing out…") and
 * cannot be pressed twice meanwhile. Without JavaScript it is a plain submit button.
 */
export function PendingButton({ children, className, pendingLabel }: Props) {
  const { pending } = useFormStatus();
  return (
    <button type="submit" className={className} disabled={pending} aria-disabled={pending}>
      {pending && pendingLabel ? pendingLabel : children}
    </button>
  );
}

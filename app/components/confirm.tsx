import Link from 'next/link';
import type { ReactNode } from 'react';

type Props = {
  /** The question, naming what will be acted on: "Remove pat@example.com from Acme?" */
  question: string;
  /** What happens, in a sentence or two. */
  children: ReactNode;
  /** A server action that does it; the form posts to it with or without JavaScript. */
  action: (form: FormData) => Promise<void>;
  /** Hidden fields the action needs (ids), and any input it asks for. */
  fields?: ReactNode;
  yes: string;
  cancelHref: string;
};

/**
 * The one question a destructive action asks before acting. It is a page of its own (reached by a
 * link), so it works the same without JavaScript: the link shows it, its button does the deed,
 * Cancel goes back. Nothing is changed until the button is pressed.
 */
export function Confirm({ question, children, action, fields, yes, cancelHref }: Props) {
  return (
    <section className="card confirm" aria-labelledby="confirm-heading">
      <h2 id="confirm-heading">{question}</h2>
      {children}
      <form action={action}>
        {fields}
        <div className="actions">
          <button className="danger" type="submit">
            {yes}
          </button>
          <Link className="button" href={cancelHref}>
            Cancel
          </Link>
        </div>
      </form>
    </section>
  );
}

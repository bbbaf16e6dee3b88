import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { connection } from 'next/server';
import { LocalTime } from '@/app/components/local-time';
import { usesDevMailbox } from '@/lib/mail';
import { listDevMail } from '@/lib/mail/dev-mailbox';
import { RefreshWhileOpen } from './refresh-while-open';

export const metadata: Metadata = { title: 'Dev mailbox' };

/** Development only: the emails Signet would have sent, newest first, kept up to date while open. */
export default async function DevMailboxPage() {
  await connection();
  if (!usesDevMailbox()) notFound();
  const messages = listDevMail();
  return (
    <>
      <RefreshWhileOpen />
      <h1>Dev mailbox</h1>
      <p className="muted">Outside production, Signet delivers email here and to the server log. New mail appears on its own.</p>
      <section className="card" aria-label="Messages">
        {messages.length === 0 ? <p>No messages yet.</p> : null}
        <ul className="plain" aria-live="polite">
          {messages.map((message) => (
            <li key={message.id} className="mail">
              <strong>{message.subject}</strong>
              <br />
              <span className="muted">
                to {message.to} · <LocalTime iso={message.sentAt} format="datetime" />
              </span>
              <br />
              {message.text}
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}

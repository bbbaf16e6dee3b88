/** An email: plain text always; an HTML alternative when the message has a button worth showing. */
export type MailMessage = { to: string; subject: string; text: string; html?: string };

/** The one interface the app sends mail through: dev mailbox or SMTP. */
export interface Mailer {
  send(message: MailMessage): Promise<void>;
}

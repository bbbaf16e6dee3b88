export type MailMessage = { to: string; subject: string; text: string };

/** The one interface the app sends mail through: dev mailbox or SMTP. */
export interface Mailer {
  send(message: MailMessage): Promise<void>;
}

import nodemailer, { type Transporter } from 'nodemailer';
import type { Mailer } from './types';

/** Production mailer: SMTP through nodemailer, one pooled transport per process. */
export function smtpMailer(url: string, from: string): Mailer {
  let transport: Transporter | undefined;
  return {
    async send(message) {
      transport ??= nodemailer.createTransport(url);
      // With `html` nodemailer sends multipart/alternative: the text part first, the HTML part preferred.
      await transport.sendMail({ from, to: message.to, subject: message.subject, text: message.text, ...(message.html ? { html: message.html } : {}) });
    },
  };
}

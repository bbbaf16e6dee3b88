import { SMTPServer } from 'smtp-server';

/**
 * A real SMTP server on loopback for the realistic mix: the production server sends its sign-in
 * codes here over SMTP, as it would to a provider, and the simulated browsers read them back.
 */
export type MailSink = { url: string; codeFor: (email: string) => Promise<string>; close: () => Promise<void> };

const WAIT_MS = 10_000;

export async function startMailSink(port: number): Promise<MailSink> {
  const arrived = new Map<string, string>();
  const waiting = new Map<string, (code: string) => void>();
  const deliver = (to: string, code: string) => {
    const wake = waiting.get(to);
    if (wake) {
      waiting.delete(to);
      wake(code);
    } else arrived.set(to, code);
  };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        // The code is in the subject ("Your Signet code: 123456"); other mail (new-device notices) is dropped.
        const code = /^subject: Your Signet code: (\d{6})/im.exec(Buffer.concat(chunks).toString('utf8'))?.[1];
        if (code) for (const to of session.envelope.rcptTo) deliver(to.address.toLowerCase(), code);
        callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return {
    url: `smtp://127.0.0.1:${port}`,
    codeFor(email) {
      const to = email.toLowerCase();
      const code = arrived.get(to);
      if (code) {
        arrived.delete(to);
        return Promise.resolve(code);
      }
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiting.delete(to);
          reject(new Error(`no code for ${to} within ${WAIT_MS} ms`));
        }, WAIT_MS);
        waiting.set(to, (value) => {
          clearTimeout(timer);
          resolve(value);
        });
      });
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

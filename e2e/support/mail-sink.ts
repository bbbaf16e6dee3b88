/**
 * A real SMTP server on loopback for browser tests: the production build sends its mail here over
 * SMTP, exactly as it would to a provider, and tests read what arrived over a small HTTP API.
 *   SMTP  127.0.0.1:$MAIL_SINK_SMTP_PORT
 *   HTTP  GET 127.0.0.1:$MAIL_SINK_HTTP_PORT/messages?to=<address>  → newest first
 */
import http from 'node:http';
import { SMTPServer } from 'smtp-server';

type Message = { to: string[]; subject: string; text: string; html: string | null; receivedAt: string };

const smtpPort = Number(process.env.MAIL_SINK_SMTP_PORT ?? 2525);
const httpPort = Number(process.env.MAIL_SINK_HTTP_PORT ?? 2580);
const messages: Message[] = [];

/** A MIME entity's headers (folded lines unfolded) and its body, transfer encoding undone. */
function entity(raw: string): { head: string; body: string } {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
  let body = raw.slice(split + 4);
  if (/content-transfer-encoding: quoted-printable/i.test(head)) {
    const bytes = body.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
    body = Buffer.from(bytes, 'latin1').toString('utf8');
  } else if (/content-transfer-encoding: base64/i.test(head)) {
    body = Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  }
  return { head, body };
}

/** Subject, plain text and (for multipart/alternative mail) the HTML part. */
function parse(raw: string): Pick<Message, 'subject' | 'text' | 'html'> {
  const { head, body } = entity(raw);
  const subject = /^subject: (.*)$/im.exec(head)?.[1] ?? '';
  const boundary = /content-type: multipart\/[^;]+;.*boundary="?([^";\r\n]+)"?/i.exec(head)?.[1];
  if (!boundary) return { subject, text: body, html: null };
  const parts = body.split(`--${boundary}`).slice(1, -1).map((part) => entity(part.replace(/^\r\n/, '')));
  const of = (type: string) => parts.find((part) => new RegExp(`content-type: ${type}`, 'i').test(part.head))?.body ?? null;
  return { subject, text: of('text/plain') ?? '', html: of('text/html') };
}

const smtp = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS'],
  onData(stream, session, callback) {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => {
      const to = session.envelope.rcptTo.map((r) => r.address.toLowerCase());
      messages.unshift({ to, ...parse(Buffer.concat(chunks).toString('utf8')), receivedAt: new Date().toISOString() });
      callback();
    });
  },
});
smtp.listen(smtpPort, '127.0.0.1');

http
  .createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://sink');
    if (url.pathname !== '/messages') {
      res.writeHead(url.pathname === '/' ? 200 : 404).end('mail sink');
      return;
    }
    const to = url.searchParams.get('to')?.toLowerCase();
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(to ? messages.filter((m) => m.to.includes(to)) : messages));
  })
  .listen(httpPort, '127.0.0.1', () => console.log(`mail sink: smtp ${smtpPort}, http ${httpPort}`));

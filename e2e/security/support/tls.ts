/**
 * HTTPS for the DBSC spec. Chrome offers device-bound sessions only to an origin whose
 * certificate it treats as valid, so each run makes a self-signed certificate for `localhost`
 * (openssl, present on Debian), trusts it in Chromium by the SHA-256 of its public key, and puts
 * a small TLS-terminating proxy in front of `next start`. The proxy also writes down the DBSC
 * exchange it carries (headers only, never a cookie) for the record.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import path from 'node:path';
import zlib from 'node:zlib';

export type Certificate = { cert: string; key: string; spkiSha256: string };

/** A fresh key and certificate for `localhost` (subjectAltName=DNS:localhost) in `dir`, emptied first. */
export function makeLocalhostCertificate(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true }); // and the last run's wire record with it
  fs.mkdirSync(dir, { recursive: true });
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2',
    '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost',
    '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem'),
  ], { stdio: 'ignore' });
}

/** The certificate in `dir` with the base64 SHA-256 of its SubjectPublicKeyInfo, as Chromium pins it. */
export function readCertificate(dir: string): Certificate {
  const certFile = path.join(dir, 'cert.pem');
  // openssl x509 -pubkey -noout | openssl pkey -pubin -outform der | openssl dgst -sha256 -binary | base64
  const publicKey = execFileSync('openssl', ['x509', '-in', certFile, '-pubkey', '-noout']);
  const spki = execFileSync('openssl', ['pkey', '-pubin', '-outform', 'der'], { input: publicKey });
  const spkiSha256 = execFileSync('openssl', ['dgst', '-sha256', '-binary'], { input: spki }).toString('base64');
  return { cert: fs.readFileSync(certFile, 'utf8'), key: fs.readFileSync(path.join(dir, 'key.pem'), 'utf8'), spkiSha256 };
}

/** The flags that turn DBSC on in Debian's Chromium with software keys, and trust `certificate`. */
export function dbscChromiumArgs(certificate: Certificate): string[] {
  return [
    '--enable-features=DeviceBoundSessions:RequireOriginTrialTokens/false/RefreshQuota/false/CheckSubdomainRegistration/false,EnableBoundSessionCredentialsSoftwareKeysForManualTesting,DeviceBoundSessionsDevTools',
    `--ignore-certificate-errors-spki-list=${certificate.spkiSha256}`,
  ];
}

/** One DBSC-relevant request and its answer, as the proxy saw them. */
export type WireRecord = { method: string; path: string; request: Record<string, string>; status: number; response: Record<string, string>; body?: string };

const DBSC_HEADER = /^(secure-session-|sec-secure-session-)/;

function dbscHeaders(headers: http.IncomingHttpHeaders | http.OutgoingHttpHeaders): Record<string, string> {
  const picked: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) if (DBSC_HEADER.test(name) && value !== undefined) picked[name] = String(value);
  return picked;
}

const INFLATE = new Map<string, (body: Buffer) => Buffer>([
  ['gzip', (body) => zlib.gunzipSync(body)],
  ['br', (body) => zlib.brotliDecompressSync(body)],
  ['deflate', (body) => zlib.inflateSync(body)],
]);

/** A body as the server sent it, uncompressed for the record. */
function decoded(body: Buffer, encoding: string | undefined): string {
  const inflate = INFLATE.get(encoding ?? '');
  return (inflate ? inflate(body) : body).toString('utf8');
}

export type TlsProxy = { wire: WireRecord[]; close(): Promise<void> };

/** https://localhost:`port` in front of http://127.0.0.1:`targetPort`. */
export function startTlsProxy(certificate: Certificate, port: number, targetPort: number): Promise<TlsProxy> {
  const wire: WireRecord[] = [];
  const server = https.createServer({ cert: certificate.cert, key: certificate.key }, (request, response) => {
    const upstream = http.request(
      { host: '127.0.0.1', port: targetPort, method: request.method, path: request.url, headers: request.headers },
      (answer) => {
        const asked = dbscHeaders(request.headers);
        const answered = dbscHeaders(answer.headers);
        const dbscRoute = request.url?.startsWith('/dbsc/') ?? false;
        if (Object.keys(asked).length > 0 || Object.keys(answered).length > 0 || dbscRoute) {
          const record: WireRecord = { method: request.method ?? '', path: request.url ?? '', request: asked, status: answer.statusCode ?? 0, response: answered };
          wire.push(record);
          // The DBSC routes answer small JSON (the session instructions, or why not): kept too.
          if (dbscRoute) {
            const chunks: Buffer[] = [];
            answer.on('data', (chunk: Buffer) => chunks.push(chunk));
            answer.on('end', () => (record.body = decoded(Buffer.concat(chunks), answer.headers['content-encoding'])));
          }
        }
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      },
    );
    upstream.on('error', () => {
      response.writeHead(502);
      response.end();
    });
    request.pipe(upstream);
  });
  return new Promise((resolve) => {
    server.listen(port, '127.0.0.1', () =>
      resolve({ wire, close: () => new Promise<void>((done) => server.close(() => done())) }),
    );
  });
}

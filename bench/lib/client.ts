import http from 'node:http';
import { nowMicros } from './stats';

/**
 * A small HTTP client for the figures that act as browsers: keep-alive connections, no redirects
 * followed, the response's Set-Cookie values returned, and the time it took.
 */
export type Answer = { status: number; setCookies: Map<string, string>; body: string; micros: number };

export type Request = {
  method?: 'GET' | 'POST';
  cookie?: string;
  headers?: Record<string, string>;
  form?: Record<string, string>;
};

export function newAgent(maxSockets: number): http.Agent {
  return new http.Agent({ keepAlive: true, maxSockets });
}

/**
 * One request. A keep-alive connection the server closed while idle fails the request on reuse
 * (ECONNRESET); as Node's documentation advises, such a request is sent once more on a new one.
 */
export async function send(agent: http.Agent, origin: string, path: string, request: Request = {}): Promise<Answer> {
  try {
    return await sendOnce(agent, origin, path, request);
  } catch (error) {
    if (!(error instanceof ReusedSocketReset)) throw error;
    return sendOnce(agent, origin, path, request);
  }
}

class ReusedSocketReset extends Error {}

function sendOnce(agent: http.Agent, origin: string, path: string, request: Request): Promise<Answer> {
  const body = request.form ? new URLSearchParams(request.form).toString() : undefined;
  const headers: Record<string, string> = { ...request.headers };
  if (request.cookie) headers.cookie = request.cookie;
  if (request.method === 'POST') Object.assign(headers, { origin, 'sec-fetch-site': 'same-origin' });
  if (body !== undefined) headers['content-type'] = 'application/x-www-form-urlencoded';
  return new Promise((resolve, reject) => {
    const start = nowMicros();
    const outgoing = http.request(`${origin}${path}`, { agent, method: request.method ?? 'GET', headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        resolve({ status: response.statusCode ?? 0, setCookies: cookiesOf(response.headers['set-cookie']), body: Buffer.concat(chunks).toString('utf8'), micros: nowMicros() - start });
      });
      response.on('error', reject);
    });
    outgoing.on('error', (error: NodeJS.ErrnoException) => {
      reject(outgoing.reusedSocket && error.code === 'ECONNRESET' ? new ReusedSocketReset(error.message) : error);
    });
    outgoing.end(body);
  });
}

/** name → value of each Set-Cookie (an emptied cookie maps to ''). */
function cookiesOf(values: string[] | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const value of values ?? []) {
    const pair = value.split(';', 1)[0] ?? '';
    const eq = pair.indexOf('=');
    if (eq > 0) cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
  }
  return cookies;
}

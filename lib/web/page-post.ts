import { isWellFormedActionCall, isWellFormedActionForm } from './action-body';
import { isCrossSiteRequest, readBodyUpTo } from './request';

/**
 * POSTs to a page, i.e. server actions, screened before Next.js sees them (W2, W4). Next would
 * answer each refusal below with a bare 500: a no-JavaScript action post from another site, a body
 * React cannot decode, a body over its 1 MB limit. Route handlers are not pages: they check their
 * own requests and are never passed here.
 */

/** Far above any form Signet renders (a device name is 64 characters), far below Next's 1 MB. */
export const MAX_PAGE_POST_BYTES = 64 * 1024;

export type PagePostRefusal = 400 | 403 | 413;

/**
 * Why a POST to a page must be refused, or null to let it through. Cross-site first, whatever the
 * body; then the size, declared or counted; then, for anything that could be a server action,
 * the shape of its body. The body is read from the proxy's copy: the page still receives it whole.
 */
export async function screenPagePost(request: Request): Promise<PagePostRefusal | null> {
  if (isCrossSiteRequest(request)) return 403;
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (!Number.isFinite(declared) || declared > MAX_PAGE_POST_BYTES) return 413;
  const fetchAction = request.headers.has('next-action');
  const type = (request.headers.get('content-type') ?? '').toLowerCase();
  const multipart = type.startsWith('multipart/form-data');
  const body = await readBodyUpTo(request, MAX_PAGE_POST_BYTES);
  if (body === null) return 413;
  if (!fetchAction && !multipart) return null; // not an action: the page renders as for a GET
  // React sends an action's arguments as text/plain JSON, or as a form when they hold one.
  if (!multipart) return type.startsWith('text/plain') && isWellFormedActionCall(new TextDecoder().decode(body)) ? null : 400;
  const form = await formDataOf(body, request.headers.get('content-type') ?? '');
  if (!form) return 400;
  return (fetchAction ? isWellFormedActionCall(form) : isWellFormedActionForm(form)) ? null : 400;
}

async function formDataOf(body: Uint8Array<ArrayBuffer>, contentType: string): Promise<FormData | null> {
  try {
    return await new Response(body, { headers: { 'content-type': contentType } }).formData();
  } catch {
    return null; // not multipart at all, a missing boundary, a truncated part
  }
}

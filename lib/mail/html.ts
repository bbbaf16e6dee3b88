const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text made safe to put in HTML, in an element or a quoted attribute: a device name is typed by anyone. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => ENTITIES[character] ?? character);
}

/**
 * A small HTML email: paragraphs and at most one button, with inline styles only (mail clients
 * drop style sheets). Every piece of text passed in is escaped here.
 */
export function htmlEmail(parts: { paragraphs: string[]; button?: { text: string; href: string }; footer?: string[] }): string {
  const paragraph = (text: string) => `<p style="margin:0 0 16px">${escapeHtml(text)}</p>`;
  const button = parts.button
    ? `<p style="margin:0 0 16px"><a href="${escapeHtml(parts.button.href)}" style="display:inline-block;padding:10px 16px;border-radius:8px;background:#cf222e;color:#ffffff;font-weight:600;text-decoration:none">${escapeHtml(parts.button.text)}</a></p>`
    : '';
  const footer = (parts.footer ?? []).map((text) => `<p style="margin:0 0 8px;color:#59636e;font-size:14px">${escapeHtml(text)}</p>`).join('');
  return [
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"></head>',
    '<body style="margin:0;padding:24px;font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;line-height:1.5;color:#1b1f24;background:#ffffff">',
    parts.paragraphs.map(paragraph).join(''),
    button,
    footer,
    '</body></html>',
  ].join('');
}

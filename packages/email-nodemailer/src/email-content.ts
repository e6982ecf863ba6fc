import type { ChannelMessage } from '@pushline/domain';

export interface EmailContent {
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

export interface EmailLinks {
  /** The action's link, absolute (a relative action URL is resolved against the public URL). */
  readonly action?: { readonly url: string; readonly label: string };
  /** Null for a critical category: it cannot be muted, so the email offers no unsubscribe. */
  readonly unsubscribe: string | null;
  readonly inbox: string;
}

/** Subject = the title; the body, the action link and the unsubscribe link, as text and as HTML. */
export function emailContentOf(message: ChannelMessage, links: EmailLinks): EmailContent {
  const text = [
    message.body,
    ...(links.action ? [`${links.action.label}: ${links.action.url}`] : []),
    `Open your inbox: ${links.inbox}`,
    ...(links.unsubscribe ? [`Stop emails about ${message.category}: ${links.unsubscribe}`] : []),
  ]
    .filter((line) => line.length > 0)
    .join('\n\n');
  const paragraphs = message.body
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => `<p>${escapeHtml(l)}</p>`);
  const html = [
    '<!doctype html><html><body>',
    `<h1>${escapeHtml(message.title)}</h1>`,
    ...paragraphs,
    ...(links.action ? [`<p><a href="${escapeHtml(links.action.url)}">${escapeHtml(links.action.label)}</a></p>`] : []),
    `<p><a href="${escapeHtml(links.inbox)}">Open your inbox</a></p>`,
    ...(links.unsubscribe ? [`<p style="font-size:small"><a href="${escapeHtml(links.unsubscribe)}">Stop emails about ${escapeHtml(message.category)}</a></p>`] : []),
    '</body></html>',
  ].join('\n');
  return { subject: message.title, text, html };
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

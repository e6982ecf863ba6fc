import type { MuteChannel } from '@pushline/application';
import type { HmacUnsubscribeTokens } from '@pushline/email-nodemailer';
import { Router, type Request, type RequestHandler } from 'express';
import { z } from 'zod';
import { parseInput, sendError } from './errors.js';

export interface UnsubscribeRoutesDeps {
  readonly tokens: HmacUnsubscribeTokens;
  readonly mute: MuteChannel;
  /** Per client address: the token is the credential, so guessing is bounded. */
  readonly rateLimit: RequestHandler;
}

export const UnsubscribeQuery = z.object({ token: z.string().min(1).max(1024) });

/**
 * One-click unsubscribe (RFC 8058): `POST /unsubscribe?token=` mutes the email of the token's category
 * for its user (what a mail client sends from the `List-Unsubscribe` header); `GET` is the link in the
 * email's body: a page with a button that posts, because link scanners fetch every GET and must not
 * unsubscribe anyone. The signed token is the only credential; no login is needed.
 */
export function unsubscribeRoutes(deps: UnsubscribeRoutesDeps): Router {
  const router = Router();
  const claimsOf = (req: Request) => deps.tokens.verify(parseInput(UnsubscribeQuery, req.query, 'query').token);

  router.get('/unsubscribe', deps.rateLimit, (req, res) => {
    const claims = claimsOf(req);
    if (!claims) return sendError(res, 400, 'validation_failed', 'the unsubscribe link is not valid', 'token');
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Content-Security-Policy', "default-src 'none'; form-action 'self'; style-src 'unsafe-inline'");
    res.type('html').send(
      [
        '<!doctype html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>Unsubscribe</title></head><body>',
        `<p>Stop emails about <strong>${escapeHtml(claims.category)}</strong>? In-app notifications and other channels stay as they are.</p>`,
        // Relative action: the token stays in the query string the page was opened with.
        `<form method="post" action="?token=${encodeURIComponent(String(req.query['token']))}"><input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit">Unsubscribe</button></form>`,
        '</body></html>',
      ].join('\n'),
    );
  });

  router.post('/unsubscribe', deps.rateLimit, async (req, res) => {
    const claims = claimsOf(req);
    if (!claims) return sendError(res, 400, 'validation_failed', 'the unsubscribe link is not valid', 'token');
    const result = await deps.mute.execute({ userId: claims.userId, category: claims.category, channel: claims.channel });
    res.setHeader('Cache-Control', 'no-store');
    res.json(result);
  });
  return router;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

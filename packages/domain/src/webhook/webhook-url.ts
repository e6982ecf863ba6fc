import { ValidationError } from '../shared/errors.js';
import { WEBHOOK_LIMITS } from './webhook-limits.js';

export interface WebhookUrlRules {
  /** Accept `http:` (development); otherwise only `https:`. */
  readonly allowHttp: boolean;
}

/**
 * Checks a subscription's destination before it is stored: http(s) only, no credentials inside, bounded
 * length. Where it resolves to is checked again at every send (SSRF guard), since DNS answers change.
 */
export function parseWebhookUrl(raw: string, rules: WebhookUrlRules): URL {
  if (raw.length > WEBHOOK_LIMITS.urlMaxLength) {
    throw new ValidationError('url', `url must be at most ${WEBHOOK_LIMITS.urlMaxLength} characters`);
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ValidationError('url', 'url is not an absolute URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new ValidationError('url', 'url must be http(s)');
  if (url.protocol === 'http:' && !rules.allowHttp) {
    throw new ValidationError('url', 'url must be https (http is allowed only with WEBHOOK_ALLOW_HTTP)');
  }
  if (url.username || url.password) throw new ValidationError('url', 'url must not contain credentials');
  if (url.hash) throw new ValidationError('url', 'url must not contain a fragment');
  if (!url.hostname) throw new ValidationError('url', 'url has no host');
  return url;
}

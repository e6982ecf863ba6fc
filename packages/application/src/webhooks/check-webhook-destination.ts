import { parseWebhookUrl, ValidationError, type WebhookDestinationCheck } from '@pushline/domain';

/** A URL as stored: well formed (`parseWebhookUrl`) and not pointing at a refused address right now. */
export async function checkWebhookDestination(raw: string, allowHttp: boolean, destinations: WebhookDestinationCheck): Promise<string> {
  const url = parseWebhookUrl(raw, { allowHttp });
  const refusal = await destinations.refusal(url);
  if (refusal) throw new ValidationError('url', `url is refused: ${refusal}`);
  return url.toString();
}

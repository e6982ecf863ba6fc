import { NotFoundError, ValidationError, type Clock, type WebhookDeliveryLog } from '@pushline/domain';

export const REPLAY_MAX_EVENTS = 1000;

/**
 * The operator's replay to a webhook: the chosen stored events are delivered to one subscription again,
 * as new deliveries marked as replays (`webhook-replay: true`). For the operator API of issue #10
 * (`POST /api/v1/admin/events/replay {eventIds, target: {webhookId}}`): the operator names a
 * subscription of any app; an app's own call passes its `owner`, which scopes it.
 */
export class ReplayEventsToWebhook {
  constructor(
    private readonly deliveries: WebhookDeliveryLog,
    private readonly clock: Clock,
    private readonly onQueued: () => void = () => {},
  ) {}

  async execute(input: { owner?: string; subscriptionId: string; eventIds: readonly string[] }): Promise<{ queued: readonly string[]; unknown: readonly string[] }> {
    const eventIds = [...new Set(input.eventIds)];
    if (eventIds.length === 0 || eventIds.length > REPLAY_MAX_EVENTS) {
      throw new ValidationError('eventIds', `eventIds takes 1 to ${REPLAY_MAX_EVENTS} event ids`);
    }
    const target = { subscriptionId: input.subscriptionId, ...(input.owner && { owner: input.owner }) };
    const queued = await this.deliveries.replay(target, eventIds, this.clock.now());
    if (!queued) throw new NotFoundError('webhook', input.subscriptionId);
    if (queued.length > 0) this.onQueued();
    const found = new Set(queued);
    return { queued, unknown: eventIds.filter((id) => !found.has(id)) };
  }
}

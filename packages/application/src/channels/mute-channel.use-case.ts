import { NotFoundError, ValidationError, type Clock, type NotificationChannel, type PreferenceRepository, type UserRepository } from '@pushline/domain';
import { categoryPolicy } from '../notifications/notification-categories.js';

export interface MuteChannelResult {
  readonly category: string;
  readonly channel: NotificationChannel;
  /** False for a critical category: it cannot be muted, and nothing changed. */
  readonly muted: boolean;
}

/**
 * Mutes one channel of one category for a user: what an email's one-click unsubscribe link does
 * (its signed token names the user, the category and the channel).
 */
export class MuteChannel {
  constructor(
    private readonly preferences: PreferenceRepository,
    private readonly users: Pick<UserRepository, 'findById'>,
    private readonly clock: Clock,
  ) {}

  async execute(input: { readonly userId: string; readonly category: string; readonly channel: NotificationChannel }): Promise<MuteChannelResult> {
    const policy = categoryPolicy(input.category);
    if (!policy) throw new ValidationError('category', `unknown category ${input.category}`);
    if (policy.critical) return { category: input.category, channel: input.channel, muted: false };
    // A link in an old email may outlive its user.
    const user = await this.users.findById(input.userId);
    if (!user) throw new NotFoundError('user', input.userId);
    await this.preferences.save({ tenantId: user.tenantId, userId: input.userId }, { [input.category]: { [input.channel]: false } }, this.clock.now());
    return { category: input.category, channel: input.channel, muted: true };
  }
}

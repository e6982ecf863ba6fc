import { describe, expect, it } from '@jest/globals';
import { NotFoundError, ValidationError } from '@pushline/domain';
import { FixedClock, givenUser, InMemoryPreferenceRepository, InMemoryUserRepository, TEST_TENANT_ID } from '@pushline/testing';
import { MuteChannel } from './mute-channel.use-case.js';

describe('MuteChannel (what an unsubscribe link does)', () => {
  const setup = () => {
    const preferences = new InMemoryPreferenceRepository();
    const users = new InMemoryUserRepository();
    return { preferences, users, mute: new MuteChannel(preferences, users, new FixedClock()) };
  };

  it("mutes that channel of that category for that user, and nothing else", async () => {
    const { preferences, users, mute } = setup();
    const userId = await givenUser(users);
    await expect(mute.execute({ userId, category: 'orders', channel: 'email' })).resolves.toEqual({ category: 'orders', channel: 'email', muted: true });
    await expect(preferences.forUser({ tenantId: TEST_TENANT_ID, userId })).resolves.toEqual({ orders: { email: false } });
  });

  it('leaves a critical category on, refuses an unknown one, and a user that is gone', async () => {
    const { preferences, users, mute } = setup();
    const userId = await givenUser(users);
    await expect(mute.execute({ userId, category: 'security', channel: 'email' })).resolves.toMatchObject({ muted: false });
    await expect(preferences.forUser({ tenantId: TEST_TENANT_ID, userId })).resolves.toEqual({});
    await expect(mute.execute({ userId, category: 'nope', channel: 'email' })).rejects.toBeInstanceOf(ValidationError);
    await expect(mute.execute({ userId: 'gone', category: 'orders', channel: 'email' })).rejects.toBeInstanceOf(NotFoundError);
  });
});

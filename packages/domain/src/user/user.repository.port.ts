import type { User } from './user.js';

export interface UserRepository {
  findById(id: string): Promise<User | null>;
  /** `email` must already be normalized. */
  findByEmail(email: string): Promise<User | null>;
  /** Inserts the user, or does nothing when the email is taken. Returns the stored user. */
  upsertByEmail(user: User): Promise<User>;
}

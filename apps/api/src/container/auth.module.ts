import { JwtTokenService, ScryptPasswordHasher } from '@pushline/auth-jwt';
import { Ports } from '../composition/ports.js';
import { containerModule } from '../composition/typed-container.js';
import type { Config } from '../config.js';

/** Signed JWT access tokens and scrypt password hashes. */
export function authModule(config: Config, jwtSecret: string) {
  return containerModule((r) => {
    r.provide(Ports.TokenService, (c) => new JwtTokenService({ secret: jwtSecret, ttlSeconds: config.jwt.ttlSeconds }, c.get(Ports.Clock)));
    r.value(Ports.PasswordHasher, new ScryptPasswordHasher());
  });
}

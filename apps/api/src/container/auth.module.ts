import { JwtTokenService, ScryptPasswordHasher } from '@pushline/auth-jwt';
import { ContainerModule } from 'inversify';
import type { Config } from '../config.js';
import { TOKENS } from '../tokens.js';

/** Signed JWT access tokens and scrypt password hashes. */
export function authModule(config: Config, jwtSecret: string): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind(TOKENS.TokenService)
      .toDynamicValue((c) => new JwtTokenService({ secret: jwtSecret, ttlSeconds: config.jwt.ttlSeconds }, c.get(TOKENS.Clock)))
      .inSingletonScope();
    bind(TOKENS.PasswordHasher).toConstantValue(new ScryptPasswordHasher());
  });
}

import { JwtTokenService, RandomApiKeyGenerator, ScryptPasswordHasher } from '@pushline/auth-jwt';
import { AjvJsonSchemaValidator } from '@pushline/schema-ajv';
import { JoseExternalTokenVerifier } from '@pushline/auth-jose';
import { Ports } from '../composition/ports.js';
import { containerModule } from '../composition/typed-container.js';
import type { Config } from '../config.js';

/** Signed JWT access tokens, scrypt password hashes, apps' API keys, and JSON Schema checks of app payloads. */
export function authModule(config: Config, jwtSecret: string) {
  return containerModule((r) => {
    r.provide(Ports.TokenService, (c) => new JwtTokenService({ secret: jwtSecret, ttlSeconds: config.jwt.ttlSeconds }, c.get(Ports.Clock)));
    r.value(Ports.PasswordHasher, new ScryptPasswordHasher());
    r.value(Ports.ApiKeyGenerator, new RandomApiKeyGenerator());
    r.value(Ports.JsonSchemaValidator, new AjvJsonSchemaValidator());
    const external = config.externalAuth;
    if (external) {
      r.value(
        Ports.ExternalTokenVerifier,
        new JoseExternalTokenVerifier({
          ...(external.jwksUrl && { jwksUrl: external.jwksUrl }),
          ...(external.publicKeyPem && { publicKeyPem: external.publicKeyPem }),
          issuer: external.issuer,
          audience: external.audience,
          userClaim: external.userClaim,
          tenantClaim: external.tenantClaim,
          emailClaim: external.emailClaim,
          jwksCooldownMs: external.jwksCooldownMs,
        }),
      );
    }
  });
}

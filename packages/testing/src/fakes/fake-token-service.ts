import {
  AuthenticationError,
  type AccessClaims,
  type Clock,
  type IssuedToken,
  type TokenService,
  type TokenSubject,
} from '@pushline/domain';

/** Unsigned, readable tokens (`token-1`, `token-2`, …) whose claims it remembers. Tests only. */
export class FakeTokenService implements TokenService {
  /** Every token issued so far, in order. */
  readonly issued: (AccessClaims & { readonly token: string })[] = [];

  constructor(
    private readonly clock: Clock,
    private readonly ttlSeconds = 900,
  ) {}

  issue(subject: TokenSubject): IssuedToken {
    const token = `token-${this.issued.length + 1}`;
    const expiresAt = new Date(this.clock.now().getTime() + this.ttlSeconds * 1000);
    this.issued.push({ ...subject, expiresAt, token });
    return { token, expiresIn: this.ttlSeconds, expiresAt };
  }

  verify(token: string): AccessClaims {
    const found = this.issued.find((t) => t.token === token);
    if (!found) throw new AuthenticationError('the access token is not valid');
    if (this.clock.now() >= found.expiresAt) throw new AuthenticationError('the access token has expired');
    const { token: _token, ...claims } = found;
    return claims;
  }
}

import { Authenticate, GetCurrentUser, LogIn, LogOut, RefreshToken, RegisterUser, ResolveExternalUser } from '@pushline/application';
import { StreamHub } from '@pushline/stream-engine';
import { Router } from 'express';
import { defineFeature } from '../composition/feature.js';
import { Ports } from '../composition/ports.js';
import { authRoutes } from '../http/auth.routes.js';
import { loginRateLimits } from '../http/rate-limits.js';

/** Built-in login: sessions, tokens, the current user. */
export const authFeature = defineFeature({
  name: 'auth',
  register(r, config) {
    r.provide(
      LogIn,
      (c) =>
        new LogIn(c.get(Ports.UserRepository), c.get(Ports.PasswordHasher), c.get(Ports.TokenService), c.get(Ports.IdGenerator), c.get(Ports.SessionStore), c.get(Ports.Clock), config.sessions, c.get(Ports.TenantRepository)),
    );
    r.provide(LogOut, (c) => new LogOut(c.get(Ports.SessionStore), c.get(Ports.Clock)));
    r.provide(RefreshToken, (c) => new RefreshToken(c.get(Ports.TokenService), c.get(Ports.SessionStore), c.get(Ports.Clock), config.sessions));
    r.provide(ResolveExternalUser, (c) => new ResolveExternalUser(c.get(Ports.UserRepository), c.get(Ports.TenantRepository), c.get(Ports.IdGenerator), c.get(Ports.Clock)));
    r.provide(Authenticate, (c) => {
      // Bring your own login: the external issuer's tokens are accepted beside Pushline's own.
      const external = config.externalAuth && { verifier: c.get(Ports.ExternalTokenVerifier), resolveUser: c.get(ResolveExternalUser) };
      return new Authenticate(c.get(Ports.TokenService), c.get(Ports.SessionStore), c.get(Ports.Clock), c.get(Ports.UserRepository), c.get(Ports.TenantRepository), external, c.get(Ports.SessionCheckReader));
    });
    r.provide(GetCurrentUser, (c) => new GetCurrentUser(c.get(Ports.UserRepository)));
    r.provide(
      RegisterUser,
      (c) => new RegisterUser(c.get(Ports.UserRepository), c.get(Ports.TenantRepository), c.get(Ports.PasswordHasher), c.get(Ports.IdGenerator), c.get(Ports.Clock)),
    );
    // new-use-case: bindings
  },
  routes(services, http) {
    const hub = services.get(StreamHub);
    const router = Router();
    router.use(
      authRoutes({
        logIn: services.get(LogIn),
        logOut: services.get(LogOut),
        refreshToken: services.get(RefreshToken),
        getCurrentUser: services.get(GetCurrentUser),
        requireAuth: http.requireAuth,
        loginRateLimits: loginRateLimits(http.config, services.get(Ports.RateLimitStores), http.onRateLimitStoreError),
        cookieSecure: http.config.cookieSecure,
        onLoggedOut: (sessionId) => {
          hub.closeSession(sessionId);
          http.hooks.onLoggedOut?.(sessionId);
        },
      }),
    );
    // new-use-case: routes
    return router;
  },
});

import { ContainerModule, type Container, type ResolutionContext } from 'inversify';

declare const serviceType: unique symbol;

/**
 * A service identifier that carries its service's type. inversify's own `ServiceIdentifier<T>` does not
 * (a plain symbol infers `unknown`), so a wrong binding would compile; through `Registry` and `Resolver`
 * it does not. The phantom is a function of T so the check runs both ways (invariant).
 */
export type Token<T> = symbol & { readonly [serviceType]: (value: T) => T };

/** A typed identifier for an interface (a port) or a value that has no class of its own. */
export function token<T>(description: string): Token<T> {
  return Symbol(description) as Token<T>;
}

/**
 * What identifies a service: a typed token, or the class itself (use cases, adapters). Classes with
 * private members are nominal in TypeScript, so one use case never stands in for another.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- constructor parameters are the class's business
export type ServiceId<T> = Token<T> | (abstract new (...args: any[]) => T);

/** Reads services; given to factories and to features' route builders. */
export interface Resolver {
  get<T>(id: ServiceId<T>): T;
}

/** The built container, read by the app and by tests. */
export interface Services extends Resolver {
  /** Whether configuration bound `id` at all (e.g. the Redis broker). */
  has(id: ServiceId<unknown>): boolean;
}

/** Declares services. Every service is a singleton of its container. */
export interface Registry {
  /** Built on first use, from other services. */
  provide<T>(id: ServiceId<T>, factory: (resolve: Resolver) => T): void;
  value<T>(id: ServiceId<T>, value: T): void;
  /** `id` is served by whatever serves `target` (one instance behind two ports). */
  alias<T>(id: ServiceId<T>, target: ServiceId<T>): void;
  /** Runs once `id` is first built, e.g. to connect it to another service. */
  whenBuilt<T>(id: ServiceId<T>, hook: (service: T, resolve: Resolver) => void): void;
}

/** One inversify module, declared through the typed `Registry`. */
export function containerModule(declare: (registry: Registry) => void): ContainerModule {
  return new ContainerModule(({ bind, onActivation }) => {
    declare({
      provide: (id, factory) => {
        bind(id).toDynamicValue((context) => factory(resolverOf(context))).inSingletonScope();
      },
      value: (id, value) => {
        bind(id).toConstantValue(value);
      },
      alias: (id, target) => {
        bind(id).toService(target);
      },
      whenBuilt: (id, hook) => {
        onActivation(id, (context, service) => {
          hook(service, resolverOf(context));
          return service;
        });
      },
    });
  });
}

function resolverOf(context: ResolutionContext): Resolver {
  return { get: (id) => context.get(id) };
}

/** The typed view of a built container. */
export function servicesOf(container: Container): Services {
  return { get: (id) => container.get(id), has: (id) => container.isBound(id) };
}

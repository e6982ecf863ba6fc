import { describe, expect, it } from '@jest/globals';
import { Container } from 'inversify';
import { containerModule, servicesOf, token } from '../../src/composition/typed-container.js';
import { features } from '../../src/composition/features.js';

class Greeter {
  constructor(private readonly name: string) {}
  greet(): string {
    return `hello ${this.name}`;
  }
}

const Name = token<string>('Name');
const Shout = token<{ greet(): string }>('Shout');

describe('the typed container', () => {
  it('builds each service once, from its dependencies, and serves aliases with the same instance', () => {
    let built = 0;
    const container = new Container();
    container.load(
      containerModule((r) => {
        r.value(Name, 'alice');
        r.provide(Greeter, (c) => {
          built += 1;
          return new Greeter(c.get(Name));
        });
        r.alias(Shout, Greeter);
      }),
    );
    const services = servicesOf(container);

    expect(services.get(Greeter).greet()).toBe('hello alice');
    expect(services.get(Shout)).toBe(services.get(Greeter));
    expect(built).toBe(1);
    expect(services.has(Greeter)).toBe(true);
    expect(services.has(token('Unbound'))).toBe(false);
  });

  it('runs a when-built hook once, with the service and a resolver', () => {
    const seen: string[] = [];
    const container = new Container();
    container.load(
      containerModule((r) => {
        r.value(Name, 'bob');
        r.provide(Greeter, (c) => new Greeter(c.get(Name)));
        r.whenBuilt(Greeter, (greeter, c) => seen.push(`${greeter.greet()} via ${c.get(Name)}`));
      }),
    );
    const services = servicesOf(container);
    services.get(Greeter);
    services.get(Greeter);
    expect(seen).toEqual(['hello bob via bob']);
  });

  it('lists every feature exported by features/index.ts once, by name', () => {
    const names = features.map((f) => f.name);
    expect(names).toEqual(expect.arrayContaining(['admin', 'auth', 'notifications', 'presence', 'streaming']));
    expect(new Set(names).size).toBe(names.length);
  });
});

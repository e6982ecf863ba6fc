// Type-level test, checked by `tsc` in `npm test`: each `@ts-expect-error` below fails the type-check
// if the line after it ever compiles, i.e. if a wrong binding or lookup stops being a compile error.
import { ChangeNotificationStatus, CreateNotification, ListNotifications, LogIn, ReportTyping } from '@pushline/application';
import { EventFactory } from '@pushline/domain';
import type { RequestHandler } from 'express';
import { Ports } from '../../src/composition/ports.js';
import type { Registry, Resolver } from '../../src/composition/typed-container.js';
import { notificationRoutes } from '../../src/http/notification.routes.js';

export function wrongWiringDoesNotCompile(r: Registry, services: Resolver, requireAuth: RequestHandler): void {
  // @ts-expect-error another use case cannot be bound where LogIn is asked for
  r.provide(LogIn, (c) => new ReportTyping(c.get(Ports.UnitOfWork), c.get(Ports.Clock), c.get(EventFactory)));

  // @ts-expect-error a port's token carries its type: an IdGenerator is not a Clock
  r.value(Ports.Clock, { next: () => 'id-1' });

  // @ts-expect-error one port cannot be aliased to a service of another type
  r.alias(Ports.EventLog, Ports.UnitOfWork);

  // @ts-expect-error a lookup is typed by what it asks for
  const logIn: LogIn = services.get(ReportTyping);
  void logIn;

  notificationRoutes({
    // @ts-expect-error the route needs CreateNotification; ReportTyping has its own shape and private state
    createNotification: services.get(ReportTyping),
    changeStatus: services.get(ChangeNotificationStatus),
    listNotifications: services.get(ListNotifications),
    requireAuth,
  });

  // The right wiring compiles (and so does the line above without the wrong argument).
  r.provide(CreateNotification, (c) => new CreateNotification(c.get(Ports.UnitOfWork), c.get(Ports.IdGenerator), c.get(Ports.Clock), c.get(EventFactory)));
}

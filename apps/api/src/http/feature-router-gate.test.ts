import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import express, { Router } from 'express';
import { enteredOnlyForItsPaths, firstSegmentsOf } from './feature-router-gate.js';

describe('firstSegmentsOf', () => {
  it('names the first segment of every route and mount path, nested routers included', () => {
    const nested = Router();
    nested.post('/apps/:appId/events', (_req, res) => void res.end());
    const router = Router();
    router.use('/notifications', (_req, _res, next) => next());
    router.get('/notifications/:id', (_req, res) => void res.end());
    router.use(['/Admin/tenants', '/admin/users'], (_req, _res, next) => next());
    router.use(nested);
    // Path-less middleware names nothing.
    router.use((_req, _res, next) => next());

    expect([...firstSegmentsOf(router)!].sort()).toEqual(['admin', 'apps', 'notifications']);
  });

  it('gives up (null: the router is always entered) when a path starts with a parameter or a pattern', () => {
    const byParam = Router();
    byParam.get('/:anything', (_req, res) => void res.end());
    const byRegExp = Router();
    byRegExp.get(/^\/x/, (_req, res) => void res.end());
    const nestedParam = Router();
    nestedParam.use(byParam);

    expect(firstSegmentsOf(byParam)).toBeNull();
    expect(firstSegmentsOf(byRegExp)).toBeNull();
    expect(firstSegmentsOf(nestedParam)).toBeNull();
  });
});

describe('enteredOnlyForItsPaths', () => {
  let server: Server;
  let port: number;
  const entered: string[] = [];

  beforeAll(async () => {
    const feature = (name: string, path: string) => {
      const router = Router();
      router.use((req, _res, next) => {
        entered.push(`${name} ${req.path}`);
        next();
      });
      router.get(path, (_req, res) => void res.send(name));
      return router;
    };
    const app = express();
    app.use('/api/v1', enteredOnlyForItsPaths(feature('a', '/alpha/:id')));
    app.use('/api/v1', enteredOnlyForItsPaths(feature('b', '/beta')));
    app.use((_req, res) => void res.status(404).send('none'));
    server = createServer(app);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
  });

  const get = (path: string) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      request({ host: '127.0.0.1', port, path }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode!, body }));
      })
        .on('error', reject)
        .end();
    });

  it("enters only the router whose paths the request's first segment starts, as express matches them", async () => {
    entered.length = 0;
    await expect(get('/api/v1/beta')).resolves.toEqual({ status: 200, body: 'b' });
    // Express matches without regard to case and with a trailing slash; so does the gate.
    await expect(get('/API/V1/Alpha/7/')).resolves.toEqual({ status: 200, body: 'a' });
    await expect(get('/api/v1/gamma')).resolves.toEqual({ status: 404, body: 'none' });
    expect(entered).toEqual(['b /beta', 'a /Alpha/7/']);
  });
});

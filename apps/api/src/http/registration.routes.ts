import type { RegisterUser } from '@pushline/application';
import { Router } from 'express';
import { z } from 'zod';
import { parseInput } from './errors.js';

export const RegisterBody = z.object({ email: z.string().min(3).max(254), password: z.string().min(12).max(200) });

/** `POST /api/v1/auth/register`, mounted only when `SELF_REGISTRATION_TENANT_ID` names the tenant sign-ups join. */
export function registrationRoutes(deps: { readonly registerUser: RegisterUser; readonly tenantId: string }): Router {
  const router = Router();
  router.post('/auth/register', async (req, res) => {
    const body = parseInput(RegisterBody, req.body);
    const user = await deps.registerUser.execute({ ...body, tenantId: deps.tenantId });
    res.status(201).json({ id: user.id, email: user.email });
  });
  return router;
}

import type { Prisma } from './generated/prisma/client.js';

/**
 * What the repositories run their queries on: the client itself or the transaction of a unit of work.
 * `PrismaClient` is assignable to it, so one repository class serves both.
 */
export type PrismaExecutor = Prisma.TransactionClient;

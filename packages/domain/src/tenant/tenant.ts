/** A company or workspace: its users, apps, events and notifications are invisible to every other tenant. */
export interface Tenant {
  readonly id: string;
  readonly name: string;
  readonly createdAt: Date;
}

export const TENANT_LIMITS = { nameMax: 200 } as const;

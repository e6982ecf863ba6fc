/** A company or workspace: its users, apps, events and notifications are invisible to every other tenant. */
export interface Tenant {
  readonly id: string;
  readonly name: string;
  readonly createdAt: Date;
  /** Set while an operator has the tenant disabled: its users' tokens and logins and its apps' keys are refused. */
  readonly disabledAt: Date | null;
}

export const TENANT_LIMITS = { nameMax: 200 } as const;


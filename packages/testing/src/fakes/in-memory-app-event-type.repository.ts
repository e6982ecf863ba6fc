import type { AppEventType, AppEventTypeRepository } from '@pushline/domain';

export class InMemoryAppEventTypeRepository implements AppEventTypeRepository {
  private readonly types: AppEventType[] = [];

  async create(type: AppEventType): Promise<boolean> {
    if (this.types.some((t) => t.appId === type.appId && t.type === type.type && t.version === type.version)) return false;
    this.types.push(type);
    return true;
  }

  async find(appId: string, type: string, version?: number): Promise<AppEventType | null> {
    const versions = this.types.filter((t) => t.appId === appId && t.type === type && (version === undefined || t.version === version));
    return versions.sort((a, b) => b.version - a.version)[0] ?? null;
  }

  async listByApp(appId: string): Promise<readonly AppEventType[]> {
    return this.types.filter((t) => t.appId === appId).sort((a, b) => (a.type === b.type ? a.version - b.version : a.type < b.type ? -1 : 1));
  }
}

import { APP_LIMITS, ForbiddenError, ValidationError, type AppAudience, type AppInstallationRepository, type AppPrincipal } from '@pushline/domain';

/**
 * The users an app's publish reaches. Every named user must have installed the app, or the whole
 * request is refused (403 `not_installed`) before anything is written; a user of another tenant is
 * simply not installed, so ids of other tenants cannot be probed.
 */
export async function resolveAppRecipients(
  installations: AppInstallationRepository,
  principal: AppPrincipal,
  audience: AppAudience,
): Promise<readonly string[]> {
  if ('tenant' in audience) return installations.installedUsers(principal.tenantId, principal.appId);
  const userIds = [...new Set('userId' in audience ? [audience.userId] : audience.userIds)];
  if (userIds.length === 0) throw new ValidationError('audience.userIds', 'name at least one user');
  if (userIds.length > APP_LIMITS.maxRecipients) throw new ValidationError('audience.userIds', `at most ${APP_LIMITS.maxRecipients} users per request`);
  const installed = await installations.installedAmong(principal.tenantId, principal.appId, userIds);
  const missing = userIds.filter((id) => !installed.has(id));
  if (missing.length > 0) {
    throw new ForbiddenError(`${missing.length} of the users have not installed this app (first: ${missing[0]}); nothing was published`, 'not_installed');
  }
  return userIds;
}

/**
 * The pack's trust options (pack.json, copied into the bundle manifest by `prodgate build`):
 * how long a waiver may run per environment, and where sign-off roles must be held by
 * different people. docs/hostile-evidence.md, "Waivers" and "Sign-off separation".
 */
export interface PackOptions {
  /** Longest waiver window, in days from the as-of date to `expires`, per environment. */
  waivers?: { maxDays: Record<string, number> };
  /** Environments where no person signs two sign-off roles, nor the security one as release owner. */
  signoffs?: { separateRoles: string[] };
}

/**
 * The window for an environment the pack names no window for: the shortest of the
 * default pack's windows, so that a pack that says nothing gets the strict one.
 */
export const DEFAULT_WAIVER_MAX_DAYS = 30;

/** The longest window any pack may set: a waiver is a bounded exception, not a policy change. */
export const WAIVER_MAX_DAYS_CEILING = 365;

/** The problems of the options in an untrusted pack.json or manifest (empty when usable). */
export function packOptionsProblems(
  value: { waivers?: unknown; signoffs?: unknown },
  environments: readonly string[],
): string[] {
  const problems: string[] = [];
  if (value.waivers !== undefined) {
    const maxDays = (value.waivers as { maxDays?: unknown } | null)?.maxDays;
    const keys =
      value.waivers && typeof value.waivers === 'object' ? Object.keys(value.waivers) : [];
    if (
      !maxDays ||
      typeof maxDays !== 'object' ||
      Array.isArray(maxDays) ||
      keys.some((k) => k !== 'maxDays')
    ) {
      problems.push('waivers must be {"maxDays": {"<environment>": <days>}}');
    } else {
      for (const [env, days] of Object.entries(maxDays)) {
        if (!environments.includes(env))
          problems.push(
            `waivers.maxDays names ${JSON.stringify(env)}, which is not an environment of the pack`,
          );
        if (
          !Number.isInteger(days) ||
          (days as number) < 0 ||
          (days as number) > WAIVER_MAX_DAYS_CEILING
        ) {
          problems.push(
            `waivers.maxDays.${env} must be a whole number of days from 0 to ${WAIVER_MAX_DAYS_CEILING}`,
          );
        }
      }
    }
  }
  if (value.signoffs !== undefined) {
    const roles = (value.signoffs as { separateRoles?: unknown } | null)?.separateRoles;
    const keys =
      value.signoffs && typeof value.signoffs === 'object' ? Object.keys(value.signoffs) : [];
    if (
      !Array.isArray(roles) ||
      keys.some((k) => k !== 'separateRoles') ||
      roles.some((e) => typeof e !== 'string' || !environments.includes(e))
    ) {
      problems.push('signoffs must be {"separateRoles": [<environments of the pack>]}');
    }
  }
  return problems;
}

/** The trust options of a checked pack.json or manifest, without anything else. */
export function packOptionsOf(value: PackOptions): PackOptions {
  return {
    ...(value.waivers ? { waivers: { maxDays: { ...value.waivers.maxDays } } } : {}),
    ...(value.signoffs ? { signoffs: { separateRoles: [...value.signoffs.separateRoles] } } : {}),
  };
}

/** The longest waiver window in `env`, in days. */
export function waiverMaxDays(options: PackOptions, env: string): number {
  return options.waivers?.maxDays[env] ?? DEFAULT_WAIVER_MAX_DAYS;
}

/** True when sign-off roles must be held by different people in `env`. */
export function signoffSeparation(options: PackOptions, env: string): boolean {
  return options.signoffs?.separateRoles.includes(env) ?? false;
}

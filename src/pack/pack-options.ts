/**
 * The evidence kinds that play a part prodgate itself knows (pack.json `evidenceKinds`):
 * src/ names no kind, the pack does. A part the pack leaves out is not played: with no
 * `waivers` kind no waiver is read. docs/authoring.md, "pack.json".
 */
export interface EvidenceKindRoles {
  /** The kind whose `waivers` list holds the waivers (the shape of schemas/evidence/waivers.v1). */
  waivers?: string;
  /**
   * The kind whose `owner` names the release owner: who may not approve a waiver, and whose
   * file anchors findings that have no file of their own (SARIF, annotations).
   */
  releaseOwner?: string;
  /**
   * The kind holding the sign-offs: a sign-off approves the digest of every other evidence
   * file, `input.bundle_digest_without.<kind>` (policies/signoff).
   */
  signoffs?: string;
}

export const EVIDENCE_KIND_ROLES = ['waivers', 'releaseOwner', 'signoffs'] as const;

/** An evidence kind's name as pack.json may give it: what `kind:` holds in evidence. */
const KIND_NAME = /^[a-z][a-z0-9-]{0,62}$/;

/**
 * The pack's trust options (pack.json, copied into the bundle manifest by `prodgate build`):
 * how long a waiver may run per environment, where sign-off roles must be held by
 * different people, and which evidence kinds hold waivers, the release owner and sign-offs.
 * docs/hostile-evidence.md, "Waivers" and "Sign-off separation".
 */
export interface PackOptions {
  /** Which evidence kind plays which part; absent: none does. */
  evidenceKinds?: EvidenceKindRoles;
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
  value: { waivers?: unknown; signoffs?: unknown; evidenceKinds?: unknown },
  environments: readonly string[],
): string[] {
  const problems: string[] = [...evidenceKindsProblems(value.evidenceKinds)];
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

function evidenceKindsProblems(value: unknown): string[] {
  if (value === undefined) return [];
  const shape = `evidenceKinds must be {${EVIDENCE_KIND_ROLES.map((r) => `"${r}": "<kind>"`).join(', ')}}, each optional`;
  if (!value || typeof value !== 'object' || Array.isArray(value)) return [shape];
  const roles: readonly string[] = EVIDENCE_KIND_ROLES;
  const problems: string[] = [];
  for (const [role, kind] of Object.entries(value)) {
    if (!roles.includes(role)) problems.push(`${shape}; "${role}" is not one`);
    else if (typeof kind !== 'string' || !KIND_NAME.test(kind))
      problems.push(`evidenceKinds.${role} must be an evidence kind name (lowercase, as in kind:)`);
  }
  return problems;
}

/** The trust options of a checked pack.json or manifest, without anything else. */
export function packOptionsOf(value: PackOptions): PackOptions {
  return {
    ...(value.evidenceKinds ? { evidenceKinds: { ...value.evidenceKinds } } : {}),
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

/** The evidence kind that plays `role` in this pack, or undefined when none does. */
export function kindFor(
  options: PackOptions,
  role: (typeof EVIDENCE_KIND_ROLES)[number],
): string | undefined {
  return options.evidenceKinds?.[role];
}

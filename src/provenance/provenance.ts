import { join } from 'node:path';
import type { ArtifactLimits } from '../collect/limits.js';
import type { DecidedEvaluation } from '../decide/decided-evaluation.js';
import type { Limits } from '../core/limits.js';
import { TOOL } from '../core/version.js';
import { ciContext, type CiContext } from './ci-context.js';
import { bundleDigest, evidenceDigestInput } from '../core/digest.js';
import { packRelative, type PackFileDigest } from './pack-digests.js';
import { packDigestsOnce } from './pack-digests-once.js';

/**
 * Where a verdict came from, recorded in every report so that an auditor can show,
 * offline and much later, that it was produced from exactly these evidence files,
 * this policy pack, this as-of date and this environment (docs/audit.md).
 *
 * Everything here is a function of the inputs: no absolute path, no clock, no host
 * name. The only part taken from the process is the CI context, and only from the
 * variables CI systems set (src/provenance/ci-context.ts).
 */
export interface Provenance {
  /** Version of this record's format. */
  provenanceVersion: 1;
  /** The prodgate that evaluated. */
  tool: { name: string; version: string };
  environment: string;
  /** The date every time-relative rule was judged at. */
  asOf: string;
  pack: {
    name: string;
    entrypoint: string;
    /** The OPA version that compiled policy.wasm (from the bundle manifest). */
    opaVersion: string;
    /** bundleDigest over `files`. */
    digest: string;
    files: PackFileDigest[];
  };
  evidence: {
    /** bundleDigest over `files`: the same value as the report's evidence.digest. */
    digest: string;
    /** Every evidence file, path relative to the evidence folder. */
    files: { path: string; sha256: string; gitBlob?: string }[];
    /**
     * kind -> the bundle digest over every file except that kind's file. A sign-off
     * records `digestWithout.signoff`: the digest of the evidence it approves.
     */
    digestWithout: Record<string, string>;
  };
  /**
   * The bounds the evidence was read within (file size, depth, ...): a verdict rests on
   * what was read, so `verify` re-reads with these. Absent in reports written before
   * they were recorded, which were read with the defaults.
   */
  limits?: Limits;
  /**
   * The bounds the artifacts were read within (size, nodes, test cases, ...), recorded as
   * the evidence limits are: `verify` re-reads the artifacts with these. Absent in reports
   * written before they were recorded, which were read with the defaults.
   */
  artifactLimits?: ArtifactLimits;
  /** The artifacts the evidence names (docs/artifacts.md); each is also in evidence.files. */
  artifacts?: {
    id: string;
    path: string;
    sha256: string;
    format: string;
    /** For a file read with git at the released revision: its repository path and blob id. */
    repoPath?: string;
    gitBlob?: string;
  }[];
  /** The CI run that evaluated, when a known CI system did. */
  ci?: CiContext;
}

/**
 * The provenance of one evaluation. `env` is the process environment (for the CI
 * context only); pass `{}` for a record without one. Pack files are read from disk,
 * except policy.wasm and the template, whose digests are those of the bytes evaluated.
 */
export function buildProvenance(evaluation: DecidedEvaluation, env: NodeJS.ProcessEnv): Provenance {
  const { pack } = evaluation;
  const digests = packDigestsOnce(pack);
  const wasmPath = packRelative(pack.paths, join(pack.paths.bundle, pack.manifest.wasm.path));
  const templatePath = packRelative(pack.paths, pack.paths.template);
  // The bytes evaluated are the truth; a file changed on disk since is not what decided.
  const files = digests.files.map((f) =>
    f.path === wasmPath
      ? { ...f, sha256: pack.wasmSha256 }
      : f.path === templatePath
        ? { ...f, sha256: pack.templateSha256 }
        : f,
  );
  const evidenceFiles = [
    ...evaluation.files.map((f) => ({ path: f.path, sha256: f.sha256 })),
    ...evaluation.artifacts.map((a) => ({
      path: a.path,
      sha256: a.sha256,
      ...(a.gitBlob ? { gitBlob: a.gitBlob } : {}),
    })),
  ];
  const artifacts = evaluation.artifacts.map((a) => ({
    id: a.id,
    path: a.path,
    sha256: a.sha256,
    format: a.format ?? '',
    ...(a.repoPath !== undefined ? { repoPath: a.repoPath } : {}),
    ...(a.gitBlob ? { gitBlob: a.gitBlob } : {}),
  }));
  return withCiContext(
    {
      provenanceVersion: 1,
      tool: { name: TOOL.name, version: TOOL.version },
      environment: evaluation.env,
      asOf: evaluation.asOf,
      pack: {
        name: pack.manifest.name,
        entrypoint: pack.manifest.entrypoint,
        opaVersion: pack.manifest.opaVersion,
        digest: bundleDigest(files),
        files,
      },
      evidence: {
        digest: bundleDigest(evidenceFiles),
        files: evidenceFiles,
        digestWithout: evidenceDigestInput(evidenceFiles, evaluation.input.evidence)
          .bundle_digest_without,
      },
      limits: { ...evaluation.limits },
      artifactLimits: { ...evaluation.artifactLimits },
      ...(artifacts.length ? { artifacts } : {}),
    },
    env,
  );
}

/**
 * A provenance record with the CI context of `env` added (the variables CI systems
 * set, ci-context.ts); `{}` adds none. Reads nothing but `env`.
 */
export function withCiContext(provenance: Provenance, env: NodeJS.ProcessEnv): Provenance {
  const ci = ciContext(env);
  return ci ? { ...provenance, ci } : provenance;
}

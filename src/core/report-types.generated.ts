// Generated from schemas/report.v1.schema.json by scripts/gen-report-types.mjs: do not edit.
// src/render/report.ts checks its Report type against SchemaReport at build time.

/**
 * The reasons of the gate's own decision this waiver accepted: violations of evidence that is present and valid, never missing or invalid evidence.
 *
 * @maxItems 10000
 */
export type Reasons = {
  /**
   * missing-evidence, invalid-evidence, stale-evidence, violation, not-applicable, policy-error, child-status or waived.
   */
  code: string;
  /**
   * Plain-language reason.
   */
  message: string;
  /**
   * Where the reason rests.
   *
   * @maxItems 1000
   */
  evidence: {
    /**
     * Evidence file.
     */
    file: string;
    /**
     * JSON pointer.
     */
    pointer: string;
    /**
     * 1-based line.
     */
    line?: number;
    /**
     * 1-based column.
     */
    column?: number;
  }[];
}[];
/**
 * A sha256 digest in hex.
 */
export type Sha256 = string;

/**
 * The machine-readable result of one `prodgate evaluate` for one environment: the verdict, every gate with its status and reasons, the diagnostics, and what it was computed from.
 */
export interface ProdgateVerdictReport {
  /**
   * Version of this report format.
   */
  reportVersion: 1;
  /**
   * The prodgate that wrote the report.
   */
  tool: {
    /**
     * Tool name.
     */
    name: string;
    /**
     * Tool version.
     */
    version: string;
  };
  /**
   * The environment evaluated. One plain path segment: verify and diff name files after it.
   */
  environment: string;
  /**
   * The as-of date every time-relative rule was judged at.
   */
  asOf: string;
  /**
   * GO only when no applicable gate is fail or error and the evidence has no errors.
   */
  verdict: 'GO' | 'NO-GO';
  /**
   * The compiled policy bundle and checklist template used.
   */
  policy: {
    /**
     * Pack name.
     */
    pack: string;
    /**
     * The policy entrypoint evaluated.
     */
    entrypoint: string;
    /**
     * OPA version that compiled policy.wasm.
     */
    opaVersion: string;
    /**
     * sha256 of policy.wasm.
     */
    wasmSha256: string;
    /**
     * sha256 of the checklist template.
     */
    templateSha256: string;
  };
  /**
   * The evidence files read.
   */
  evidence: {
    /**
     * sha256 over the sorted `sha256  path` lines of every file.
     */
    digest: string;
    /**
     * Every evidence file, in name order, then every artifact the evidence names, in the order listed.
     *
     * @maxItems 10000
     */
    files: {
      /**
       * Path relative to the evidence folder.
       */
      path: string;
      /**
       * The kind the file declares, or null.
       */
      kind: string | null;
      /**
       * sha256 of the file's bytes (empty when unreadable).
       */
      sha256: string;
      /**
       * False when the file has any error diagnostic.
       */
      valid: boolean;
      /**
       * For a file read with git at the released revision: its git blob id (docs/artifacts.md).
       */
      gitBlob?: string;
      /**
       * For an artifact (a test report, a scan log): its format (docs/artifacts.md).
       */
      format?: string;
    }[];
  };
  /**
   * How many gates have each status.
   */
  counts: {
    /**
     * Gates that pass.
     */
    pass: number;
    /**
     * Gates that fail.
     */
    fail: number;
    /**
     * Gates not applicable.
     */
    na: number;
    /**
     * Failing gates covered by a waiver.
     */
    waived: number;
    /**
     * Gates that could not be decided.
     */
    error: number;
  };
  /**
   * Problems with the evaluation itself; any makes the verdict NO-GO.
   *
   * @maxItems 1000
   */
  problems: string[];
  /**
   * Findings about the evidence files.
   *
   * @maxItems 100000
   */
  diagnostics: {
    /**
     * An error makes the verdict NO-GO.
     */
    severity: 'error' | 'warning';
    /**
     * Short stable code.
     */
    code: string;
    /**
     * File relative to the evidence folder.
     */
    file: string;
    /**
     * 1-based line.
     */
    line: number;
    /**
     * 1-based column.
     */
    column: number;
    /**
     * JSON pointer into the file.
     */
    pointer: string;
    /**
     * Plain-language message.
     */
    message: string;
  }[];
  /**
   * Every gate, in checklist order.
   *
   * @maxItems 10000
   */
  gates: {
    /**
     * Stable gate id.
     */
    id: string;
    /**
     * The checklist line.
     */
    title: string;
    /**
     * Checklist section.
     */
    section: string;
    /**
     * Severity from the gate's metadata.
     */
    severity: string;
    /**
     * Parent gate id, for a child gate.
     */
    parent?: string;
    /**
     * The gate's status.
     */
    status: 'pass' | 'fail' | 'na' | 'waived' | 'error';
    /**
     * The gate's rule for this environment.
     */
    rule: string;
    /**
     * Why the gate has its status.
     *
     * @maxItems 10000
     */
    reasons: {
      /**
       * missing-evidence, invalid-evidence, stale-evidence, violation, not-applicable, policy-error, child-status or waived.
       */
      code: string;
      /**
       * Plain-language reason.
       */
      message: string;
      /**
       * Where the reason rests.
       *
       * @maxItems 1000
       */
      evidence: {
        /**
         * Evidence file.
         */
        file: string;
        /**
         * JSON pointer.
         */
        pointer: string;
        /**
         * 1-based line.
         */
        line?: number;
        /**
         * 1-based column.
         */
        column?: number;
      }[];
    }[];
    /**
     * The waiver that made this gate waived.
     */
    waiver?: {
      /**
       * Gate id the waiver names.
       */
      gate: string;
      /**
       * Why the risk is accepted.
       */
      justification: string;
      /**
       * Who accepted it.
       */
      approver: string;
      /**
       * Last day the waiver is valid.
       */
      expires: string;
      /**
       * Tracking ticket link.
       */
      ticket?: string;
      covers?: Reasons;
    };
    /**
     * For a gate whose METADATA names facts to record: each such fact, claimed (typed in an evidence file) or recorded (read from an artifact), side by side (docs/artifacts.md).
     *
     * @maxItems 1000
     */
    facts?: {
      /**
       * The evidence file holding the fact.
       */
      file: string;
      /**
       * JSON pointer of the fact in that file.
       */
      pointer: string;
      /**
       * 1-based line of the fact.
       */
      line?: number;
      /**
       * 1-based column of the fact.
       */
      column?: number;
      /**
       * claimed: typed in evidence; recorded: read from an artifact.
       */
      source: 'claimed' | 'recorded';
      /**
       * For a recorded fact: the artifact it was read from.
       */
      artifact?: {
        /**
         * The artifact id.
         */
        id: string;
        /**
         * Path relative to the evidence folder.
         */
        path: string;
        /**
         * sha256 of the artifact's bytes.
         */
        sha256: string;
        /**
         * The format read with.
         */
        format: string;
        /**
         * Which tests (or the whole scan) the fact was read from.
         */
        selector: string;
      };
    }[];
  }[];
  /**
   * Where the verdict came from, so that an auditor can show offline that it was produced from exactly these evidence files, this policy pack, this as-of date and this environment (docs/audit.md). Everything but ci is recomputed by `prodgate verify`.
   */
  provenance: {
    /**
     * Version of this record's format.
     */
    provenanceVersion: 1;
    /**
     * The bounds the evidence was read within (src/limits/limits.ts; the evaluate flags --max-file-size and the others). `prodgate verify` re-reads the evidence within these.
     */
    limits?: {
      maxFileBytes: number;
      maxFiles: number;
      maxDepth: number;
      maxAliases: number;
      maxStringLength: number;
      maxBundleBytes: number;
      maxNodes: number;
      /**
       * Ceiling of the policy's WebAssembly memory, in bytes (--max-wasm-memory). Absent in reports written before it was recorded, which were evaluated with the default.
       */
      maxWasmMemory?: number;
    };
    /**
     * The bounds the artifacts were read within (src/collect/limits.ts; the evaluate flags --max-artifact-size and the others), recorded as the evidence limits are. `prodgate verify` re-reads the artifacts within these. Absent in reports written before they were recorded, which were read with the defaults.
     */
    artifactLimits?: {
      /**
       * Largest artifact read, in bytes (--max-artifact-size).
       */
      maxArtifactBytes: number;
      /**
       * Most XML elements or JSON values in one artifact (--max-artifact-nodes).
       */
      maxArtifactNodes: number;
      /**
       * Most test cases in one test report (--max-test-cases).
       */
      maxTestCases: number;
      /**
       * Most results in one scan report (--max-results).
       */
      maxResults: number;
      /**
       * Deepest nesting of elements or values.
       */
      maxArtifactDepth: number;
      /**
       * Longest attribute or JSON string kept, in characters.
       */
      maxArtifactString: number;
    };
    /**
     * The prodgate that evaluated.
     */
    tool: {
      /**
       * Tool name.
       */
      name: string;
      /**
       * Tool version.
       */
      version: string;
    };
    /**
     * The environment evaluated (the report's environment). One plain path segment: verify and diff name files after it.
     */
    environment: string;
    /**
     * The as-of date (the report's asOf).
     */
    asOf: string;
    /**
     * The policy pack: every file that decides, renders or rebuilds a verdict.
     */
    pack: {
      /**
       * Pack name, from the bundle manifest.
       */
      name: string;
      /**
       * The policy entrypoint evaluated.
       */
      entrypoint: string;
      /**
       * OPA version that compiled policy.wasm, from the bundle manifest.
       */
      opaVersion: string;
      /**
       * sha256 over the sorted `sha256  path` lines of every pack file.
       */
      digest: string;
      /**
       * Every pack file, in path order: pack.json, bundle/ (policy.wasm, manifest.json), the checklist template, the evidence schemas, the Rego sources (not their tests) and capabilities.json.
       *
       * @maxItems 10000
       */
      files: {
        /**
         * Path relative to the pack root, '/'-separated.
         */
        path: string;
        /**
         * What the file is.
         */
        role:
          | 'pack'
          | 'manifest'
          | 'wasm'
          | 'bundle'
          | 'template'
          | 'schema'
          | 'policy'
          | 'data'
          | 'capabilities';
        /**
         * sha256 of the file's bytes.
         */
        sha256: string;
      }[];
    };
    /**
     * The evidence bundle.
     */
    evidence: {
      /**
       * sha256 over the sorted `sha256  path` lines of every evidence file (the report's evidence.digest).
       */
      digest: string;
      /**
       * Every evidence file, in name order, never truncated (the digest covers them all).
       *
       * @maxItems 100000
       */
      files: {
        /**
         * Path relative to the evidence folder.
         */
        path: string;
        /**
         * sha256 of the file's bytes (empty when unreadable).
         */
        sha256: string;
        /**
         * For a file read with git at the released revision: its git blob id, in the digest line beside the sha256.
         */
        gitBlob?: string;
      }[];
      /**
       * Evidence kind -> the digest over every evidence file except that kind's file. A sign-off records digestWithout.signoff as its evidenceDigest: the evidence it approved.
       */
      digestWithout: {
        [k: string]: Sha256 | undefined;
      };
    };
    /**
     * The CI run that evaluated, from the provider's variables; absent outside CI or with --no-ci-context. Not recomputable: only a signature vouches for it.
     */
    ci?: {
      /**
       * github-actions, gitlab-ci, buildkite, circleci, azure-pipelines, jenkins or bitbucket-pipelines.
       */
      provider: string;
      /**
       * The commit the run checked out.
       */
      commit?: string;
      /**
       * The pipeline run id.
       */
      runId?: string;
      /**
       * Who triggered the run.
       */
      actor?: string;
      /**
       * The repository, as the provider names it.
       */
      repository?: string;
      /**
       * The branch or ref built.
       */
      ref?: string;
      /**
       * A link to the run.
       */
      runUrl?: string;
    };
    /**
     * The artifacts the evidence names (docs/artifacts.md): each is also in evidence.files, a subject of the attestation, and re-read by verify.
     *
     * @maxItems 100
     */
    artifacts?: {
      /**
       * The artifact id in the artifacts evidence.
       */
      id: string;
      /**
       * Path relative to the evidence folder.
       */
      path: string;
      /**
       * sha256 of the bytes read (empty when unreadable).
       */
      sha256: string;
      /**
       * For a file read with git at the released revision: its git blob id (docs/artifacts.md).
       */
      gitBlob?: string;
      /**
       * For a file read with git at the released revision: its path in the repository (its path is <revision>:<repoPath>).
       */
      repoPath?: string;
      /**
       * The format read with (empty when none applied).
       */
      format: string;
    }[];
  };
}

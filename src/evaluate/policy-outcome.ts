/**
 * The policy's answer to one input: its result (the decision document, unchecked), or
 * the error it raised, normalised to a message (opa-wasm throws strings and objects).
 * Made by wasm-policy.ts and by the `opa eval` cross-check; read by decide/.
 */
export type PolicyOutcome = { ok: true; result: unknown } | { ok: false; error: string };

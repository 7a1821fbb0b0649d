// Redaction lives in the bottom layer (src/text/redact.ts) so that every stage, from
// loading a file name on, can apply the same rules; renderers import it from here.
export { REDACTED, redactDeep, redactSecrets } from '../text/redact.js';

// The hostile evidence cases: each starts from a copy of the GO example (evidence/prod)
// and makes it hostile in one way. Run through the CLI by hostile.test.ts.
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { editYaml } from './helpers.ts';

export interface Expected {
  file: string;
  code: string;
  message: RegExp;
}

export interface HostileCase {
  name: string;
  /** Makes the copy of evidence/prod in `dir` hostile. */
  prepare(dir: string): Promise<void>;
  /** Extra CLI flags (limits). */
  args?: string[];
  command?: 'evaluate' | 'validate';
  exit: 0 | 1 | 2;
  /** The one-line diagnostics it must print: the file each names ('' for the folder), its code, its message. */
  diagnostics?: Expected[];
  /** For hostile values that are policy matters (links): gates that must fail and the summary line saying why. */
  gates?: { id: string; line: RegExp }[];
  /** Why a case that looks hostile is accepted (exit 0), for the record. */
  accepted?: string;
}

const text = (dir: string, file: string): Promise<string> => readFile(join(dir, file), 'utf8');
const put = (dir: string, file: string, content: string | Buffer): Promise<void> =>
  writeFile(join(dir, file), content);

/** Replaces one line of an evidence file (the line must exist). */
async function replaceLine(dir: string, file: string, from: string, to: string): Promise<void> {
  const before = await text(dir, file);
  if (!before.includes(from)) throw new Error(`${file} has no "${from}"`);
  await put(dir, file, before.replace(from, to));
}

/** The prod secret scan as a claim (it is recorded from an artifact there) with this openFindings value. */
function claimedScan(openFindings: string): [string, string] {
  return [
    '    recordedBy: { artifact: secret-scan }',
    `    tool: gitleaks 8.30\n    revision: 3f9c2a7e5b1d4c8a9e0f6b2d7c1a5e3f8b4d9c0a\n    date: "2026-11-19"\n    openFindings: ${openFindings}`,
  ];
}

/** Swaps a YAML evidence file for a JSON one of the same kind (so its gates read it). */
async function asJson(dir: string, kind: string, json: string): Promise<void> {
  await rm(join(dir, `${kind}.yaml`));
  await put(dir, `${kind}.json`, json);
}

const BILLION_LAUGHS = (() => {
  const lines = [
    'kind: security',
    'schemaVersion: 1',
    'a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]',
  ];
  let previous = 'a';
  for (const name of ['b', 'c', 'd', 'e', 'f', 'g', 'h', 'i']) {
    lines.push(`${name}: &${name} [${Array(9).fill(`*${previous}`).join(', ')}]`);
    previous = name;
  }
  return `${lines.join('\n')}\n`;
})();

/** A summary line: `FAIL   <gate>: link "…" is not usable: <problem> (<file>:line:col <pointer>)`. */
function linkLine(gate: string, problem: string, file: string, pointer: string): RegExp {
  const esc = (t: string): string => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(
    `^ {2}FAIL {3}${esc(gate)}: link ".*" is not usable: ${esc(problem)} \\(${esc(file)}:\\d+:\\d+ ${esc(pointer)}\\)$`,
  );
}

const one = (file: string, code: string, message: RegExp): Expected[] => [{ file, code, message }];

export const CASES: HostileCase[] = [
  // --- bounds -------------------------------------------------------------------
  {
    name: 'YAML alias bomb (billion laughs)',
    prepare: (dir) => put(dir, 'security.yaml', BILLION_LAUGHS),
    exit: 1,
    diagnostics: one(
      'security.yaml',
      'limit-exceeded',
      /more than 100000 values once aliases are expanded/,
    ),
  },
  {
    name: 'YAML with more aliases than --max-aliases (default 100)',
    prepare: (dir) =>
      put(
        dir,
        'security.yaml',
        `kind: security\nschemaVersion: 1\nx: &x 1\nlist: [${Array(150).fill('*x').join(', ')}]\n`,
      ),
    exit: 1,
    diagnostics: one('security.yaml', 'limit-exceeded', /more than 100 aliases/),
  },
  {
    name: '100,000-deep nesting in JSON',
    prepare: (dir) => asJson(dir, 'security', `${'['.repeat(100_000)}${']'.repeat(100_000)}`),
    exit: 1,
    diagnostics: one('security.json', 'limit-exceeded', /nesting deeper than 64 levels/),
  },
  {
    name: '100,000-deep nesting in YAML (flow mappings and block sequences)',
    prepare: async (dir) => {
      await put(
        dir,
        'security.yaml',
        `kind: security\nx: ${'{a: '.repeat(100_000)}1${'}'.repeat(100_000)}\n`,
      );
      await put(dir, 'ops.yaml', `${'- '.repeat(100_000)}x\n`);
    },
    exit: 1,
    diagnostics: [
      { file: 'security.yaml', code: 'limit-exceeded', message: /nesting deeper than 64 levels/ },
      { file: 'ops.yaml', code: 'limit-exceeded', message: /nesting deeper than 64 levels/ },
    ],
  },
  {
    name: 'a file larger than the default 1 MiB limit',
    prepare: async (dir) =>
      put(dir, 'security.yaml', `${await text(dir, 'security.yaml')}# ${'x'.repeat(1_600_000)}\n`),
    exit: 1,
    diagnostics: one(
      'security.yaml',
      'limit-exceeded',
      /over the 1048576-byte file size limit \(max-file-size\)/,
    ),
  },
  {
    name: 'files larger than --max-file-size 1K',
    prepare: async () => undefined,
    args: ['--max-file-size', '1K'],
    exit: 1,
    diagnostics: one(
      'security.yaml',
      'limit-exceeded',
      /1451 bytes, over the 1024-byte file size limit/,
    ),
  },
  {
    name: 'a bundle larger than --max-bundle-size 6K',
    prepare: async () => undefined,
    args: ['--max-bundle-size', '6K'],
    exit: 1,
    diagnostics: one(
      'tenancy.yaml',
      'limit-exceeded',
      /over the 6144-byte bundle size limit \(max-bundle-size\)/,
    ),
  },
  {
    name: 'a key longer than --max-string-length 100 (JSON)',
    prepare: (dir) => asJson(dir, 'signoff', `{"kind": "signoff", "${'k'.repeat(500)}": 1}`),
    args: ['--max-string-length', '100'],
    exit: 1,
    diagnostics: one(
      'signoff.json',
      'limit-exceeded',
      /key of 500 characters, over the 100-character limit/,
    ),
  },
  {
    name: 'a string longer than the default --max-string-length 16384',
    prepare: (dir) =>
      editYaml(dir, 'ops.yaml', (d) => (d['dr'].tabletop.notes = 'n'.repeat(20_000))),
    exit: 1,
    diagnostics: one(
      'ops.yaml',
      'limit-exceeded',
      /string of 20000 characters, over the 16384-character limit/,
    ),
  },
  {
    name: 'thousands of evidence files (5,000, over the default 200)',
    prepare: async (dir) => {
      for (let i = 0; i < 5000; i++)
        await put(dir, `extra-${String(i).padStart(4, '0')}.yaml`, `kind: extra\n`);
    },
    exit: 1,
    diagnostics: one(
      '',
      'limit-exceeded',
      /holds 5010 entries, over the 200-entry limit \(max-files\); no file was read/,
    ),
  },
  {
    name: 'thousands of evidence files (3,000, under --max-files 5000)',
    prepare: async (dir) => {
      for (let i = 0; i < 3000; i++)
        await put(
          dir,
          `extra-${String(i).padStart(4, '0')}.json`,
          `{"kind": "extra-${i}", "schemaVersion": 1}`,
        );
    },
    args: ['--max-files', '5000'],
    exit: 1,
    diagnostics: one('extra-2999.json', 'unknown-kind', /unknown kind "extra-2999"/),
  },
  {
    name: 'a 1 MB JSON file with 99,000 unknown keys',
    prepare: (dir) =>
      asJson(
        dir,
        'security',
        `{"kind":"security","schemaVersion":1,${Array.from({ length: 99_000 }, (_, i) => `"${i}":1`).join(',')}}`,
      ),
    exit: 1,
    diagnostics: one(
      'security.json',
      'limit-exceeded',
      /and 98901 more problems in this file, not listed \(at most 100 per file\)/,
    ),
  },
  {
    name: 'a limit flag that is not a number',
    prepare: async () => undefined,
    args: ['--max-depth', 'deep'],
    exit: 2,
  },

  // --- encodings ----------------------------------------------------------------
  {
    name: 'invalid UTF-8 (a lone continuation byte), and UTF-16 with its byte order mark',
    prepare: async (dir) => {
      await put(
        dir,
        'release.yaml',
        Buffer.from([...Buffer.from('kind: release\nnote: '), 0x80, 0xc3, 0x28, 0x0a]),
      );
      await put(
        dir,
        'security.yaml',
        Buffer.concat([
          Buffer.from([0xff, 0xfe]),
          Buffer.from(await text(dir, 'security.yaml'), 'utf16le'),
        ]),
      );
    },
    exit: 1,
    diagnostics: [
      { file: 'release.yaml', code: 'parse-error', message: /not valid UTF-8/ },
      { file: 'security.yaml', code: 'parse-error', message: /not valid UTF-8/ },
    ],
  },
  {
    name: 'a UTF-8 byte order mark (allowed; positions unchanged)',
    prepare: async (dir) =>
      put(
        dir,
        'ops.yaml',
        `\ufeff${(await text(dir, 'ops.yaml')).replace('  serialized: true', '  serialized: true\n  parallel: true')}`,
      ),
    exit: 1,
    diagnostics: [
      {
        file: 'ops.yaml',
        code: 'schema-violation',
        message: /^\s*\S+ops\.yaml:8:3: error: unknown field "parallel"/,
      },
    ],
  },
  {
    name: 'a UTF-8 byte order mark on a valid file',
    prepare: async (dir) => put(dir, 'ops.yaml', `\ufeff${await text(dir, 'ops.yaml')}`),
    exit: 0,
    accepted:
      'RFC 8259 and YAML 1.2 allow a leading BOM; it is dropped before parsing and the file is valid',
  },
  {
    name: 'NUL bytes in YAML and in a JSON string',
    prepare: async (dir) => {
      await replaceLine(
        dir,
        'security.yaml',
        '  allowCredentials: true',
        '  allowCredentials: true\u0000',
      );
      await asJson(
        dir,
        'signoff',
        '{"kind": "signoff", "schemaVersion": 1, "product": {"name": "a\u0000b"}}',
      );
    },
    exit: 1,
    diagnostics: [
      {
        file: 'security.yaml',
        code: 'parse-error',
        message: /:17:25: error: the file contains a NUL byte/,
      },
      { file: 'signoff.json', code: 'parse-error', message: /contains a NUL byte/ },
    ],
  },

  // --- empty and non-object documents ---------------------------------------------
  {
    name: 'an empty YAML file, a YAML file of comments only, an empty JSON file',
    prepare: async (dir) => {
      await put(dir, 'security.yaml', '');
      await put(dir, 'ops.yaml', '# nothing here\n# kind: ops\n---\n');
      await asJson(dir, 'signoff', '');
    },
    exit: 1,
    diagnostics: [
      {
        file: 'security.yaml',
        code: 'not-an-object',
        message: /the document is empty \(nothing but whitespace or comments\)/,
      },
      { file: 'ops.yaml', code: 'not-an-object', message: /the document is empty/ },
      { file: 'signoff.json', code: 'parse-error', message: /unexpected end of file/ },
    ],
  },
  {
    name: 'roots that are not objects: a JSON list, JSON null, a YAML string',
    prepare: async (dir) => {
      await asJson(dir, 'security', '[{"kind": "security", "schemaVersion": 1}]');
      await asJson(dir, 'ops', 'null');
      await put(dir, 'signoff.yaml', 'kind signoff\n');
    },
    exit: 1,
    diagnostics: [
      { file: 'security.json', code: 'not-an-object', message: /the document is a list/ },
      { file: 'ops.json', code: 'not-an-object', message: /the document is null/ },
      { file: 'signoff.yaml', code: 'not-an-object', message: /the document is a string/ },
    ],
  },

  // --- keys -----------------------------------------------------------------------
  {
    name: '__proto__, constructor and prototype keys in JSON and YAML (see also prototype.test.ts)',
    prepare: async (dir) => {
      await asJson(
        dir,
        'signoff',
        '{"kind": "signoff", "schemaVersion": 1, "__proto__": {"polluted": true}}',
      );
      await put(
        dir,
        'topology.yaml',
        `${await text(dir, 'topology.yaml')}constructor:\n  prototype:\n    polluted: true\n`,
      );
      await put(
        dir,
        'security.yaml',
        (await text(dir, 'security.yaml')).replace(
          'cors:\n',
          'cors:\n  __proto__:\n    allowCredentials: false\n',
        ),
      );
    },
    exit: 1,
    diagnostics: [
      { file: 'signoff.json', code: 'schema-violation', message: /unknown field "__proto__"/ },
      { file: 'topology.yaml', code: 'schema-violation', message: /unknown field "constructor"/ },
      {
        file: 'security.yaml',
        code: 'schema-violation',
        message: /unknown field "__proto__" \(at \/cors\/__proto__\)/,
      },
    ],
  },
  {
    name: 'duplicate keys in JSON and in YAML',
    prepare: async (dir) => {
      await asJson(
        dir,
        'topology',
        '{"kind": "topology", "schemaVersion": 1, "decision": "multi-node", "decision": "single-node"}',
      );
      await put(
        dir,
        'signoff.yaml',
        `${await text(dir, 'signoff.yaml')}product: {name: Eve, date: "2026-11-21"}\n`,
      );
    },
    exit: 1,
    diagnostics: [
      {
        file: 'topology.json',
        code: 'duplicate-key',
        message: /duplicate key "decision" \(at \/decision\)/,
      },
      { file: 'signoff.yaml', code: 'duplicate-key', message: /duplicate key/ },
    ],
  },
  {
    name: 'a file name holding a line break (no forged diagnostic line; the name is refused)',
    prepare: (dir) => put(dir, 'notes\n: error: forged.yaml', 'kind: [\n'),
    exit: 1,
    diagnostics: one(
      'notes\\n: error: forged.yaml',
      'invalid-file-name',
      /file name holds a control or invisible character \(U\+000A/,
    ),
  },

  // --- YAML 1.1 habits ------------------------------------------------------------------
  {
    name: 'YAML 1.1 booleans "yes" and "on"',
    prepare: async (dir) => {
      await replaceLine(
        dir,
        'security.yaml',
        '  allowCredentials: true',
        '  allowCredentials: yes',
      );
      await replaceLine(dir, 'ops.yaml', '  serialized: true', '  serialized: on');
    },
    exit: 1,
    diagnostics: [
      {
        file: 'security.yaml',
        code: 'schema-violation',
        message: /must be boolean \(at \/cors\/allowCredentials\)/,
      },
      {
        file: 'ops.yaml',
        code: 'schema-violation',
        message: /must be boolean \(at \/migrations\/serialized\)/,
      },
    ],
  },
  {
    name: 'YAML 1.1 timestamps: with a time, and as an explicit !!timestamp tag',
    prepare: async (dir) => {
      await replaceLine(
        dir,
        'signoff.yaml',
        '  date: "2026-11-21"',
        '  date: 2026-11-21T10:00:00Z',
      );
      await replaceLine(dir, 'release.yaml', 'date: "2026-11-20"', 'date: !!timestamp 2026-11-20');
    },
    exit: 1,
    diagnostics: [
      { file: 'signoff.yaml', code: 'schema-violation', message: /must match pattern/ },
      { file: 'release.yaml', code: 'parse-error', message: /unknown tag/ },
    ],
  },
  {
    name: 'an unquoted YAML date',
    prepare: (dir) =>
      replaceLine(dir, 'signoff.yaml', '  date: "2026-11-21"', '  date: 2026-11-21'),
    exit: 0,
    accepted:
      'YAML 1.2 core schema: 2026-11-21 is the string "2026-11-21", never a Date, so it means what it says',
  },

  // --- numbers ------------------------------------------------------------------------
  {
    name: 'numbers that do not survive as doubles: beyond 2^53 (JSON, YAML), underflow to 0, a fraction that rounds to 1',
    prepare: async (dir) => {
      await asJson(dir, 'topology', '{"kind": "topology", "schemaVersion": 9007199254740993}');
      await replaceLine(dir, 'security.yaml', ...claimedScan('1e-400'));
      await put(dir, 'big.yaml', 'kind: extra\nn: 18446744073709551616\n');
      await asJson(dir, 'signoff', '{"kind": "signoff", "schemaVersion": 1.0000000000000001}');
    },
    exit: 1,
    diagnostics: [
      {
        file: 'topology.json',
        code: 'inexact-number',
        message: /number 9007199254740993 is beyond 2\^53/,
      },
      {
        file: 'security.yaml',
        code: 'inexact-number',
        message:
          /number 1e-400 is too small to represent \(it reads as 0\) \(at \/secrets\/secretScan\/openFindings\)/,
      },
      { file: 'big.yaml', code: 'inexact-number', message: /beyond 2\^53/ },
      {
        file: 'signoff.json',
        code: 'inexact-number',
        message: /not a whole number but reads as 1 \(at \/schemaVersion\)/,
      },
    ],
  },
  {
    name: 'NaN and infinities: YAML .nan and -.inf, JSON NaN and -Infinity',
    prepare: async (dir) => {
      await replaceLine(dir, 'security.yaml', ...claimedScan('.nan'));
      await put(dir, 'inf.yaml', 'kind: extra\nn: -.inf\n');
      await asJson(dir, 'topology', '{"kind": "topology", "schemaVersion": NaN}');
      await asJson(dir, 'signoff', '{"kind": "signoff", "schemaVersion": -Infinity}');
    },
    exit: 1,
    diagnostics: [
      { file: 'security.yaml', code: 'inexact-number', message: /NaN has no JSON form/ },
      { file: 'inf.yaml', code: 'inexact-number', message: /reads as infinity/ },
      { file: 'topology.json', code: 'parse-error', message: /unexpected character 'N'/ },
      { file: 'signoff.json', code: 'parse-error', message: /unexpected character/ },
    ],
  },
  {
    // js-yaml's float type refuses literals that overflow, so 1e400 is the string "1e400".
    name: 'YAML 1e400 (overflows: read as a string)',
    prepare: (dir) => replaceLine(dir, 'security.yaml', ...claimedScan('1e400')),
    exit: 1,
    diagnostics: one('security.yaml', 'schema-violation', /must be integer/),
  },

  // --- tags -------------------------------------------------------------------------------
  {
    name: 'unknown tags: !!js/function, a local !custom, !!binary',
    prepare: async (dir) => {
      await replaceLine(
        dir,
        'topology.yaml',
        'decision: single-node',
        'decision: !!js/function "function () { return 1 }"',
      );
      await replaceLine(dir, 'release.yaml', 'environment: prod', 'environment: !custom prod');
      await replaceLine(dir, 'runbook.yaml', 'kind: runbook', 'kind: !!binary cnVuYm9vaw==');
    },
    exit: 1,
    diagnostics: [
      {
        file: 'topology.yaml',
        code: 'parse-error',
        message: /unknown tag !<tag:yaml.org,2002:js\/function>/,
      },
      { file: 'release.yaml', code: 'parse-error', message: /unknown tag !<!custom>/ },
      {
        file: 'runbook.yaml',
        code: 'parse-error',
        message: /unknown tag !<tag:yaml.org,2002:binary>/,
      },
    ],
  },

  // --- the file system ---------------------------------------------------------------------
  {
    name: 'symlinks that point outside the bundle: to a copy elsewhere, to a system file',
    prepare: async (dir) => {
      const outside = await mkdtemp(join(tmpdir(), 'prodgate-outside-'));
      await put(outside, 'security.yaml', await text(dir, 'security.yaml'));
      await rm(join(dir, 'security.yaml'));
      await symlink(join(outside, 'security.yaml'), join(dir, 'security.yaml'));
      await rm(join(dir, 'release.yaml'));
      await symlink('/etc/passwd', join(dir, 'release.yaml'));
    },
    exit: 1,
    diagnostics: [
      {
        file: 'security.yaml',
        code: 'unsafe-path',
        message: /is a symbolic link that leads outside the evidence folder; not read/,
      },
      { file: 'release.yaml', code: 'unsafe-path', message: /leads outside the evidence folder/ },
    ],
  },
  {
    name: 'a FIFO (no writer: must not hang) and a directory, named like evidence files',
    prepare: async (dir) => {
      await rm(join(dir, 'ops.yaml'));
      execFileSync('mkfifo', [join(dir, 'ops.yaml')]);
      await rm(join(dir, 'signoff.yaml'));
      await mkdir(join(dir, 'signoff.yaml'));
      await put(join(dir, 'signoff.yaml'), 'inner.yaml', 'kind: signoff\n');
    },
    exit: 1,
    diagnostics: [
      {
        file: 'ops.yaml',
        code: 'unreadable',
        message: /a FIFO \(named pipe\), not a regular file/,
      },
      { file: 'signoff.yaml', code: 'unreadable', message: /a directory, not a regular file/ },
    ],
  },
  {
    // Tests run as root, for whom chmod 000 does not stop reading: a dangling link and a
    // loop of links are entries that honestly cannot be read, whoever runs.
    name: 'unreadable files: a broken symlink, a symlink loop',
    prepare: async (dir) => {
      await rm(join(dir, 'runbook.yaml'));
      await symlink(join(dir, 'runbook-was-here.yaml.gone'), join(dir, 'runbook.yaml'));
      await rm(join(dir, 'topology.yaml'));
      await symlink('topology.yml', join(dir, 'topology.yaml'));
      await symlink('topology.yaml', join(dir, 'topology.yml'));
    },
    exit: 1,
    diagnostics: [
      {
        file: 'runbook.yaml',
        code: 'unreadable',
        message: /it does not exist \(a broken symbolic link\?\)/,
      },
      { file: 'topology.yaml', code: 'unreadable', message: /it is a loop of symbolic links/ },
    ],
  },

  // --- links (a policy matter: the gate fails, the reason is one line) ----------------------
  {
    name: 'runbook links: a ../ escape, an absolute path, a file: URL, a javascript: URL; a URL with credentials',
    prepare: async (dir) => {
      await editYaml(dir, 'runbook.yaml', (d) => {
        d['primary'] = '../../../etc/passwd';
        d['rollback'] = '/etc/passwd';
        d['backupRestore'] = 'file:///etc/passwd';
        d['knownIssues'] = 'javascript:alert(document.cookie)';
      });
      await editYaml(
        dir,
        'security.yaml',
        (d) =>
          (d['retention'].erasure.documentation =
            'https://deploy:hunter2@wiki.todox.example/erasure'),
      );
    },
    exit: 1,
    gates: [
      {
        id: 'runbook.primary',
        line: linkLine(
          'runbook.primary',
          'the path leaves the repository',
          'runbook.yaml',
          '/primary',
        ),
      },
      {
        id: 'runbook.rollback',
        line: linkLine(
          'runbook.rollback',
          'an absolute path; links must be repository-relative',
          'runbook.yaml',
          '/rollback',
        ),
      },
      {
        id: 'runbook.backup-restore',
        line: linkLine(
          'runbook.backup-restore',
          'a URL must be https, not file',
          'runbook.yaml',
          '/backupRestore',
        ),
      },
      {
        id: 'runbook.known-issues',
        line: linkLine(
          'runbook.known-issues',
          'a URL must be https, not javascript',
          'runbook.yaml',
          '/knownIssues',
        ),
      },
      {
        id: 'security.retention.erasure',
        line: linkLine(
          'security.retention.erasure',
          'the URL carries credentials (user information before @)',
          'security.yaml',
          '/retention/erasure/documentation',
        ),
      },
    ],
  },

  // --- strings built to make patterns backtrack -------------------------------------------
  {
    name: '16,000-character strings against the revision, date and duration patterns',
    prepare: async (dir) => {
      await editYaml(dir, 'release.yaml', (d) => (d['revision'] = `${'a'.repeat(16_000)}!`));
      await editYaml(
        dir,
        'signoff.yaml',
        (d) => (d['product'].date = `${'2026-11-21'.repeat(1600)}x`),
      );
      await editYaml(dir, 'ops.yaml', (d) => (d['dr'].rpo = `${'9'.repeat(16_000)}x`));
    },
    exit: 1,
    diagnostics: [
      {
        file: 'release.yaml',
        code: 'schema-violation',
        message: /(must NOT have more than 40 characters|must match pattern) \(at \/revision\)/,
      },
      { file: 'signoff.yaml', code: 'schema-violation', message: /\(at \/product\/date\)/ },
      { file: 'ops.yaml', code: 'schema-violation', message: /\(at \/dr\/rpo\)/ },
    ],
  },
  {
    name: 'near-miss URLs and credentials built to make the redaction patterns backtrack',
    // As a key, so that the message quotes it ("unknown field ...") and every renderer redacts it.
    prepare: (dir) =>
      editYaml(
        dir,
        'release.yaml',
        (d) => (d[`${'x://a'.repeat(1500)}${'eyJ'.repeat(1000)}${'password: '.repeat(500)}`] = 1),
      ),
    exit: 1,
    diagnostics: one('release.yaml', 'schema-violation', /unknown field "x:\/\/ax:\/\/a/),
  },
];

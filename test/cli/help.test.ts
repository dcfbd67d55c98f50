/**
 * What the command says about itself: --version, `help <command>`, each command's --help naming every flag with a
 * description and giving an example, suggestions for a mistyped command or flag, and --format checked by every
 * command that has it before anything is opened.
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CliError } from '../../lib/cli/errors.js';
import { nearest } from '../../lib/cli/help.js';
import { main } from '../../lib/cli/main.js';
import { COMMANDS, COMMON_FLAGS } from '../../lib/cli/registry.js';
import { stratify } from './run-stratify.js';

/** what main() printed with console.log, and its exit code or error */
async function run(argv: string[]): Promise<{ out: string; code?: number; error?: CliError }> {
  const lines: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void lines.push(a.join(' ')));
  try {
    const code = await main(argv);
    return { out: lines.join('\n'), code };
  } catch (e) {
    if (!(e instanceof CliError)) throw e;
    return { out: lines.join('\n'), error: e };
  } finally {
    log.mockRestore();
  }
}

describe('stratify help', () => {
  afterEach(() => vi.restoreAllMocks());

  it('--version prints the version of package.json', async () => {
    const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    const r = await stratify(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${version}\n`);
  });

  it("every command's --help (and `help <command>`) lists each of its flags with a description, and an example", async () => {
    for (const [name, spec] of Object.entries(COMMANDS)) {
      const { out, code } = await run([name, '--help']);
      expect(code, name).toBe(0);
      expect((await run(['help', name])).out, name).toBe(out);
      expect(out, name).toContain(`usage: ${spec.usage}`);
      for (const [flag, f] of Object.entries({ ...spec.flags, ...COMMON_FLAGS })) {
        const line = out.split('\n').find((l) => new RegExp(`^ {2}(-\\w, | {4})--${flag}\\b`).test(l));
        expect(line, `${name} --${flag}`).toBeDefined();
        expect(line!.trimEnd().endsWith(f.description), `${name} --${flag}`).toBe(true);
        expect(f.description.length, `${name} --${flag}`).toBeGreaterThan(8);
      }
      const examples = out.slice(out.indexOf('examples:')).split('\n').slice(1);
      expect(examples.length, name).toBeGreaterThan(0);
      for (const e of examples) expect(e.trim().startsWith(`stratify ${name}`), `${name}: ${e}`).toBe(true);
    }
  });

  it('suggests the nearest command or flag for a mistyped one', async () => {
    const cmd = await stratify(['sqll', 'select 1']);
    expect(cmd.code).toBe(2);
    expect(cmd.stderr).toContain("unknown command 'sqll' (did you mean `sql`?)");
    const flag = await stratify(['sql', 'select 1', '--fromat', 'csv']);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toMatch(/^stratify: unknown option '--fromat' \(did you mean --format\?\)/);
    expect(nearest('worklists', Object.keys(COMMANDS))).toBe('worklist');
    expect(nearest('scorcard', Object.keys(COMMANDS))).toBe('scorecard');
    expect(nearest('describ', Object.keys(COMMANDS))).toBe('describe');
    // nothing close: no guess rather than a wrong one
    expect(nearest('frobnicate', Object.keys(COMMANDS))).toBeUndefined();
    expect((await run(['help', 'hcx'])).error?.message).toContain('did you mean `hcc`?');
  });

  it('every command with --format refuses a format it does not know, before it opens anything', async () => {
    const withFormat = Object.entries(COMMANDS).filter(([, spec]) => 'format' in spec.flags).map(([name]) => name);
    expect(withFormat).toEqual(expect.arrayContaining(['sql', 'worklist', 'history', 'scorecard', 'tables', 'describe']));
    for (const name of withFormat) {
      const r = await run([name, '--format', 'bogus', '--home', '/nonexistent/stratify-home']);
      expect(r.error?.message, name).toBe('--format bogus: expected one of table, csv, json');
      expect(r.error?.exitCode, name).toBe(2);
    }
    const worklist = await stratify(['worklist', '--partner', 'pressurepoint', '--format', 'bogus']);
    expect(worklist.code).toBe(2);
    expect(worklist.stderr).toContain('--format bogus: expected one of table, csv, json');
  });
});

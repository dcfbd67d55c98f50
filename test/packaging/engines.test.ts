/**
 * CI runs Node 20 (package.json `engines`): every package the lockfile installs must say it runs there. npm only warns
 * about a package that asks for a newer Node, and `npm ci` installs it anyway; this test is what stops one slipping in
 * with an update (cookie 2, under the SQS emulator's web server, asked for Node 22 until light-my-request was held at
 * 6.6.0 in `overrides`).
 */
import { readFileSync } from 'node:fs';
import { minVersion, satisfies } from 'semver';
import { describe, expect, it } from 'vitest';

const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { engines: { node: string } };
const lock = JSON.parse(readFileSync('package-lock.json', 'utf8')) as {
  packages: Record<string, { version?: string; engines?: { node?: string } | string[] }>;
};

/** the oldest Node our `engines` admits: what every dependency must admit too */
const oldest = minVersion(pkg.engines.node)!.version;

describe('dependencies and the Node version CI runs', () => {
  it('our engines range starts at a Node 20 release', () => {
    expect(oldest.startsWith('20.')).toBe(true);
  });

  it('every installed package admits the oldest Node our engines range allows', () => {
    const refusing = Object.entries(lock.packages)
      .filter(([path]) => path !== '')
      .flatMap(([path, p]) => {
        // a few old packages wrote engines as a list of strings, which npm ignores
        const range = Array.isArray(p.engines) ? undefined : p.engines?.node;
        return range !== undefined && !satisfies(oldest, range) ? [`${path}@${p.version} wants node ${range}`] : [];
      });
    expect(refusing).toEqual([]);
  });
});

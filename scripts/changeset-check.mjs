#!/usr/bin/env node
// A dry check of the release: apply the pending changesets (`changeset version`) to a copy of the
// workspace and verify the bumps are the ones the changesets ask for, that private workspaces
// (examples, bench) are never versioned, and that internal dependency ranges follow the bumps.
// Nothing in the real workspace changes. Results go to .changeset-check/results.json.
import { spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { workspaceFolders } from './workspaces.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const work = join(root, '.changeset-check');
const copy = mkdtempSync(join(tmpdir(), 'mailtrap-kit-changeset-check-'));
const results = [];

function check(title, condition, detail = '') {
  results.push({ title, status: condition ? 'passed' : 'failed', output: condition ? undefined : detail });
  console.log(`${condition ? '  ✓' : '  ✗'} ${title}${condition ? '' : `\n      ${detail}`}`);
}

function workspaces(base) {
  return workspaceFolders(base).map((path) => ({
    path,
    manifest: JSON.parse(readFileSync(join(base, path, 'package.json'), 'utf8')),
  }));
}

/** The bump each package gets from the pending changesets: the highest one named for it. */
function plannedBumps() {
  const order = { patch: 1, minor: 2, major: 3 };
  const bumps = new Map();
  const directory = join(root, '.changeset');
  for (const file of readdirSync(directory).filter((name) => name.endsWith('.md') && name !== 'README.md')) {
    const text = readFileSync(join(directory, file), 'utf8');
    const front = /^---\n([\s\S]*?)\n---/.exec(text);
    if (!front) continue;
    for (const line of front[1].split('\n')) {
      const match = /^\s*["']?([^"':]+)["']?\s*:\s*(patch|minor|major)\s*$/.exec(line);
      if (!match) continue;
      const [, name, bump] = match;
      if (!bumps.has(name) || order[bump] > order[bumps.get(name)]) bumps.set(name, bump);
    }
  }
  return bumps;
}

function bumpVersion(version, bump) {
  const [major, minor, patch] = version.split('.').map(Number);
  if (bump === 'major') return major === 0 ? `0.${minor + 1}.0` : `${major + 1}.0.0`;
  if (bump === 'minor') return `${major}.${minor + 1}.0`;
  return `${major}.${minor}.${patch + 1}`;
}

/** Whether `version` still satisfies a caret range on `base` (what `workspace:^` publishes as). */
function satisfiesCaret(base, version) {
  const [baseMajor, baseMinor, basePatch] = base.split('.').map(Number);
  const [major, minor, patch] = version.split('.').map(Number);
  if (baseMajor > 0) return major === baseMajor;
  if (baseMinor > 0) return major === 0 && minor === baseMinor;
  return major === 0 && minor === 0 && patch === basePatch;
}

/**
 * A package with no changeset of its own still gets a patch bump when a workspace dependency's new
 * version leaves the range it depends on (config: updateInternalDependencies), and so on upwards.
 */
function withDependentBumps(bumps, manifests) {
  const result = new Map(bumps);
  let changed = true;
  while (changed) {
    changed = false;
    for (const manifest of manifests) {
      if (manifest.private || result.has(manifest.name)) continue;
      const internal = Object.keys(manifest.dependencies ?? {}).filter((name) =>
        name.startsWith('@mailtrap-kit/'),
      );
      const leavesRange = internal.some((dependency) => {
        const target = manifests.find((candidate) => candidate.name === dependency);
        const bump = result.get(dependency);
        return target && bump && !satisfiesCaret(target.version, bumpVersion(target.version, bump));
      });
      if (leavesRange) {
        result.set(manifest.name, 'patch');
        changed = true;
      }
    }
  }
  return result;
}

function main() {
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const before = workspaces(root);
  const requested = plannedBumps();
  const bumps = withDependentBumps(
    requested,
    before.map((entry) => entry.manifest),
  );

  for (const [name] of requested) {
    const target = before.find((entry) => entry.manifest.name === name);
    check(`changesets name an existing package: ${name}`, Boolean(target), `no workspace is named ${name}`);
    if (target)
      check(
        `changesets never version a private workspace: ${name}`,
        !target.manifest.private,
        `${name} is private`,
      );
  }

  cpSync(root, copy, {
    recursive: true,
    filter: (source) =>
      !/[\\/](node_modules|\.git|dist|\.turbo|\.consumer-test|\.changeset-check|\.test-results)([\\/]|$)/.test(
        source,
      ),
  });
  const changesetBin = join(root, 'node_modules', '@changesets', 'cli', 'bin.js');
  const outcome = spawnSync(process.execPath, [changesetBin, 'version'], { cwd: copy, encoding: 'utf8' });
  check(
    '`changeset version` runs on a copy of the workspace',
    outcome.status === 0,
    `${outcome.stdout}${outcome.stderr}`,
  );
  if (outcome.status !== 0) return finish();

  const after = new Map(workspaces(copy).map((entry) => [entry.manifest.name, entry.manifest]));
  for (const entry of before) {
    const { name, version, private: isPrivate } = entry.manifest;
    const bumped = after.get(name);
    if (isPrivate) {
      check(
        `${name} (private) keeps its version`,
        bumped?.version === version,
        `${version} -> ${bumped?.version}`,
      );
      continue;
    }
    const bump = bumps.get(name);
    const expected = bump ? bumpVersion(version, bump) : version;
    const reason = requested.has(name) ? bump : bump ? 'patch: a dependency left its range' : 'no changeset';
    check(
      `${name}: ${version} -> ${expected} (${reason})`,
      bumped?.version === expected,
      `got ${bumped?.version}`,
    );
    if (bump) {
      check(
        `${name} gets a CHANGELOG entry`,
        existsSync(join(copy, entry.path, 'CHANGELOG.md')),
        'no CHANGELOG.md written',
      );
    }
    for (const [dependency, range] of Object.entries(bumped?.dependencies ?? {})) {
      if (!dependency.startsWith('@mailtrap-kit/')) continue;
      check(
        `${name} keeps its internal dependency on ${dependency} as a workspace range`,
        String(range).startsWith('workspace:'),
        String(range),
      );
    }
  }
  return finish();
}

function finish() {
  const passed = results.filter((result) => result.status === 'passed').length;
  const failed = results.length - passed;
  writeFileSync(
    join(work, 'results.json'),
    JSON.stringify({
      numPassedTests: passed,
      numFailedTests: failed,
      numPendingTests: 0,
      testResults: [
        { name: 'changeset-check', status: failed ? 'failed' : 'passed', assertionResults: results },
      ],
    }),
  );
  rmSync(copy, { recursive: true, force: true });
  console.log(`changeset check: ${passed} passed, ${failed} failed`);
  process.exit(failed > 0 ? 1 : 0);
}

main();

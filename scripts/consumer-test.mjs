#!/usr/bin/env node
// Proves the packages work where users install them: every package is packed to a tarball, the
// tarballs are installed with npm into a fresh CommonJS project and a fresh ESM TypeScript project
// outside the workspace, every public entry is required and imported, a small program is
// type-checked against the declarations, and a real send goes through the emulator. The programs
// run under this machine's Node and under Node 22 and 24 (from the npm registry's `node` package).
//
// Results are written to .consumer-test/results.json in the same shape as vitest's JSON report.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { nodeCommand, nodeLabel, nodeVersions } from './node-versions.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const work = join(root, '.consumer-test');
const tarballs = join(work, 'tarballs');
const rootPackage = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

const packageDirs = readdirSync(join(root, 'packages')).filter((name) =>
  existsSync(join(root, 'packages', name, 'package.json')),
);
const packages = packageDirs.map((dir) => {
  const manifest = JSON.parse(readFileSync(join(root, 'packages', dir, 'package.json'), 'utf8'));
  return { dir, name: manifest.name, version: manifest.version, peers: manifest.peerDependencies ?? {} };
});

const results = [];

function run(command, args, options = {}) {
  const result = spawnSync(command, args, {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    ...options,
    env: { ...process.env, ...options.env },
  });
  return {
    status: result.status ?? 1,
    output: `${result.stdout ?? ''}${result.stderr ?? ''}`,
    error: result.error,
  };
}

function record(title, outcome) {
  const passed = outcome.status === 0;
  results.push({ title, status: passed ? 'passed' : 'failed', output: passed ? undefined : outcome.output });
  console.log(`${passed ? '  ✓' : '  ✗'} ${title}`);
  if (!passed)
    console.log(
      outcome.output
        .split('\n')
        .map((line) => `      ${line}`)
        .join('\n'),
    );
}

function pack() {
  rmSync(work, { recursive: true, force: true });
  mkdirSync(tarballs, { recursive: true });
  for (const pkg of packages) {
    const dist = join(root, 'packages', pkg.dir, 'dist');
    if (!existsSync(dist)) {
      console.error(`packages/${pkg.dir} is not built: run the build first (pnpm build).`);
      process.exit(1);
    }
    const outcome = run(
      'npx',
      ['--yes', rootPackage.packageManager, 'pack', '--pack-destination', tarballs],
      {
        cwd: join(root, 'packages', pkg.dir),
      },
    );
    if (outcome.status !== 0) {
      record(`pack ${pkg.name}`, outcome);
      return false;
    }
  }
  return true;
}

function tarballFor(pkg) {
  const prefix = `${pkg.name.replace('@', '').replace('/', '-')}-${pkg.version}.tgz`;
  return `file:${join(tarballs, prefix)}`;
}

function projectManifest(type, extraDevDependencies = {}) {
  const dependencies = {};
  for (const pkg of packages) dependencies[pkg.name] = tarballFor(pkg);
  // Peers a user installs next to our packages.
  for (const pkg of packages) {
    for (const [peer, range] of Object.entries(pkg.peers)) dependencies[peer] ??= range;
  }
  return {
    name: `mailtrap-kit-consumer-${type}`,
    private: true,
    type,
    dependencies,
    // The tarballs depend on each other by version; point those at the local tarballs too.
    overrides: Object.fromEntries(packages.map((pkg) => [pkg.name, tarballFor(pkg)])),
    devDependencies: extraDevDependencies,
  };
}

function installProject(directory, manifest) {
  mkdirSync(directory, { recursive: true });
  writeFileSync(join(directory, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: directory });
}

const fixtures = join(root, 'scripts', 'consumer-fixtures');

function main() {
  console.log(`packing ${packages.length} packages`);
  if (!pack()) return finish();

  const cjsDir = join(work, 'cjs-project');
  record(
    'install the tarballs into a fresh CommonJS project',
    installProject(cjsDir, projectManifest('commonjs')),
  );
  cpSync(join(fixtures, 'check.cjs'), join(cjsDir, 'check.cjs'));

  const esmDir = join(work, 'esm-project');
  const esmManifest = projectManifest('module', {
    typescript: rootPackage.devDependencies.typescript,
    '@types/node': rootPackage.devDependencies['@types/node'],
  });
  record('install the tarballs into a fresh ESM TypeScript project', installProject(esmDir, esmManifest));
  cpSync(join(fixtures, 'check.mts'), join(esmDir, 'check.mts'));
  cpSync(join(fixtures, 'tsconfig.json'), join(esmDir, 'tsconfig.json'));
  cpSync(join(fixtures, 'readme-typed-send.mts'), join(esmDir, 'readme-typed-send.mts'));
  record(
    'the installed mailtrap-templates bin generates types for the README typed send',
    run(
      'npx',
      ['mailtrap-templates', 'types', '--dir', join(fixtures, 'templates'), '--out', 'mail-templates.ts'],
      {
        cwd: esmDir,
      },
    ),
  );
  record(
    'npx mailtrap-kit doctor without a token runs every check against its in-process emulator',
    run('npx', ['mailtrap-kit', 'doctor', '--json'], {
      cwd: esmDir,
      env: { MAILTRAP_API_TOKEN: '', MAILTRAP_CONFIG: join(work, 'no-config.json') },
    }),
  );
  record(
    'type-check a program against the published declarations (module nodenext)',
    run('npx', ['tsc', '-p', 'tsconfig.json'], { cwd: esmDir }),
  );

  cpSync(join(fixtures, 'conditions.mjs'), join(esmDir, 'conditions.mjs'));
  for (const condition of ['node', 'workerd', 'worker', 'edge-light', 'bun', 'deno', 'browser']) {
    const flag = condition === 'node' ? [] : [`--conditions=${condition}`];
    record(
      condition === 'browser'
        ? "core's exports for the browser condition: the browser build, which refuses a client"
        : `core's exports for the ${condition} condition: the ${condition === 'node' ? 'undici' : 'fetch'} build, sending through the emulator`,
      run(process.execPath, [...flag, 'conditions.mjs', condition], { cwd: esmDir }),
    );
  }

  for (const version of nodeVersions) {
    const { command, prefix } = nodeCommand(version);
    const label = nodeLabel(version);
    record(
      `${label}: require every entry, send through the emulator, keep a message across a restart in a data dir (CommonJS)`,
      run(command, [...prefix, 'check.cjs'], { cwd: cjsDir }),
    );
    record(
      `${label}: import every entry, send through the emulator, keep a message across a restart in a data dir (ESM)`,
      run(command, [...prefix, 'dist/check.mjs'], { cwd: esmDir }),
    );
  }
  return finish();
}

function finish() {
  const passed = results.filter((result) => result.status === 'passed').length;
  const failed = results.length - passed;
  mkdirSync(work, { recursive: true });
  writeFileSync(
    join(work, 'results.json'),
    JSON.stringify(
      {
        numPassedTests: passed,
        numFailedTests: failed,
        numPendingTests: 0,
        testResults: [
          { name: 'consumer-test', status: failed ? 'failed' : 'passed', assertionResults: results },
        ],
      },
      null,
      2,
    ),
  );
  console.log(`consumer test: ${passed} passed, ${failed} failed`);
  process.exit(failed > 0 ? 1 : 0);
}

main();

#!/usr/bin/env node
// Sets up a fresh machine and runs one of the project's jobs. Needs only Node and npm:
// pnpm comes through npx at the version pinned in package.json's "packageManager".
//
//   node scripts/bootstrap.mjs start   every example sent through its adapter to the embedded emulator
//   node scripts/bootstrap.mjs test    the whole test suite, ending with one summary line
//   node scripts/bootstrap.mjs bench   the benchmarks, side by side
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { workspaceFolders } from './workspaces.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const rootPackage = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const pnpmSpec = rootPackage.packageManager; // e.g. pnpm@10.34.8
const job = process.argv[2];
const extraArgs = process.argv.slice(3);
const isCI = process.env.CI === 'true' || process.env.CI === '1';

const env = {
  ...process.env,
  TURBO_TELEMETRY_DISABLED: '1',
  DO_NOT_TRACK: '1',
  TURBO_NO_UPDATE_NOTIFIER: '1',
};

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env, ...options });
  if (result.error) throw result.error;
  return result.status ?? 1;
}

function pnpm(args, options) {
  return run('npx', ['--yes', pnpmSpec, ...args], options);
}

function step(title) {
  console.log(`\n== ${title}`);
}

function ensureDependencies() {
  step(`installing dependencies with ${pnpmSpec}`);
  const status = pnpm(['install', '--frozen-lockfile', '--reporter=append-only']);
  if (status !== 0) {
    console.error('Dependency installation failed (see above).');
    process.exit(status);
  }
}

function has(command) {
  return succeeds(`command -v ${command}`);
}

function succeeds(shellCheck) {
  return spawnSync('sh', ['-c', shellCheck], { stdio: 'ignore' }).status === 0;
}

/**
 * The tests need a Redis server (bulk-bullmq), a headless Chromium (the emulator's web inbox),
 * util-linux `script` (the CLIs in a pseudo-terminal) and curl (the emulator's Integration sample).
 * They come from Debian's packages. Where they can't be installed, those suites skip with a notice;
 * under CI they are required and a missing one fails the run.
 */
function ensureServices() {
  const wanted = [
    { check: 'command -v redis-server', debianPackage: 'redis-server' },
    { check: 'command -v chromium', debianPackage: 'chromium' },
    { check: 'fc-list 2>/dev/null | grep -qi liberation', debianPackage: 'fonts-liberation' },
    // util-linux `script`: the pseudo-terminal of the CLI tests (testing/terminal)
    { check: 'command -v script', debianPackage: 'bsdutils' },
    // curl: the emulator's Integration page runs its curl sample as printed
    { check: 'command -v curl', debianPackage: 'curl' },
  ].filter((service) => !succeeds(service.check));
  if (wanted.length === 0) return;
  const names = wanted.map((service) => service.debianPackage);
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (isRoot && has('apt-get')) {
    step(`installing ${names.join(', ')} from Debian's packages`);
    const aptEnv = { ...env, DEBIAN_FRONTEND: 'noninteractive' };
    run('apt-get', ['update', '-qq'], { env: aptEnv });
    run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...names], { env: aptEnv });
  }
  const stillMissing = wanted.filter((service) => !succeeds(service.check)).map((s) => s.debianPackage);
  if (stillMissing.length > 0) {
    const message = `Not installed: ${stillMissing.join(', ')} (install with: sudo apt-get install ${stillMissing.join(' ')}).`;
    if (isCI) {
      console.error(`${message} CI requires them.`);
      process.exit(1);
    }
    console.warn(`${message} The tests that need them will be skipped.`);
  }
}

function collectTestResults() {
  const files = [];
  for (const workspace of workspaceFolders(root)) {
    const file = join(root, workspace, '.test-results', 'vitest.json');
    if (existsSync(file)) files.push({ name: workspace, file });
  }
  for (const [name, file] of [
    ['release dry check (changesets)', join(root, '.changeset-check', 'results.json')],
    ['consumer test', join(root, '.consumer-test', 'results.json')],
  ]) {
    if (existsSync(file)) files.push({ name, file });
  }
  const totals = { passed: 0, failed: 0, skipped: 0 };
  const rows = [];
  const failedTests = [];
  for (const { name, file } of files) {
    const report = JSON.parse(readFileSync(file, 'utf8'));
    const passed = report.numPassedTests ?? 0;
    const failures = failuresOf(name, report);
    // A test file that failed to load has no failing test of its own: count it as one failure.
    const failed = (report.numFailedTests ?? 0) + failures.brokenFiles;
    const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
    totals.passed += passed;
    totals.failed += failed;
    totals.skipped += skipped;
    rows.push(
      `  ${name.padEnd(36)} ${String(passed).padStart(5)} passed ${String(failed).padStart(3)} failed ${String(skipped).padStart(3)} skipped`,
    );
    failedTests.push(...failures.lines);
  }
  return { totals, rows, failedTests };
}

/**
 * The failures of a vitest JSON report: the test files that failed to load (no failing test of
 * their own) and one line per failed test or such file, where it is and the first line of its
 * error, so the end of a long log says what failed.
 */
function failuresOf(name, report) {
  const lines = [];
  let brokenFiles = 0;
  for (const fileResult of report.testResults ?? []) {
    const where = relative(root, fileResult.name ?? '') || name;
    const failedAssertions = (fileResult.assertionResults ?? []).filter(
      (assertion) => assertion.status === 'failed',
    );
    if (fileResult.status === 'failed' && failedAssertions.length === 0) {
      brokenFiles += 1;
      lines.push(`  ✗ ${where}: ${firstLine(fileResult.message)}`);
    }
    for (const assertion of failedAssertions) {
      lines.push(
        `  ✗ ${where} > ${assertion.fullName ?? assertion.title}: ${firstLine(assertion.failureMessages?.[0])}`,
      );
    }
  }
  return { brokenFiles, lines };
}

function firstLine(text) {
  const line =
    String(text ?? '')
      .trim()
      .split('\n')[0] ?? '';
  return line.length > 300 ? `${line.slice(0, 300)}…` : line;
}

function removeOldTestResults() {
  for (const workspace of workspaceFolders(root)) {
    rmSync(join(root, workspace, '.test-results'), { recursive: true, force: true });
  }
  rmSync(join(root, '.consumer-test', 'results.json'), { force: true });
  rmSync(join(root, '.changeset-check', 'results.json'), { force: true });
}

function testJob() {
  removeOldTestResults();
  ensureDependencies();
  ensureServices();
  if (isCI) env.MAILTRAP_KIT_REQUIRE_SERVICES = '1';
  const failures = [];
  step('lint (biome)');
  if (pnpm(['exec', 'biome', 'ci', '.']) !== 0) failures.push('lint');
  step('build, type-check, package lint (publint + are-the-types-wrong)');
  if (
    pnpm([
      'exec',
      'turbo',
      'run',
      'build',
      'typecheck',
      'lint:package',
      '--concurrency=2',
      '--output-logs=errors-only',
    ]) !== 0
  ) {
    failures.push('build/typecheck/lint:package');
  }
  step('unit and integration tests');
  if (pnpm(['exec', 'turbo', 'run', 'test', '--concurrency=1', '--continue']) !== 0) failures.push('tests');
  step('release dry check: `changeset version` on a copy of the workspace');
  if (run('node', ['scripts/changeset-check.mjs']) !== 0) failures.push('release dry check');
  step('consumer test: packed tarballs installed into fresh CommonJS and ESM projects');
  if (run('node', ['scripts/consumer-test.mjs']) !== 0) failures.push('consumer test');
  const { totals, rows, failedTests } = collectTestResults();
  console.log('\n== summary');
  for (const row of rows) console.log(row);
  if (failedTests.length > 0) console.log(`failed tests:\n${failedTests.join('\n')}`);
  if (failures.length > 0) console.log(`failed steps: ${failures.join(', ')}`);
  const failed = totals.failed + (failures.length > 0 && totals.failed === 0 ? failures.length : 0);
  console.log(`Tests: ${totals.passed} passed, ${failed} failed, ${totals.skipped} skipped`);
  process.exit(failures.length > 0 ? 1 : 0);
}

/** Installs, builds the published packages, then runs one private workspace's script. */
function runWorkspaceScript(title, workspace, script) {
  ensureDependencies();
  step('building the packages');
  const buildStatus = pnpm([
    'exec',
    'turbo',
    'run',
    'build',
    '--filter=./packages/*',
    '--output-logs=errors-only',
  ]);
  if (buildStatus !== 0) process.exit(buildStatus);
  step(title);
  process.exit(pnpm(['--filter', workspace, 'run', script, ...extraArgs]));
}

function startJob() {
  runWorkspaceScript(
    'running every example against the embedded emulator',
    '@mailtrap-kit/examples',
    'start',
  );
}

function benchJob() {
  runWorkspaceScript('running the benchmarks side by side', '@mailtrap-kit/bench', 'bench');
}

const jobs = { start: startJob, test: testJob, bench: benchJob };
if (!jobs[job]) {
  console.error(`usage: node scripts/bootstrap.mjs <${Object.keys(jobs).join('|')}>`);
  process.exit(2);
}
jobs[job]();

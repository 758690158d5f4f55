// The Node versions the consumer test and the runtime smoke tests run on: this machine's Node and
// Node 22 and 24 from the npm registry's `node` package (through npx), or the comma-separated list
// in CONSUMER_TEST_NODE_VERSIONS (`current` is this machine's).

export const nodeVersions = (process.env.CONSUMER_TEST_NODE_VERSIONS ?? 'current,22,24').split(',');

/** The command and leading arguments that start `node` at `version`. */
export function nodeCommand(version) {
  if (version === 'current') return { command: process.execPath, prefix: [] };
  return { command: 'npx', prefix: ['--yes', '-p', `node@${version}`, 'node'] };
}

/** How a version reads in test names: `Node 20.20.2` for this machine's, else `Node 22`. */
export function nodeLabel(version) {
  return version === 'current' ? `Node ${process.versions.node}` : `Node ${version}`;
}

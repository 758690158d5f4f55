import { nodeCommand, nodeLabel, nodeVersions } from '../../../scripts/node-versions.mjs';
import { bundleForNode } from './bundle.ts';
import { runCliScenarios } from './cli-runner.ts';
import { describeRuntime } from './suite.ts';

// The Node versions of the consumer test (this machine's, 22, 24), started the way it starts them:
// core's default there, undici. Then the fetch transport on this machine's Node.
let entry: string | undefined;
const bundle = async () => {
  entry ??= await bundleForNode();
};

for (const version of nodeVersions) {
  const { command, prefix } = nodeCommand(version);
  const major = version === 'current' ? process.versions.node.split('.')[0] : version;
  describeRuntime(`node-${major}`, (context) => runCliScenarios(command, [...prefix, entry!], context), {
    label: nodeLabel(version),
    transport: 'undici',
    clientRuntime: new RegExp(`^node/${major}\\.`),
    userAgent: new RegExp(`^Node\\.js/${major}\\b`),
    setup: bundle,
  });
}

describeRuntime('node-fetch', (context) => runCliScenarios(process.execPath, [entry!], context), {
  label: `Node ${process.versions.node} with transport: 'fetch'`,
  transport: 'fetch',
  transportOption: 'fetch',
  clientRuntime: new RegExp(`^node/${process.versions.node.split('.')[0]}\\.`),
  userAgent: /^Node\.js\//,
  setup: bundle,
});

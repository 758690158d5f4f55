import { fork } from 'node:child_process';
import { childScript } from './processes.js';
const [file, url, token, merge, total, memlog] = process.argv.slice(2);
const script = await childScript('runner');
const child = fork(script, [], { cwd: '/work/wt/lead/bench', execArgv: ['--expose-gc', '--import', '/tmp/prof/memlog.mjs', '--trace-gc-nvp'], stdio: ['ignore', 'pipe', 'inherit', 'ipc'], env: { ...process.env, NODE_OPTIONS: '', MEMLOG: memlog } });
let gc = '';
child.stdout!.on('data', (c) => { gc += c; });
child.send({ caseId: 'bulk', subject: 'batcher', settings: { file, recipients: Number(total), bulkUrl: url, token, limit: { requests: 150, windowMs: 10000 }, merge: merge === '1' } });
child.once('message', async (m: any) => {
  const { writeFileSync } = await import('node:fs');
  writeFileSync(memlog + '.gc', gc);
  console.log(JSON.stringify(m.value?.[0]?.extra ?? m));
  child.kill();
  process.exit(0);
});

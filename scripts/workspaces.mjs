// The workspace folders of the repository (as pnpm-workspace.yaml lists them: packages/*,
// examples/*, testing/*, bench), relative to `base`: the ones that hold a package.json.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export function workspaceFolders(base) {
  const folders = [];
  for (const group of ['packages', 'examples', 'testing']) {
    const directory = join(base, group);
    if (!existsSync(directory)) continue;
    for (const name of readdirSync(directory)) folders.push(`${group}/${name}`);
  }
  folders.push('bench');
  return folders.filter((folder) => existsSync(join(base, folder, 'package.json')));
}

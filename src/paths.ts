import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project root (the folder with package.json), whether run from src/ or dist/src/. */
function findRoot(start: string): string {
  let dir = start;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${start}`);
    dir = parent;
  }
  return dir;
}

export const projectRoot = findRoot(path.dirname(fileURLToPath(import.meta.url)));
export const workflowsDir = path.join(projectRoot, 'workflows');
export const migrationsDir = path.join(projectRoot, 'src', 'db', 'migrations');
/** The built staff screens (vite build of src/web). */
export const webDir = path.join(projectRoot, 'dist', 'web');

import { existsSync } from "node:fs";
import path from "node:path";

/**
 * The folder holding Stockroom's package.json, found upwards from `from`: the same folder whether
 * the code runs from src/ (tsx) or from the build in dist/src/, so both read one prisma/ folder.
 */
export function packageRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, "package.json"))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}

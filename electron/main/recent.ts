/** The "最近文件" list: most recent first, at most ten, kept as JSON in the user-data folder. */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

const MAX = 10;

export function readRecent(file: string): string[] {
  try {
    const list = JSON.parse(readFileSync(file, 'utf8'));
    return Array.isArray(list) ? list.filter((p): p is string => typeof p === 'string' && existsSync(p)).slice(0, MAX) : [];
  } catch {
    return [];
  }
}

export function pushRecent(file: string, path: string): string[] {
  const list = [path, ...readRecent(file).filter((p) => p !== path)].slice(0, MAX);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(list, null, 2));
  return list;
}

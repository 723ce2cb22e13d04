import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative, sep } from 'node:path';
import ts from 'typescript';
import { RULES, type ImportRef, type Rule } from './rules.js';

export interface Violation {
  readonly rule: string;
  readonly file: string;
  readonly specifier: string;
  readonly reason: string;
}

const SOURCE_DIRS = ['hardware', 'gateway', 'cloud-sync', 'scripts'];

function listSources(root: string, dir: string, out: string[]): void {
  if (!existsSync(dir)) return;
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist' || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) listSources(root, path, out);
    else if (/\.(ts|mts|js|mjs)$/.test(name) && !name.endsWith('.d.ts')) out.push(path);
  }
}

const toPosix = (p: string): string => p.split(sep).join('/');

/** Every import, export-from and dynamic import() of a file. */
export function importsOf(root: string, file: string): ImportRef[] {
  const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
  const from = toPosix(relative(root, file));
  return info.importedFiles.map(({ fileName: specifier }) => {
    if (!specifier.startsWith('.')) return { from, specifier };
    // Sources import siblings as "./x.js" (NodeNext); the file on disk is x.ts.
    const target = toPosix(relative(root, normalize(join(dirname(file), specifier)))).replace(/\.js$/, '.ts');
    return { from, specifier, target };
  });
}

/** Memoised: a file is pure when it and all it imports use no node:* and no package. */
function purityOracle(root: string): (file: string) => boolean {
  const known = new Map<string, boolean>();
  const isPure = (file: string): boolean => {
    const cached = known.get(file);
    if (cached !== undefined) return cached;
    known.set(file, true); // cycles: assume pure until an impure import is found
    const path = join(root, file);
    const pure =
      existsSync(path) &&
      importsOf(root, path).every((ref) => ref.target !== undefined && isPure(ref.target));
    known.set(file, pure);
    return pure;
  };
  return isPure;
}

export function checkBoundaries(root: string, rules: readonly Rule[] = RULES): Violation[] {
  const files: string[] = [];
  for (const d of SOURCE_DIRS) listSources(root, join(root, d), files);
  const context = { isPure: purityOracle(root) };
  const violations: Violation[] = [];
  for (const file of files) {
    const rel = toPosix(relative(root, file));
    const applicable = rules.filter((r) => r.appliesTo(rel));
    if (applicable.length === 0) continue;
    for (const ref of importsOf(root, file)) {
      for (const rule of applicable) {
        const reason = rule.check(ref, context);
        if (reason !== undefined) violations.push({ rule: rule.name, file: rel, specifier: ref.specifier, reason });
      }
    }
  }
  return violations;
}

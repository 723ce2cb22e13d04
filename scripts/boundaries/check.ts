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
    else if (/\.(ts|tsx|mts|js|mjs)$/.test(name) && !name.endsWith('.d.ts')) out.push(path);
  }
}

const toPosix = (p: string): string => p.split(sep).join('/');

/** Every import, export-from and dynamic import() of a file; `import type` and `export type` are marked. */
export function importsOf(root: string, file: string): ImportRef[] {
  const text = readFileSync(file, 'utf8');
  const from = toPosix(relative(root, file));
  const typeOnly = typeOnlySpecifiers(file, text);
  return ts.preProcessFile(text, true, true).importedFiles.map(({ fileName: specifier }) => {
    const only = typeOnly.get(specifier) === true;
    if (!specifier.startsWith('.')) return { from, specifier, typeOnly: only };
    // Sources import siblings as "./x.js" (NodeNext); the file on disk is x.ts or x.tsx.
    const base = toPosix(relative(root, normalize(join(dirname(file), specifier))));
    const tsx = base.replace(/\.js$/, '.tsx');
    const target = base.endsWith('.js') && existsSync(join(root, tsx)) ? tsx : base.replace(/\.js$/, '.ts');
    return { from, specifier, target, typeOnly: only };
  });
}

/** Specifier → true when every import or export of it in the file is type-only (erased from the output). */
function typeOnlySpecifiers(file: string, text: string): Map<string, boolean> {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false, file.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const only = new Map<string, boolean>();
  const note = (specifier: ts.Expression | undefined, isType: boolean) => {
    if (specifier === undefined || !ts.isStringLiteral(specifier)) return;
    only.set(specifier.text, (only.get(specifier.text) ?? true) && isType);
  };
  for (const statement of source.statements) {
    if (ts.isImportDeclaration(statement)) note(statement.moduleSpecifier, statement.importClause?.isTypeOnly === true);
    else if (ts.isExportDeclaration(statement)) note(statement.moduleSpecifier, statement.isTypeOnly);
  }
  const visit = (node: ts.Node): void => {
    // import('x') is a value; import('x').T in a type position is not.
    if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) note(node.arguments[0], false);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return only;
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
      importsOf(root, path).every((ref) => ref.typeOnly === true || (ref.target !== undefined && isPure(ref.target)));
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

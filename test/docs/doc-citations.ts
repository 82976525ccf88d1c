import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/** A `docs/<file>.md §<n>` citation (and the `, §<m>` that follow it) found in one file. */
export interface Citation {
  file: string;
  line: number;
  doc: string;
  section: string;
}

const SKIPPED_DIRS = new Set(['node_modules', 'dist', 'coverage', '.data', '.git']);
const SCANNED = /\.(ts|md|js|mjs|cjs|json|ya?ml|sh)$|^(Dockerfile|\.env\.example|run)$/;
const SECTION = String.raw`§\s?(\d+(?:\.\d+)*)`;
const CITATION = new RegExp(String.raw`(docs/[\w-]+\.md) ${SECTION}((?:(?:,| and| or|/) ?§\s?\d+(?:\.\d+)*)*)`, 'g');
const FURTHER_SECTION = new RegExp(SECTION, 'g');
/** The reference outside the repository that a clone does not contain. */
const OUTSIDE_REFERENCE = /\.\.\/shared|shared\/spec/;
/** A reference-page citation without its `docs/` path. */
const BARE_CITATION = /(?<![\w/.-])(api|rules|jobs|data-model|integrations|realtime|configuration)\.md §/;

/** Every text file of the repository that can cite the docs (generated and installed trees left out). */
export function repositoryFiles(root: string): string[] {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRS.has(entry.name)) walk(join(dir, entry.name));
      } else if (SCANNED.test(entry.name) && entry.name !== 'package-lock.json') {
        files.push(join(dir, entry.name));
      }
    }
  };
  walk(root);
  return files;
}

/** The citations of one text. */
export function citationsIn(file: string, text: string): Citation[] {
  const citations: Citation[] = [];
  text.split('\n').forEach((content, index) => {
    for (const match of content.matchAll(CITATION)) {
      const sections = [match[2], ...[...match[3].matchAll(FURTHER_SECTION)].map((further) => further[1])];
      for (const section of sections) citations.push({ file, line: index + 1, doc: match[1], section });
    }
  });
  return citations;
}

/** The section numbers of a page's numbered headings (`## 1.10 Idempotency` → `1.10`). */
export function sectionNumbers(markdown: string): Set<string> {
  const numbers = new Set<string>();
  for (const match of markdown.matchAll(/^#{1,6} (\d+(?:\.\d+)*)\.? /gm)) numbers.add(match[1]);
  return numbers;
}

/** Problems of one text: outside references and bare citations, as `path:line: problem`. */
export function referenceProblems(path: string, text: string): string[] {
  const problems: string[] = [];
  text.split('\n').forEach((content, index) => {
    if (OUTSIDE_REFERENCE.test(content)) problems.push(`${path}:${index + 1}: refers outside the repository`);
    if (BARE_CITATION.test(content)) problems.push(`${path}:${index + 1}: cites a page without its docs/ path`);
  });
  return problems;
}

/** Every broken citation or outside reference of the repository, as `path:line: problem`. */
export function citationProblems(root: string): string[] {
  const docsDir = join(root, 'docs');
  const pages = new Map(
    readdirSync(docsDir)
      .filter((name) => name.endsWith('.md'))
      .map((name) => [`docs/${name}`, sectionNumbers(readFileSync(join(docsDir, name), 'utf8'))]),
  );
  const problems: string[] = [];
  for (const file of repositoryFiles(root)) {
    const path = relative(root, file);
    const text = readFileSync(file, 'utf8');
    problems.push(...referenceProblems(path, text));
    for (const citation of citationsIn(path, text)) {
      const sections = pages.get(citation.doc);
      if (!sections) problems.push(`${path}:${citation.line}: ${citation.doc} does not exist`);
      else if (!sections.has(citation.section))
        problems.push(`${path}:${citation.line}: ${citation.doc} has no section ${citation.section}`);
    }
  }
  return problems;
}

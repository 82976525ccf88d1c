import { join } from 'node:path';
import { citationProblems, citationsIn, referenceProblems, sectionNumbers } from './doc-citations';

describe('docs citations (docs/README.md)', () => {
  it('should find every cited docs/ page and numbered section, and no reference outside the repository', () => {
    expect(citationProblems(join(__dirname, '..', '..'))).toEqual([]);
  });

  it('should read each section of a citation list', () => {
    expect(citationsIn('a.ts', 'x\n// docs/api.md §1.10, §1.12 and §2; docs/rules.md §9.')).toEqual([
      { file: 'a.ts', line: 2, doc: 'docs/api.md', section: '1.10' },
      { file: 'a.ts', line: 2, doc: 'docs/api.md', section: '1.12' },
      { file: 'a.ts', line: 2, doc: 'docs/api.md', section: '2' },
      { file: 'a.ts', line: 2, doc: 'docs/rules.md', section: '9' },
    ]);
  });

  it('should number headings with or without a trailing dot and ignore unnumbered ones', () => {
    const page = '# Title\n## 1. Conventions\n### 1.10 Idempotency\n## Design notes\ntext ## 7 no\n';
    expect([...sectionNumbers(page)]).toEqual(['1', '1.10']);
  });

  it('should reject a reference outside the repository and a citation without its docs/ path', () => {
    const outside = ['..', 'shared', 'spec'].join('/');
    const bare = ['api', 'md §1.10'].join('.');
    expect(referenceProblems('b.md', `see ${outside}\nsee ${bare}\nsee docs/api.md §1.10`)).toEqual([
      'b.md:1: refers outside the repository',
      'b.md:2: cites a page without its docs/ path',
    ]);
  });
});

// Every contract citation in the code resolves inside the repository: each `§2.8 D17`, `§7 item 10` or
// `contract, Files API "Objects"` written in a comment, a test name or a case id under packages/*/src must
// name a section, rule or item that docs/contract.md has. A citation with nothing behind it is a broken
// link; this test finds it before a reader does. Design references get the same check against
// docs/architecture.md, whose sections the code names in quotes.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

// This file runs from packages/server/{src,dist}/contract/: four levels below the repository root.
const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const CONTRACT_DOC = join(ROOT, 'docs', 'contract.md');
const ARCHITECTURE_DOC = join(ROOT, 'docs', 'architecture.md');
// Built from two strings so that this line is not itself a reference.
const ARCHITECTURE_REF = new RegExp('docs/architecture\\.md ' + '"([^"]+)"', 'g');

/** Section numbers of headings (`2`, `2.8`), rule ids (`2.8 D17`) and §7 items (`7 item 10`, also `7.10`). */
export function docKeys(markdown: string): { keys: Set<string>; filesHeadings: Set<string> } {
  const keys = new Set<string>();
  const filesHeadings = new Set<string>();
  let inFiles = false;
  for (const line of markdown.split('\n')) {
    const heading = /^(#{1,4})\s+(.*)$/.exec(line);
    if (heading) {
      const [, hashes, text] = heading as unknown as [string, string, string];
      if (hashes.length <= 2) inFiles = text.trim() === 'The Files API';
      else if (inFiles) filesHeadings.add(text.trim());
      const num = /^(\d+(?:\.\d+)?)\.?\s/.exec(text);
      if (num) keys.add(num[1]!);
    }
    for (const anchor of line.matchAll(/<a id="([^"]+)"><\/a>/g)) {
      const id = anchor[1]!;
      const rule = /^(\d+(?:\.\d+)*)-([A-Z]\d+)$/.exec(id);
      const item = /^7\.(\d+)$/.exec(id);
      if (rule) keys.add(`${rule[1]} ${rule[2]}`);
      else if (item) keys.add(`7 item ${item[1]}`).add(id);
      else keys.add(id);
    }
  }
  return { keys, filesHeadings };
}

/** Inclusive numeric range, or just the two ends when they are not in order. */
const span = (a: number, b: number): number[] =>
  b >= a && b - a < 100 ? Array.from({ length: b - a + 1 }, (_, i) => a + i) : [a, b];

/** Expands `2.3–2.5` to 2.3, 2.4, 2.5 (and `2–3` to 2, 3); anything else to its two ends. */
function sectionRange(from: string, to: string | undefined): string[] {
  if (to === undefined) return [from];
  const f = from.split('.');
  const t = to.split('.');
  if (f.length === 1 && t.length === 1) return span(Number(from), Number(to)).map(String);
  if (f.length === 2 && t.length === 2 && f[0] === t[0])
    return span(Number(f[1]), Number(t[1])).map((n) => `${f[0]}.${n}`);
  return [from, to];
}

/**
 * The keys one run of citation text refers to. A run starts at `§` and ends at a line end or one of
 * `) ] : ; ' " \``; inside it, `§N.N` (or a range `§2.3–§2.5`) sets the section, and rule ids (`D17`,
 * `E22–E28`, `F29/F34`) under §2.8 and `item(s) N, M` under §7 name entries of that section.
 */
export function citedKeys(run: string): string[] {
  const out: string[] = [];
  let section: string | null = null;
  const token =
    /§\s?(\d+(?:\.\d+)*)(?:\s*[–-]\s*§?(\d+(?:\.\d+)*))?|\b([A-F])(\d{1,2})(?:\s*[–-]\s*([A-F])?(\d{1,2}))?\b|\bitems?\s+(\d+(?:\s*(?:,|–|-|and)\s*\d+)*)/g;
  for (const m of run.matchAll(token)) {
    if (m[1] !== undefined) {
      const sections = sectionRange(m[1], m[2]);
      section = sections[sections.length - 1]!;
      for (const s of sections) {
        const item = /^7\.(\d+)$/.exec(s);
        out.push(item ? `7 item ${item[1]}` : s);
      }
    } else if (m[3] !== undefined && section === '2.8') {
      const letter = m[3];
      const from = Number(m[4]);
      if (m[6] === undefined) out.push(`2.8 ${letter}${from}`);
      else if (m[5] === undefined || m[5] === letter)
        for (const n of span(from, Number(m[6]))) out.push(`2.8 ${letter}${n}`);
      else out.push(`2.8 ${letter}${from}`, `2.8 ${m[5]}${m[6]}`);
    } else if (m[7] !== undefined && section === '7') {
      for (const part of m[7].matchAll(/(\d+)\s*[–-]\s*(\d+)|(\d+)/g)) {
        const ns = part[3] !== undefined ? [Number(part[3])] : span(Number(part[1]), Number(part[2]));
        for (const n of ns) out.push(`7 item ${n}`);
      }
    }
  }
  return out;
}

// Built from two strings so that this line is not itself a citation.
const FILES_CITATION = new RegExp('contract, Files API ' + '"([^"]+)"', 'g');

interface Citation {
  where: string;
  key: string;
}

/** Every numbered (`§…`) citation in one source file, and every heading of the Files API part it names. */
export function citations(text: string, where: string): { numbered: Citation[]; files: Citation[] } {
  const numbered: Citation[] = [];
  const files: Citation[] = [];
  text.split('\n').forEach((line, i) => {
    const at = `${where}:${i + 1}`;
    for (const run of line.matchAll(/§[^\n)\]:;'"`]*/g))
      for (const key of citedKeys(run[0])) numbered.push({ where: at, key });
    for (const named of line.matchAll(FILES_CITATION)) files.push({ where: at, key: named[1]! });
  });
  return { numbered, files };
}

function sourceFiles(dir: string, found: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist') continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) sourceFiles(p, found);
    else if (/\.tsx?$/.test(name)) found.push(p);
  }
  return found;
}

/** The .ts and .tsx files under packages/<name>/src, for every package. */
function allSources(): string[] {
  const found: string[] = [];
  for (const pkg of readdirSync(join(ROOT, 'packages'))) {
    const src = join(ROOT, 'packages', pkg, 'src');
    try {
      statSync(src);
    } catch {
      continue;
    }
    sourceFiles(src, found);
  }
  return found;
}

describe('docs/contract.md', () => {
  it('reads citations the way the code writes them', () => {
    assert.deepEqual(citedKeys('§2.8 D17'), ['2.8', '2.8 D17']);
    assert.deepEqual(citedKeys('§2.8 D13–D15, F29/F34, §7 items 6, 29'), [
      '2.8',
      '2.8 D13',
      '2.8 D14',
      '2.8 D15',
      '2.8 F29',
      '2.8 F34',
      '7',
      '7 item 6',
      '7 item 29',
    ]);
    assert.deepEqual(citedKeys('§2.3–§2.5, §7.19'), ['2.3', '2.4', '2.5', '7 item 19']);
    assert.deepEqual(citedKeys('§5.3.'), ['5.3']);
    assert.deepEqual(citedKeys('§Objects FileList'), []);
  });

  it('has every section, rule and item the code cites', () => {
    const { keys, filesHeadings } = docKeys(readFileSync(CONTRACT_DOC, 'utf8'));
    const missing: string[] = [];
    let numbered = 0;
    for (const file of allSources()) {
      const found = citations(readFileSync(file, 'utf8'), relative(ROOT, file));
      numbered += found.numbered.length;
      for (const c of found.numbered) if (!keys.has(c.key)) missing.push(`${c.where}: §${c.key}`);
      for (const c of found.files)
        if (!filesHeadings.has(c.key)) missing.push(`${c.where}: Files API "${c.key}"`);
    }
    // A scan that finds next to nothing has lost its way, not proven the document complete.
    assert.ok(numbered > 500, `only ${numbered} citations found under packages/*/src`);
    assert.deepEqual(missing, [], `cited but not in docs/contract.md:\n${missing.join('\n')}`);
  });
});

describe('docs/architecture.md', () => {
  it('has every section the code and the lint config name, and the old design file is named nowhere', () => {
    const headings = new Set(
      readFileSync(ARCHITECTURE_DOC, 'utf8')
        .split('\n')
        .flatMap((line) => /^#{2,4}\s+(.*)$/.exec(line)?.[1]?.trim() ?? []),
    );
    const missing: string[] = [];
    let named = 0;
    for (const file of [...allSources(), join(ROOT, 'eslint.config.js')]) {
      const where = relative(ROOT, file);
      readFileSync(file, 'utf8')
        .split('\n')
        .forEach((line, i) => {
          // Spelled in two parts so that this file does not name it either.
          if (line.includes('DESIGN' + '.md'))
            missing.push(`${where}:${i + 1}: names a design file outside the repository`);
          for (const m of line.matchAll(ARCHITECTURE_REF)) {
            named++;
            if (!headings.has(m[1]!)) missing.push(`${where}:${i + 1}: "${m[1]}"`);
          }
        });
    }
    assert.ok(named > 10, `only ${named} references to docs/architecture.md found`);
    assert.deepEqual(missing, [], `not sections of docs/architecture.md:\n${missing.join('\n')}`);
  });
});

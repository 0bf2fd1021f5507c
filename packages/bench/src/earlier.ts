// `npm run bench -- --layers a,b` measures some layers only; the document it writes keeps the other layers'
// sections (and their goal verdicts) from the file it replaces, each marked with the command and machine
// that measured it, so a partial run never erases results it did not reproduce.

/** A section of an earlier document, kept as written. */
export interface KeptSection {
  title: string;
  /** Its rows of the Goals table: [layer, goal, verdict]. */
  goals: string[][];
  /** Its Markdown below the `## title` heading, starting with the line saying where it comes from. */
  body: string[];
}

const MARK = '_Kept from an earlier run';

const cellsOf = (row: string): string[] => row.replace(/^\| /, '').replace(/ \|$/, '').split(' | ');

/**
 * The sections of `md` (a document this bench wrote) whose titles are not in `fresh`, in their order.
 * A section not yet marked gets the mark of the run that wrote `md`; a marked one keeps its own.
 */
export function earlierSections(md: string, fresh: readonly string[]): KeptSection[] {
  const lines = md.split('\n');
  const command = /^Command: `([^`]*)`/m.exec(md)?.[1] ?? 'unknown command';
  const machine = /^Machine: (.*?)\.?$/m.exec(md)?.[1] ?? 'unknown machine';
  const headings = lines.flatMap((l, i) => (l.startsWith('## ') ? [i] : []));
  const blocks = headings.map((start, k) => {
    const end = headings[k + 1] ?? lines.length;
    const body = lines.slice(start + 1, end);
    while (body.length > 0 && body[0] === '') body.shift();
    while (body.length > 0 && body[body.length - 1] === '') body.pop();
    return { title: (lines[start] ?? '').slice(3).trim(), body };
  });
  const goalRows = (blocks.find((b) => b.title === 'Goals')?.body ?? [])
    .filter((l) => l.startsWith('| '))
    .slice(1)
    .map(cellsOf);
  return blocks
    .filter((b) => b.title !== 'Goals' && !fresh.includes(b.title))
    .map((b) => ({
      title: b.title,
      goals: goalRows.filter((r) => r[0] === b.title),
      body: b.body[0]?.startsWith(MARK)
        ? b.body
        : [`${MARK} (\`${command}\`; ${machine}): later runs did not measure this layer._`, '', ...b.body],
    }));
}

/** The layer number of a section title (`Layer 7 — Storage` → 7); titles without one sort last. */
export const layerOrder = (title: string): number => Number(/^Layer (\d+)/.exec(title)?.[1] ?? Infinity);

// Renders the gallery (docs/gallery/): 24 prompts from docs/gallery/prompts.txt through the reference
// engine, each as a small JPEG, and the page that shows them with their prompts. Run `npm run gallery`
// (it builds first); the output is deterministic, so a rerun changes files only when the engine changed.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';

const root = new URL('..', import.meta.url).pathname;
const server = (p) => join(root, 'packages/server/dist', p);
const { renderImage } = await import(server('engines/reference/image/render-image.js'));
const { parseCreateRequest } = await import(server('contract/validate-create.js'));
const sharp = createRequire(join(root, 'packages/server/package.json'))('sharp');

/** The gallery's prompts: each must be a line of prompts.txt (checked), with an optional request field. */
const PICKS = [
  ['a red fox in the snow'],
  ['an astronaut riding a horse'],
  ['a cat sleeping on a windowsill'],
  ['a bowl of ramen on a wooden table, top view'],
  ['a portrait of an old fisherman'],
  ['a logo for a coffee shop called Bean There'],
  ['three cats'],
  ['a boat next to a lighthouse'],
  ['a blue car on a street at night'],
  ['a girl holding a balloon'],
  ['a dragon over a castle'],
  ['five ducks on a pond'],
  ['a firefighter in front of a fire truck'],
  ['a koala in a eucalyptus tree'],
  ['a cat wearing a hat'],
  ['a teddy bear on a bed'],
  ['a cup of coffee on a wooden table'],
  ['a whale breaching in the ocean'],
  ['a neon sign saying "OPEN" on a street at night'],
  ["a poster titled 'Summer Nights' with palm trees"],
  ['a fox in a forest, watercolor'],
  ['a cat, pixel art'],
  ['a vintage photo of a train'],
  ['a sailboat, manga style', { style: 'manga' }],
];

const listed = new Set(
  (await readFile(join(root, 'docs/gallery/prompts.txt'), 'utf8'))
    .split('\n')
    .map((l) => l.split(' => ')[0].trim()),
);
const dir = join(root, 'docs/gallery');
await mkdir(dir, { recursive: true });
const rows = [];
for (const [i, [prompt, extra]] of PICKS.entries()) {
  if (!listed.has(prompt)) throw new Error(`not in prompts.txt: ${prompt}`);
  const request = { ...parseCreateRequest({ prompt, ...extra }, { hdrAccess: true }), output_format: 'png' };
  const started = Date.now();
  const out = await renderImage(
    { kind: 'image', request, sourcePath: null, refPaths: [], outBase: join(tmpdir(), `umbra-gallery-${i}`) },
    () => undefined,
  );
  const name = `${String(i + 1).padStart(2, '0')}.jpg`;
  await sharp(out.path).resize({ width: 480 }).jpeg({ quality: 78, mozjpeg: true }).toFile(join(dir, name));
  rows.push({ name, prompt, extra });
  console.log(`${name}  ${Date.now() - started} ms  ${prompt}`);
}
const cell = (r) =>
  `<td><img src="${r.name}" width="240" alt=""><br><sub>${r.prompt.replace(/</g, '&lt;')}${r.extra ? ` (<code>style: ${r.extra.style}</code>)` : ''}</sub></td>`;
let table = '<table>\n';
for (let i = 0; i < rows.length; i += 3)
  table += `<tr>${rows
    .slice(i, i + 3)
    .map(cell)
    .join('')}</tr>\n`;
table += '</table>\n';
await writeFile(
  join(dir, 'README.md'),
  `# Gallery\n\nWhat the reference engine draws for 24 of the prompts in [prompts.txt](prompts.txt) (\`uni-1\`, default size, ` +
    `shown at 480 px). Made by \`npm run gallery\`; the same prompts always give the same pictures.\n\n${table}`,
);

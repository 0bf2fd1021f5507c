// The published package: `npm pack` holds only compiled JS, declarations, package.json and README, and the
// tarball installed into a fresh project imports, type-checks as a browser consumer (no Node types) and
// talks to a server.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import type { ScriptedServer } from './testing/scripted-server.js';
import { generation, startScriptedServer } from './testing/scripted-server.js';

const run = promisify(execFile);
const SDK_DIR = fileURLToPath(new URL('../', import.meta.url));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

describe('npm pack of @umbra/sdk', () => {
  let dir: string;
  let srv: ScriptedServer;
  let tarball: string;
  let files: string[];
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'umbra-pack-'));
    srv = await startScriptedServer();
    const { stdout } = await run(npm, ['pack', '--json', '--pack-destination', dir], { cwd: SDK_DIR });
    const [info] = JSON.parse(stdout) as { filename: string; files: { path: string }[] }[];
    assert.ok(info);
    tarball = join(dir, info.filename);
    files = info.files.map((f) => f.path).sort();
  });
  after(async () => {
    await srv.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('contains only dist JS, declarations, package.json and README', () => {
    assert.ok(files.includes('dist/index.js') && files.includes('dist/index.d.ts'), files.join(' '));
    for (const f of files) {
      assert.match(f, /^(package\.json|README\.md|dist\/[\w.-]+\.(js|d\.ts))$/, `unexpected file ${f}`);
      assert.doesNotMatch(f, /\.test\.|\/testing\//, `test file shipped: ${f}`);
    }
  });

  it('installs offline into a fresh project, type-checks without Node types, and calls a server', async () => {
    const project = join(dir, 'consumer');
    await run('mkdir', ['-p', project]);
    await writeFile(
      join(project, 'package.json'),
      JSON.stringify({ name: 'consumer', private: true, type: 'module' }),
    );
    await run(npm, ['install', '--offline', '--no-audit', '--no-fund', tarball], { cwd: project });
    await writeFile(
      join(project, 'main.ts'),
      [
        "import { Umbra, NotFoundError, type FileObject, type Generation } from '@umbra/sdk';",
        'const client = new Umbra({ apiKey: process.env.KEY ?? "", baseURL: process.env.BASE ?? "" });',
        'const g: Generation = await client.generations.get("abc");',
        // The Files API must type-check for a browser too: a File in, a file_id out.
        'export const up = async (f: File): Promise<FileObject> => client.files.upload(f, {}, { wait: true });',
        'export const ref = (f: FileObject) => client.generations.create({ prompt: "p", source: { file_id: f.id } });',
        'console.log(JSON.stringify({ state: g.state, notFound: NotFoundError.name }));',
      ].join('\n'),
    );
    // A browser consumer: DOM lib, no @types/node; `process` is declared just for this script.
    await writeFile(
      join(project, 'env.d.ts'),
      'declare const process: { env: Record<string, string | undefined> };\n',
    );
    const tsc = join(
      dirname(createRequire(import.meta.url).resolve('typescript/package.json')),
      'bin',
      'tsc',
    );
    const tsconfig = {
      compilerOptions: {
        noEmit: true,
        strict: true,
        target: 'es2022',
        module: 'nodenext',
        moduleResolution: 'nodenext',
        lib: ['es2022', 'dom'],
        types: [],
      },
      files: ['main.ts', 'env.d.ts'],
    };
    await writeFile(join(project, 'tsconfig.json'), JSON.stringify(tsconfig));
    // tsc reports type errors on stdout; surface them in the failure message.
    await run(process.execPath, [tsc, '-p', '.'], { cwd: project }).catch(
      (e: Error & { stdout?: string }) => {
        assert.fail(`consumer does not type-check:\n${e.stdout ?? e.message}`);
      },
    );
    await writeFile(
      join(project, 'main.mjs'),
      [
        "import { Umbra, NotFoundError } from '@umbra/sdk';",
        'const client = new Umbra({ apiKey: process.env.KEY, baseURL: process.env.BASE });',
        'const g = await client.generations.get("abc");',
        'console.log(JSON.stringify({ state: g.state, notFound: NotFoundError.name }));',
      ].join('\n'),
    );
    srv.script({ status: 200, body: generation('completed') });
    const { stdout } = await run(process.execPath, ['main.mjs'], {
      cwd: project,
      env: { ...process.env, KEY: 'luma-api-packed', BASE: srv.baseURL },
    });
    assert.deepEqual(JSON.parse(stdout), { state: 'completed', notFound: 'NotFoundError' });
    assert.equal(srv.received[0]?.headers.authorization, 'Bearer luma-api-packed');
    assert.equal(srv.received[0]?.url, '/v1/generations/abc');
  });
});

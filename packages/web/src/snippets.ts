// Copyable snippets for a generation: curl and the client library, with the key left in the environment
// (never written into the page's text).
import type { GenerationCreateParams } from '@umbra/sdk';

const shellQuote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

export function curlSnippet(baseURL: string, id: string, request: GenerationCreateParams | null): string {
  const auth = '-H "Authorization: Bearer $LUMA_AGENTS_API_KEY"';
  const get = `curl -s ${baseURL}/generations/${id} \\\n  ${auth}`;
  if (request === null) return get;
  return (
    `# create it again\ncurl -s ${baseURL}/generations \\\n  ${auth} \\\n  -H 'Content-Type: application/json' \\\n` +
    `  -d ${shellQuote(JSON.stringify(request))}\n# read this one\n${get}`
  );
}

export function sdkSnippet(baseURL: string, id: string, request: GenerationCreateParams | null): string {
  const head =
    `import { Umbra } from '@umbra/sdk';\n\n` +
    `const client = new Umbra({ baseURL: '${baseURL}' }); // key: LUMA_AGENTS_API_KEY\n`;
  if (request === null) return `${head}const generation = await client.generations.get('${id}');\n`;
  return (
    `${head}const generation = await client.generations.createAndWait(` +
    `${JSON.stringify(request, null, 2)});\nconsole.log(generation.output);\n`
  );
}

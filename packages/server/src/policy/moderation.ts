// Moderation (issue 12 part 8): UMBRA_MODERATION picks nothing, a term list, or the operator's own HTTP
// classifier. Prompts are checked at admission; input and output images by the pipeline, through the
// classifier. A hit ends the job `failed` with `content_moderated` and the contract's reason.
//
// The classifier speaks JSON both ways:
//   POST <url>  {"kind":"prompt","text":"…"}  or  {"kind":"image","image_base64":"…","content_type":"image/png"}
//   200         {"flagged":true|false,"reason":"…"}   (reason optional; it is logged, never shown to clients)
// A classifier that times out, errs or answers anything else follows UMBRA_MODERATION_FAIL.
import { readFile } from 'node:fs/promises';
import type { Logger } from '../log.js';
import type { TermList } from './moderation-terms.js';
import { matchTerms, parseTermList } from './moderation-terms.js';

/** UMBRA_MODERATION, parsed. */
export type ModerationSetting =
  { mode: 'off' } | { mode: 'terms'; file: string } | { mode: 'http'; url: string };

/** The moderation slice of the config. */
export interface ModerationConfig {
  /** UMBRA_MODERATION: `off` (default) | `terms:<file>` | `http:<url>`. */
  setting: ModerationSetting;
  /** UMBRA_MODERATION_TIMEOUT_MS: deadline of one classifier call. Default 5000. */
  timeoutMs: number;
  /** UMBRA_MODERATION_FAIL: `closed` (default) blocks when the classifier cannot answer; `open` allows. */
  failOpen: boolean;
}

/** Parses UMBRA_MODERATION; throws an Error whose message names the setting. */
export function parseModerationSetting(raw: string | null): ModerationSetting {
  if (raw === null || raw === '' || raw === 'off') return { mode: 'off' };
  if (raw.startsWith('terms:')) {
    const file = raw.slice('terms:'.length);
    if (file === '') throw new Error('UMBRA_MODERATION=terms:<file> needs a file');
    return { mode: 'terms', file };
  }
  if (raw.startsWith('http:')) {
    const url = raw.slice('http:'.length);
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new Error(`UMBRA_MODERATION=http:<url> needs an http(s) URL, got '${url}'`);
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      throw new Error(`UMBRA_MODERATION=http:<url> needs an http(s) URL, got '${url}'`);
    }
    return { mode: 'http', url };
  }
  throw new Error(`UMBRA_MODERATION must be off, terms:<file> or http:<url>, got '${raw}'`);
}

/** What the classifier is asked about. */
export type ClassifierRequest =
  { kind: 'prompt'; text: string } | { kind: 'image'; image_base64: string; content_type: string };

/** A decision: allowed, or blocked with a reason for the log. */
export type Verdict = { flagged: false } | { flagged: true; detail: string };

const ALLOWED: Verdict = { flagged: false };

/**
 * One classifier call, bounded by `timeoutMs` and `signal`. Resolves to the classifier's answer, or
 * rejects (timeout, network error, non-2xx, malformed body). The URL is the operator's, never a user's,
 * so plain fetch is right here (the guarded client is for user-supplied URLs).
 */
export async function askClassifier(
  url: string,
  body: ClassifierRequest,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<Verdict> {
  const deadline = AbortSignal.timeout(timeoutMs);
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(body),
    signal: signal === undefined ? deadline : AbortSignal.any([signal, deadline]),
  });
  if (!res.ok) {
    await res.body?.cancel();
    throw new Error(`classifier answered HTTP ${res.status}`);
  }
  const answer: unknown = await res.json();
  if (
    typeof answer !== 'object' ||
    answer === null ||
    typeof (answer as { flagged?: unknown }).flagged !== 'boolean'
  ) {
    throw new Error('classifier answer has no boolean "flagged"');
  }
  const { flagged, reason } = answer as { flagged: boolean; reason?: unknown };
  if (!flagged) return ALLOWED;
  return {
    flagged: true,
    detail: typeof reason === 'string' ? reason.slice(0, 500) : 'flagged by classifier',
  };
}

/** The moderation port the admission and the pipeline use. */
export interface Moderator {
  /** True when images are checked (the classifier); a term list checks prompts only. */
  readonly checksImages: boolean;
  /** Checks a prompt. */
  checkPrompt(text: string, signal?: AbortSignal): Promise<Verdict>;
  /** Checks an image file (input or output). */
  checkImage(path: string, contentType: string, signal?: AbortSignal): Promise<Verdict>;
}

/** `off`: everything passes. */
export const noModeration: Moderator = {
  checksImages: false,
  checkPrompt: () => Promise.resolve(ALLOWED),
  checkImage: () => Promise.resolve(ALLOWED),
};

/** A term list: prompts only. */
export function termsModerator(list: TermList): Moderator {
  return {
    checksImages: false,
    checkPrompt: (text) => {
      const hit = matchTerms(list, text);
      return Promise.resolve(hit === null ? ALLOWED : { flagged: true, detail: `term ${hit}` });
    },
    checkImage: () => Promise.resolve(ALLOWED),
  };
}

/** The operator's classifier for prompts and images, with the fail-open/fail-closed rule applied. */
export function httpModerator(url: string, o: Omit<ModerationConfig, 'setting'>, log: Logger): Moderator {
  const ask = async (body: ClassifierRequest, signal?: AbortSignal): Promise<Verdict> => {
    try {
      return await askClassifier(url, body, o.timeoutMs, signal);
    } catch (err) {
      // A cancelled job is not the classifier's failure: let the caller see the abort.
      signal?.throwIfAborted();
      const cause = err instanceof Error ? err.message : String(err);
      log.warn({ kind: body.kind, cause, failOpen: o.failOpen }, 'moderation classifier unavailable');
      return o.failOpen ? ALLOWED : { flagged: true, detail: `classifier unavailable (${cause})` };
    }
  };
  return {
    checksImages: true,
    checkPrompt: (text, signal) => ask({ kind: 'prompt', text }, signal),
    checkImage: async (path, contentType, signal) =>
      ask(
        { kind: 'image', image_base64: (await readFile(path)).toString('base64'), content_type: contentType },
        signal,
      ),
  };
}

/** Logs every hit with its detail: the operator sees why; the client sees only the contract's reason. */
function logged(m: Moderator, log: Logger): Moderator {
  const note = (kind: string, v: Verdict): Verdict => {
    if (v.flagged) log.info({ kind, detail: v.detail }, 'moderation flagged content');
    return v;
  };
  return {
    checksImages: m.checksImages,
    checkPrompt: async (text, signal) => note('prompt', await m.checkPrompt(text, signal)),
    checkImage: async (path, type, signal) => note('image', await m.checkImage(path, type, signal)),
  };
}

/**
 * The image side alone, for a render worker that admits nothing (`umbra worker`): the classifier when one
 * is configured, else none. Opening it needs no I/O.
 */
export function imageModerator(c: ModerationConfig, log: Logger): Moderator | undefined {
  return c.setting.mode === 'http' ? logged(httpModerator(c.setting.url, c, log), log) : undefined;
}

/** Builds the configured moderator; reads and checks a term file (start-up fails on a bad one). */
export async function openModerator(c: ModerationConfig, log: Logger): Promise<Moderator> {
  return c.setting.mode === 'off' ? noModeration : logged(await openActive(c, log), log);
}

async function openActive(c: ModerationConfig, log: Logger): Promise<Moderator> {
  switch (c.setting.mode) {
    case 'off':
      return noModeration;
    case 'terms': {
      let text: string;
      try {
        text = await readFile(c.setting.file, 'utf8');
        return termsModerator(parseTermList(text));
      } catch (err) {
        const cause = err instanceof Error ? err.message : String(err);
        throw new Error(`UMBRA_MODERATION term file ${c.setting.file}: ${cause}`);
      }
    }
    case 'http':
      return httpModerator(c.setting.url, c, log);
  }
}

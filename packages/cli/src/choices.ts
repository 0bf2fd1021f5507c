// The closed-set flags of `umbra generate` (--model, --ratio, --format, --style, --resolution, --duration,
// --strength): what each model/type accepts, from the client library's table (checked against the server's
// validation by a contract test), shown in --help and enforced before anything is sent.
import type { AcceptedValues, ClosedField, ClosedFieldValues, GenerationType, Model } from '@umbra/sdk';
import { MODELS, MODEL_TYPES, acceptedValues, defaultModel } from '@umbra/sdk';
import { usageError } from './exit-codes.js';

/** The generate flags with a closed set of values, as commander names them, and the field each sets. */
export const CLOSED_FLAGS = [
  { flag: '--ratio', key: 'ratio', field: 'aspect_ratio' },
  { flag: '--format', key: 'format', field: 'output_format' },
  { flag: '--style', key: 'style', field: 'style' },
  { flag: '--resolution', key: 'resolution', field: 'video.resolution' },
  { flag: '--duration', key: 'duration', field: 'video.duration' },
  { flag: '--strength', key: 'strength', field: 'video.edit.strength' },
] as const satisfies readonly { flag: string; key: string; field: ClosedField }[];

type ClosedKey = (typeof CLOSED_FLAGS)[number]['key'];

/** The closed-set flags as given: any string, until `checkChoices` has vetted it. */
export type ClosedFlags = { model?: string } & { [K in ClosedKey]?: string };

/** How the request's type was decided, for messages. */
export type TypeOrigin = 'flag' | 'source' | 'video flags' | 'default';

/** The vetted values, typed as the request needs them; absent = the flag was not given. */
export type Choices = { model?: Model } & Partial<ClosedFieldValues>;

interface Kind {
  model: Model;
  type: GenerationType;
}

/** Every model/type pair the API serves, in the contract's order. */
const KINDS: readonly Kind[] = MODELS.flatMap((model) => MODEL_TYPES[model].map((type) => ({ model, type })));

/** `uni-1, uni-1-max (image, image_edit); ray-3.2 (video)`: models sharing the same types share a label. */
function describeKinds(kinds: readonly Kind[]): string {
  const modelsByTypes = new Map<string, Model[]>();
  for (const model of MODELS) {
    const types = kinds.filter((k) => k.model === model).map((k) => k.type);
    if (types.length === 0) continue;
    const key = types.join(', ');
    modelsByTypes.set(key, [...(modelsByTypes.get(key) ?? []), model]);
  }
  return [...modelsByTypes].map(([types, models]) => `${models.join(', ')} (${types})`).join('; ');
}

/** For one field, each distinct list of values and the model/types that accept exactly that list. */
export function valuesByKind(field: ClosedField): { who: string; values: readonly string[] }[] {
  const groups = new Map<string, { kinds: Kind[]; values: readonly string[] }>();
  for (const kind of KINDS) {
    const values: readonly string[] = acceptedValues(kind.model, kind.type)?.[field] ?? [];
    if (values.length === 0) continue;
    const key = values.join(' ');
    const group = groups.get(key) ?? { kinds: [], values };
    group.kinds.push(kind);
    groups.set(key, group);
  }
  return [...groups.values()].map((g) => ({ who: describeKinds(g.kinds), values: g.values }));
}

const HELP_WIDTH = 110;
const LABEL_WIDTH = 14;

/** `label` then `text`, wrapped at word boundaries under the label column. */
function helpRow(label: string, text: string): string {
  const indent = ' '.repeat(2 + LABEL_WIDTH);
  const lines: string[] = [];
  let line = `  ${label.padEnd(LABEL_WIDTH)}`;
  for (const word of text.split(' ')) {
    if (line.length + word.length + 1 > HELP_WIDTH && line.trim() !== label) {
      lines.push(line.trimEnd());
      line = indent;
    }
    line += line.endsWith(' ') ? word : ` ${word}`;
  }
  lines.push(line.trimEnd());
  return lines.join('\n');
}

/** The `umbra generate --help` section listing which model/type accepts which value of each closed flag. */
export function choicesHelp(): string {
  // Models that make the same types share a row: `uni-1, uni-1-max: image, image_edit (default uni-1)`.
  const byTypes = new Map<string, { types: readonly GenerationType[]; models: Model[] }>();
  for (const m of MODELS) {
    const types = MODEL_TYPES[m];
    const group = byTypes.get(types.join()) ?? { types, models: [] };
    group.models.push(m);
    byTypes.set(types.join(), group);
  }
  const rows = [...byTypes.values()].map(({ types, models }, i) => {
    const defaults = [...new Set(types.map(defaultModel))].join(', ');
    return helpRow(
      i === 0 ? '--model' : '',
      `${models.join(', ')}: ${types.join(', ')} (default ${defaults})`,
    );
  });
  for (const { flag, field } of CLOSED_FLAGS) {
    for (const [i, { who, values }] of valuesByKind(field).entries()) {
      rows.push(helpRow(i === 0 ? flag : '', `${who}: ${values.join(' ')}`));
    }
  }
  return `
Accepted values by model (type); anything else is refused before the request is sent:
${rows.join('\n')}
--ratio is ignored by image_edit and video_edit, --duration by video_edit and video_reframe (the output
follows the source). Combinations (e.g. --style manga on type image needs a portrait --ratio, --hdr needs
720p or 1080p) are the server's to check.
`;
}

const ORIGIN: Record<TypeOrigin, string> = {
  flag: '',
  source: ' (from --source)',
  'video flags': ' (from the video flags)',
  default: ' (default)',
};

/**
 * Vets the closed-set flags against what the model accepts for `type` (the model being `--model` or the
 * type's default). Throws a one-line usage error naming the accepted values, so nothing is sent that the
 * API must refuse.
 */
export function checkChoices(f: ClosedFlags, type: GenerationType, origin: TypeOrigin): Choices {
  const typeLabel = `type ${type}${ORIGIN[origin]}`;
  let model: Model;
  if (f.model === undefined) {
    model = defaultModel(type);
  } else {
    const named = MODELS.find((m) => m === f.model);
    if (named === undefined) {
      throw usageError(`--model ${f.model} is not a model; accepted: ${MODELS.join(', ')}`);
    }
    model = named;
  }
  const accepted: AcceptedValues | null = acceptedValues(model, type);
  if (accepted === null) {
    const makers = MODELS.filter((m) => MODEL_TYPES[m].includes(type));
    throw usageError(
      `--model ${model} does not make ${typeLabel}; accepted for ${type}: ${makers.join(', ')}`,
    );
  }
  const by = `${model}${f.model === undefined ? ' (default)' : ''} for ${typeLabel}`;
  const choices: Choices = f.model === undefined ? {} : { model };
  const vet = <F extends ClosedField>(field: F, flag: string, value: string | undefined): void => {
    if (value === undefined) return;
    const list: readonly ClosedFieldValues[F][] = accepted[field];
    const hit = list.find((v) => v === value);
    if (hit !== undefined) {
      choices[field] = hit;
      return;
    }
    // A type that takes no value of the flag gets told which model/types do.
    const takers = (): string =>
      valuesByKind(field)
        .map((g) => g.who)
        .join('; ');
    const where = list.length > 0 ? `accepted: ${list.join(', ')}` : `${flag} is for ${takers()}`;
    throw usageError(`${flag} ${value} is not accepted by ${by}; ${where}`);
  };
  for (const { flag, key, field } of CLOSED_FLAGS) vet(field, flag, f[key]);
  return choices;
}

// Content types by file extension: blob keys of outputs always carry one.
const TYPES: Readonly<Record<string, string>> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  webp: 'image/webp',
  gif: 'image/gif',
  mp4: 'video/mp4',
  mov: 'video/quicktime',
  webm: 'video/webm',
  zip: 'application/zip',
  exr: 'image/x-exr',
  json: 'application/json',
};

export const contentTypeForKey = (key: string): string => {
  const dot = key.lastIndexOf('.');
  const ext = dot < 0 ? '' : key.slice(dot + 1).toLowerCase();
  return TYPES[ext] ?? 'application/octet-stream';
};

export const extensionForContentType = (contentType: string): string => {
  for (const [ext, type] of Object.entries(TYPES)) if (type === contentType) return ext;
  return 'bin';
};

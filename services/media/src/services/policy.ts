import { badInput, Config } from '@cascade/kernel';
import { AssetKind } from '../entities';

/** The kinds of content Cascade accepts, each with its size limit (configurable). */
export type ContentClass = 'image' | 'video' | 'document';

interface Allowed {
  class: ContentClass;
  /** File name extensions that go with the type. */
  extensions: string[];
  /** What file-type may report for it (its sniffed type must be one of these). */
  sniffedAs: string[];
  /** Shown inline when downloaded (images, video); everything else is an attachment. */
  inline: boolean;
  /** sharp makes a thumbnail of it. */
  thumbnail: boolean;
}

const OOXML = 'application/vnd.openxmlformats-officedocument';

/**
 * The allow-list. Every type here is recognisable from its first bytes, so what a file
 * claims to be can be checked. Not here on purpose: SVG and HTML (scripts), plain text
 * and CSV (nothing to sniff), legacy binary Office files (macros), archives, executables.
 */
export const ALLOWED_TYPES: Record<string, Allowed> = {
  'image/png': { class: 'image', extensions: ['png'], sniffedAs: ['image/png'], inline: true, thumbnail: true },
  'image/jpeg': { class: 'image', extensions: ['jpg', 'jpeg'], sniffedAs: ['image/jpeg'], inline: true, thumbnail: true },
  'image/gif': { class: 'image', extensions: ['gif'], sniffedAs: ['image/gif'], inline: true, thumbnail: true },
  'image/webp': { class: 'image', extensions: ['webp'], sniffedAs: ['image/webp'], inline: true, thumbnail: true },
  'video/mp4': { class: 'video', extensions: ['mp4', 'm4v'], sniffedAs: ['video/mp4', 'video/x-m4v'], inline: true, thumbnail: false },
  'video/quicktime': { class: 'video', extensions: ['mov'], sniffedAs: ['video/quicktime'], inline: true, thumbnail: false },
  'video/webm': { class: 'video', extensions: ['webm'], sniffedAs: ['video/webm'], inline: true, thumbnail: false },
  'application/pdf': { class: 'document', extensions: ['pdf'], sniffedAs: ['application/pdf'], inline: false, thumbnail: false },
  [`${OOXML}.wordprocessingml.document`]: { class: 'document', extensions: ['docx'], sniffedAs: [`${OOXML}.wordprocessingml.document`], inline: false, thumbnail: false },
  [`${OOXML}.spreadsheetml.sheet`]: { class: 'document', extensions: ['xlsx'], sniffedAs: [`${OOXML}.spreadsheetml.sheet`], inline: false, thumbnail: false },
  [`${OOXML}.presentationml.presentation`]: { class: 'document', extensions: ['pptx'], sniffedAs: [`${OOXML}.presentationml.presentation`], inline: false, thumbnail: false },
};

/** Which content each kind of asset may carry. */
const KIND_CLASSES: Record<AssetKind, ContentClass[]> = {
  [AssetKind.DISPLAY_BOARD]: ['image', 'document'],
  [AssetKind.POSTER]: ['image', 'document'],
  [AssetKind.FLYER]: ['image', 'document'],
  [AssetKind.BANNER]: ['image', 'document'],
  [AssetKind.PHOTO]: ['image'],
  [AssetKind.VIDEO]: ['video'],
  [AssetKind.DOCUMENT]: ['document'],
  [AssetKind.MODEL]: ['image', 'video', 'document'],
  [AssetKind.OTHER]: ['image', 'video', 'document'],
};

export function sizeLimit(config: Config, cls: ContentClass): number {
  switch (cls) {
    case 'image':
      return config.MEDIA_MAX_IMAGE_BYTES;
    case 'video':
      return config.MEDIA_MAX_VIDEO_BYTES;
    case 'document':
      return config.MEDIA_MAX_DOCUMENT_BYTES;
  }
}

export function allowedType(contentType: string): Allowed | undefined {
  return Object.prototype.hasOwnProperty.call(ALLOWED_TYPES, contentType) ? ALLOWED_TYPES[contentType] : undefined;
}

/**
 * Checks a declared upload against the allow-list: the type, that it fits the kind, that the
 * file name's extension goes with it, and the size limit. Returns the normalised type.
 */
export function checkDeclared(config: Config, input: { kind: AssetKind; contentType: string; fileName: string; byteSize: number }): string {
  const contentType = input.contentType.trim().toLowerCase().split(';')[0].trim();
  const allowed = allowedType(contentType);
  if (!allowed) throw badInput(`Content type ${JSON.stringify(contentType.slice(0, 100))} is not allowed`, 'contentType');
  if (!KIND_CLASSES[input.kind].includes(allowed.class)) {
    throw badInput(`A ${input.kind} may not be ${contentType}`, 'contentType');
  }
  const extension = /\.([A-Za-z0-9]{1,10})$/.exec(input.fileName)?.[1]?.toLowerCase();
  if (!extension || !allowed.extensions.includes(extension)) {
    throw badInput(`The file name must end in ${allowed.extensions.map((e) => `.${e}`).join(' or ')} for ${contentType}`, 'fileName');
  }
  if (!Number.isInteger(input.byteSize) || input.byteSize < 1) throw badInput('byteSize must be a positive number of bytes', 'byteSize');
  const limit = sizeLimit(config, allowed.class);
  if (input.byteSize > limit) throw badInput(`byteSize ${input.byteSize} is above the ${allowed.class} limit of ${limit} bytes`, 'byteSize');
  return contentType;
}

/**
 * The client's file name, kept only for Content-Disposition: the last path segment, no
 * control characters, at most 255 characters. NUL or control characters are refused.
 */
export function cleanFileName(name: string): string {
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(name)) throw badInput('fileName contains control characters', 'fileName');
  const base = name.split(/[\\/]/).pop()!.trim();
  if (!base || base === '.' || base === '..') throw badInput('fileName is empty', 'fileName');
  if (base.length > 255) throw badInput('fileName must be at most 255 characters', 'fileName');
  return base;
}

/** Content-Disposition for a download: inline for images and video, attachment otherwise. */
export function contentDisposition(contentType: string, fileName: string): string {
  const inline = allowedType(contentType)?.inline ?? false;
  const ascii = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `${inline ? 'inline' : 'attachment'}; filename="${ascii}"; filename*=UTF-8''${rfc5987(fileName)}`;
}

function rfc5987(value: string): string {
  return encodeURIComponent(value).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

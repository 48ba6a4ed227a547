export { mediaModule } from './schema';
export * from './entities';
export * from './storage';
export { mediaKey, signMediaToken, verifyMediaToken } from './services/signing';
export type { MediaToken, MediaTokenKind } from './services/signing';
export { ALLOWED_TYPES } from './services/policy';
export { Sniffer } from './services/sniff';
export type { SniffResult, Sniffed } from './services/sniff';
export { receive, thumbnailBounds, thumbnails } from './services/upload';

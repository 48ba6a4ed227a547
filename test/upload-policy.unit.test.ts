import { parseConfig } from '@cascade/kernel';
import { AssetKind } from '../services/media/src/entities/enums';
import { allowedType, checkDeclared, cleanFileName, contentDisposition } from '../services/media/src/services/policy';

/** media's upload policy on its own: the allow-list, kinds, extensions, size limits, file names. */
const config = parseConfig({ DATA_DIR: '/nonexistent', MEDIA_MAX_IMAGE_BYTES: '2000', MEDIA_MAX_VIDEO_BYTES: '5000', MEDIA_MAX_DOCUMENT_BYTES: '3000' });
const declared = (kind: AssetKind, contentType: string, fileName: string, byteSize = 100) => () => checkDeclared(config, { kind, contentType, fileName, byteSize });
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

function refusedOn(fn: () => unknown, field: string, message: RegExp) {
  expect(fn).toThrow(expect.objectContaining({ extensions: { code: 'BAD_USER_INPUT', field }, message: expect.stringMatching(message) }));
}

describe('declared uploads', () => {
  it('an allowed type, fitting the kind, with its extension and within its limit: the normalised type', () => {
    expect(declared(AssetKind.PHOTO, 'image/jpeg', 'ceremony.JPEG')()).toBe('image/jpeg');
    expect(declared(AssetKind.POSTER, ' Image/PNG; charset=binary ', 'poster.png')()).toBe('image/png');
    expect(declared(AssetKind.DOCUMENT, DOCX, '工作总结.docx')()).toBe(DOCX);
    expect(declared(AssetKind.VIDEO, 'video/mp4', 'clip.m4v', 5000)()).toBe('video/mp4');
  });

  it('types that cannot be checked by their bytes, or may carry scripts or macros, are refused', () => {
    for (const type of ['image/svg+xml', 'text/html', 'text/plain', 'text/csv', 'application/msword', 'application/zip', 'application/x-msdownload', '', 'constructor', '__proto__']) {
      refusedOn(declared(AssetKind.OTHER, type, 'file.bin'), 'contentType', /not allowed/);
    }
  });

  it('each kind carries only its classes of content', () => {
    refusedOn(declared(AssetKind.PHOTO, 'application/pdf', 'a.pdf'), 'contentType', /A PHOTO may not be application\/pdf/);
    refusedOn(declared(AssetKind.VIDEO, 'image/png', 'a.png'), 'contentType', /VIDEO/);
    refusedOn(declared(AssetKind.DOCUMENT, 'video/webm', 'a.webm'), 'contentType', /DOCUMENT/);
    expect(declared(AssetKind.MODEL, 'video/webm', 'a.webm')()).toBe('video/webm');
  });

  it('the file name must end in an extension of the type', () => {
    refusedOn(declared(AssetKind.PHOTO, 'image/png', 'photo.jpg'), 'fileName', /must end in \.png/);
    refusedOn(declared(AssetKind.PHOTO, 'image/jpeg', 'photo'), 'fileName', /\.jpg or \.jpeg/);
    refusedOn(declared(AssetKind.PHOTO, 'image/png', 'photo.png.exe'), 'fileName', /\.png/);
  });

  it('a size from 1 byte to the limit of its class (configured per class)', () => {
    expect(declared(AssetKind.PHOTO, 'image/png', 'a.png', 2000)()).toBe('image/png');
    refusedOn(declared(AssetKind.PHOTO, 'image/png', 'a.png', 2001), 'byteSize', /above the image limit of 2000 bytes/);
    expect(declared(AssetKind.DOCUMENT, 'application/pdf', 'a.pdf', 3000)()).toBe('application/pdf');
    refusedOn(declared(AssetKind.DOCUMENT, 'application/pdf', 'a.pdf', 3001), 'byteSize', /document limit of 3000/);
    for (const size of [0, -1, 1.5, Number.NaN]) refusedOn(declared(AssetKind.PHOTO, 'image/png', 'a.png', size), 'byteSize', /positive/);
  });

  it('allowedType knows only the allow-list (no inherited names)', () => {
    expect(allowedType('image/webp')).toMatchObject({ class: 'image', thumbnail: true });
    expect(allowedType('toString')).toBeUndefined();
    expect(allowedType('hasOwnProperty')).toBeUndefined();
  });
});

describe('file names', () => {
  it('keeps the last path segment, trimmed', () => {
    expect(cleanFileName('C:\\Users\\wang\\海报.png')).toBe('海报.png');
    expect(cleanFileName('../../etc/passwd')).toBe('passwd');
    expect(cleanFileName('  spaced.pdf ')).toBe('spaced.pdf');
  });

  it('refuses control characters, empty names, dot names and names over 255 characters', () => {
    refusedOn(() => cleanFileName('a\u0000.png'), 'fileName', /control/);
    refusedOn(() => cleanFileName('a\n.png'), 'fileName', /control/);
    for (const name of ['', '   ', 'dir/', '.', '..', 'a/..']) refusedOn(() => cleanFileName(name), 'fileName', /empty/);
    expect(cleanFileName('x'.repeat(255))).toHaveLength(255);
    refusedOn(() => cleanFileName('x'.repeat(256)), 'fileName', /255/);
  });
});

describe('Content-Disposition of a download', () => {
  it('inline for images and video, attachment for documents and anything unknown', () => {
    expect(contentDisposition('image/png', 'a.png')).toMatch(/^inline; /);
    expect(contentDisposition('video/mp4', 'a.mp4')).toMatch(/^inline; /);
    expect(contentDisposition('application/pdf', 'a.pdf')).toMatch(/^attachment; /);
    expect(contentDisposition('text/html', 'a.html')).toMatch(/^attachment; /);
  });

  it('an ASCII fallback without quotes or backslashes, and the UTF-8 name per RFC 5987', () => {
    expect(contentDisposition('application/pdf', '工作"总结\\(1).pdf')).toBe(
      `attachment; filename="______(1).pdf"; filename*=UTF-8''%E5%B7%A5%E4%BD%9C%22%E6%80%BB%E7%BB%93%5C%281%29.pdf`,
    );
  });
});

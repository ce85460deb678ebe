import { inflateSync } from 'node:zlib';

/**
 * Structural checks of an uploaded scan, after its type was read from the content: a file that
 * only starts like a PNG, JPEG or PDF is refused (000 §2.1.10 asks for a readable scan), never
 * passed on to a reviewer's viewer. No decoder is involved: each check walks the format's own
 * framing and stops at the first fault, so a malformed file costs no more than reading it.
 */
export type StructureProblem = string | undefined;

/** Largest decoded PNG accepted (bytes of filtered scanlines): an A4 page at 300 dpi is ~26 MB. */
const MAX_PNG_RAW_BYTES = 64 * 1024 * 1024;

const PNG_CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };
const PNG_DEPTHS: Record<number, number[]> = {
  0: [1, 2, 4, 8, 16],
  2: [8, 16],
  3: [1, 2, 4, 8],
  4: [8, 16],
  6: [8, 16],
};

export function pngProblem(b: Buffer): StructureProblem {
  if (b.length < 8 + 25 + 12) return 'the PNG is truncated';
  let o = 8;
  let header: { width: number; height: number; depth: number; color: number; interlace: number };
  const idat: Buffer[] = [];
  let first = true;
  for (;;) {
    if (o + 12 > b.length) return 'the PNG is truncated (no IEND chunk)';
    const len = b.readUInt32BE(o);
    const type = b.toString('latin1', o + 4, o + 8);
    if (!/^[A-Za-z]{4}$/.test(type)) return 'the PNG has a malformed chunk';
    if (len > b.length - o - 12) return `the PNG's ${type} chunk runs past the end of the file`;
    const data = b.subarray(o + 8, o + 8 + len);
    if (first) {
      if (type !== 'IHDR' || len !== 13) return 'the PNG does not start with its header (IHDR)';
      header = {
        width: data.readUInt32BE(0),
        height: data.readUInt32BE(4),
        depth: data[8]!,
        color: data[9]!,
        interlace: data[12]!,
      };
      if (header.width === 0 || header.height === 0) return 'the PNG has no pixels';
      if (!PNG_DEPTHS[header.color]?.includes(header.depth))
        return 'the PNG has an invalid colour type or bit depth';
      if (data[10] !== 0 || data[11] !== 0 || header.interlace > 1)
        return 'the PNG has an unknown compression, filter or interlace method';
      first = false;
    } else if (type === 'IDAT') idat.push(data);
    else if (type === 'IEND') break;
    o += 12 + len;
  }
  if (idat.length === 0) return 'the PNG has no image data (IDAT)';
  const h = header!;
  const rowBytes = Math.ceil((h.width * PNG_CHANNELS[h.color]! * h.depth) / 8);
  // non-interlaced: one filter byte per row; Adam7 needs a few more, never more than twice
  const expected = h.height * (1 + rowBytes);
  const max = h.interlace ? expected * 2 : expected;
  if (max > MAX_PNG_RAW_BYTES) return 'the PNG is too large when decoded';
  let raw: Buffer;
  try {
    raw = inflateSync(Buffer.concat(idat), { maxOutputLength: max + 1 });
  } catch {
    return 'the PNG image data is corrupt';
  }
  if (h.interlace ? raw.length < h.height : raw.length !== expected)
    return 'the PNG image data does not match its size';
  return undefined;
}

export function jpegProblem(b: Buffer): StructureProblem {
  if (b.length < 4 || b[0] !== 0xff || b[1] !== 0xd8) return 'the JPEG does not start with SOI';
  let o = 2;
  let frame = false;
  for (;;) {
    // markers may be padded with 0xFF
    while (o < b.length && b[o] === 0xff && b[o + 1] === 0xff) o++;
    if (o + 4 > b.length) return 'the JPEG is truncated';
    if (b[o] !== 0xff) return 'the JPEG has a malformed segment';
    const marker = b[o + 1]!;
    if (marker === 0xd9) return 'the JPEG ends before its image data';
    if (marker >= 0xd0 && marker <= 0xd7) return 'the JPEG has a misplaced marker';
    const len = b.readUInt16BE(o + 2);
    if (len < 2 || o + 2 + len > b.length) return 'the JPEG is truncated';
    // SOF0–SOF15 except DHT (C4), JPG (C8) and DAC (CC)
    if (marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker)) {
      if (len < 8) return 'the JPEG frame header is malformed';
      const height = b.readUInt16BE(o + 5);
      const width = b.readUInt16BE(o + 7);
      const components = b[o + 9]!;
      if (width === 0 || components < 1 || components > 4 || len !== 8 + 3 * components)
        return 'the JPEG frame header is malformed';
      void height; // 0 is allowed (defined later by DNL)
      frame = true;
    }
    o += 2 + len;
    if (marker === 0xda) break; // start of scan: entropy-coded data follows
  }
  if (!frame) return 'the JPEG has no frame header';
  // the image ends with EOI; allow a little padding after it
  const tail = b.subarray(Math.max(o, b.length - 1024));
  for (let i = tail.length - 2; i >= 0; i--)
    if (tail[i] === 0xff && tail[i + 1] === 0xd9) return undefined;
  return 'the JPEG is truncated (no end of image)';
}

export function pdfProblem(b: Buffer): StructureProblem {
  const head = b.toString('latin1', 0, Math.min(b.length, 1024));
  if (!/^%PDF-[12]\.\d/.test(head.slice(head.indexOf('%PDF-'))))
    return 'the PDF has no valid header';
  const tail = b.toString('latin1', Math.max(0, b.length - 1024));
  if (!/%%EOF\s*$/.test(tail)) return 'the PDF is truncated (no %%EOF at its end)';
  const m = /startxref\s+(\d+)\s+%%EOF\s*$/.exec(tail);
  if (!m) return 'the PDF has no cross-reference pointer (startxref)';
  const at = Number(m[1]);
  if (!(at > 0 && at < b.length)) return 'the PDF cross-reference pointer is out of range';
  const there = b.toString('latin1', at, Math.min(b.length, at + 64));
  // a classic table, or a cross-reference stream object
  if (!/^\s*(xref\b|\d+\s+\d+\s+obj\b)/.test(there))
    return 'the PDF cross-reference pointer points nowhere';
  return undefined;
}

export function structureProblem(mime: string, b: Buffer): StructureProblem {
  if (mime === 'image/png') return pngProblem(b);
  if (mime === 'image/jpeg') return jpegProblem(b);
  if (mime === 'application/pdf') return pdfProblem(b);
  return `unsupported type ${mime}`;
}

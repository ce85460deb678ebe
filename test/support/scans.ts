import { crc32, deflateSync } from 'node:zlib';

/** Well-formed scans built byte by byte, and broken ones, for the upload checks. */

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(4);
  head.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body) >>> 0);
  return Buffer.concat([head, body, crc]);
}

/** A real PNG: width × height RGBA pixels, every chunk with its CRC. */
export function png(width = 1, height = 1, extraIdat?: Buffer): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  const rows = Buffer.alloc(height * (1 + width * 4), 0x7f);
  for (let y = 0; y < height; y++) rows[y * (1 + width * 4)] = 0; // filter: none
  return Buffer.concat([
    Buffer.from('89504e470d0a1a0a', 'hex'),
    chunk('IHDR', ihdr),
    chunk('IDAT', extraIdat ?? deflateSync(rows)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/**
 * A baseline JPEG built by hand: one 8×8 block of mid grey (1×1 visible). Huffman tables with a
 * single 1-bit code each, so the block is DC "0" (no difference) and AC "0" (end of block),
 * padded with 1-bits: 0x3F. Decodable by any JPEG decoder.
 */
export const JPEG = Buffer.concat([
  Buffer.from('ffd8', 'hex'), // SOI
  Buffer.from('ffe000104a46494600010100000100010000', 'hex'), // APP0 JFIF
  Buffer.from('ffdb004300', 'hex'),
  Buffer.alloc(64, 1), // DQT: table 0, all ones
  Buffer.from('ffc0000b080001000101011100', 'hex'), // SOF0: 8 bit, 1×1, one component
  Buffer.from('ffc400140001' + '00'.repeat(15) + '00', 'hex'), // DHT DC 0: one code, symbol 0
  Buffer.from('ffc400141001' + '00'.repeat(15) + '00', 'hex'), // DHT AC 0: one code, EOB
  Buffer.from('ffda000801010000' + '3f00', 'hex'), // SOS: component 1, tables 0/0, 0–63
  Buffer.from('3f', 'hex'), // the block
  Buffer.from('ffd9', 'hex'), // EOI
]);

/** A one-page PDF whose cross-reference table points at its objects. */
export function pdf(): Buffer {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>',
  ];
  let out = '%PDF-1.7\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(Buffer.byteLength(out, 'latin1'));
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = Buffer.byteLength(out, 'latin1');
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const off of offsets) out += `${String(off).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

import { describe, expect, it } from '@jest/globals';
import { deflateSync } from 'node:zlib';
import {
  jpegProblem,
  pdfProblem,
  pngProblem,
  structureProblem,
} from '../../src/cases/document-structure.js';
import { JPEG, pdf, png } from '../support/scans.js';

describe('scan structure: PNG', () => {
  it('given a well-formed PNG, when checked, then no problem', () => {
    expect(pngProblem(png(3, 2))).toBeUndefined();
  });

  it('given a PNG cut off in the middle, when checked, then it is refused as truncated', () => {
    const whole = png(3, 2);
    expect(pngProblem(whole.subarray(0, whole.length - 20))).toMatch(/truncated|past the end/);
  });

  it('given a PNG whose image data is not a zlib stream, when checked, then it is refused as corrupt', () => {
    expect(pngProblem(png(1, 1, Buffer.from('not deflate data')))).toMatch(/corrupt/);
  });

  it('given a PNG whose image data is shorter than its declared size, when checked, then it is refused', () => {
    expect(pngProblem(png(4, 4, deflateSync(Buffer.alloc(3))))).toMatch(/does not match/);
  });

  it('given a PNG claiming 60000 × 60000 pixels, when checked, then it is refused before decoding (decompression bomb)', () => {
    const b = png(1, 1);
    b.writeUInt32BE(60000, 16);
    b.writeUInt32BE(60000, 20);
    expect(pngProblem(b)).toMatch(/too large/);
  });
});

describe('scan structure: JPEG', () => {
  it('given a well-formed JPEG, when checked, then no problem', () => {
    expect(jpegProblem(JPEG)).toBeUndefined();
  });

  it('given a JPEG without its end-of-image marker, when checked, then it is refused as truncated', () => {
    expect(jpegProblem(JPEG.subarray(0, JPEG.length - 2))).toMatch(/truncated/);
  });

  it('given only a JPEG signature, when checked, then it is refused', () => {
    expect(jpegProblem(Buffer.from('ffd8ffe00010', 'hex'))).toMatch(/truncated|malformed/);
  });
});

describe('scan structure: PDF', () => {
  it('given a well-formed PDF, when checked, then no problem', () => {
    expect(pdfProblem(pdf())).toBeUndefined();
  });

  it('given a PDF cut off before %%EOF, when checked, then it is refused as truncated', () => {
    const whole = pdf();
    expect(pdfProblem(whole.subarray(0, whole.length - 10))).toMatch(/truncated/);
  });

  it('given a PDF whose startxref points outside the file, when checked, then it is refused', () => {
    const broken = Buffer.from(
      pdf()
        .toString('latin1')
        .replace(/startxref\n\d+/, 'startxref\n999999'),
      'latin1',
    );
    expect(pdfProblem(broken)).toMatch(/out of range/);
  });

  it('given a PDF header followed by junk, when checked, then it is refused', () => {
    expect(pdfProblem(Buffer.from('%PDF-1.4\n' + 'x'.repeat(100)))).toBeDefined();
  });
});

describe('scan structure: other types', () => {
  it('given a type that is not a scan, when checked, then it is refused', () => {
    expect(structureProblem('image/gif', Buffer.from('GIF89a'))).toMatch(/unsupported/);
  });
});

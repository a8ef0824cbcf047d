// A raw-byte scan of a browser profile's IndexedDB folder and a relay's data
// folder for given texts: what is on the disk, not what the app shows.
//
// A plain search of the files misses what Chromium's IndexedDB keeps in a
// form of its own, so every file is read in every form it can hold text in:
// - as it is, the text in UTF-8, UTF-16LE (V8 writes a string with a
//   character beyond Latin-1 as two-byte) and Latin-1 (one-byte strings);
// - LevelDB's write-ahead logs (`*.log`, `MANIFEST-*`) as their records
//   joined again: a record longer than what is left of a 32 KiB block goes
//   on in the next, with a 7-byte header in between that cuts the text;
// - LevelDB's tables (`*.ldb`, `*.sst`) block by block, Snappy-compressed
//   blocks decompressed, each entry's key rebuilt from its shared prefix;
// - every value of a log record or a table, and every file, also read as a
//   Snappy stream from each of its first bytes: Chromium compresses large
//   IndexedDB values with Snappy before LevelDB sees them, behind a short
//   header of its own, and writes the largest to blob files.
// A search that cannot see through these forms proves nothing.

import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { filesUnder } from './harness.mjs';

/// Where each text was found: `[{ text, file, form }]` (form: `raw`,
/// `log-record`, `table-block`, `snappy`), for every file under each `dirs`.
export async function scanFolders(dirs, texts) {
  const hits = [];
  for (const dir of dirs) {
    for (const file of await filesUnder(dir)) {
      // The browser may delete a file (an old log) while it is read.
      const bytes = await readFile(file).catch((err) => {
        if (err.code === 'ENOENT') return null;
        throw err;
      });
      if (!bytes) continue;
      for (const { form, data } of formsOf(file, bytes)) {
        for (const text of texts) {
          if (needles(text).some((n) => data.indexOf(n) !== -1)) hits.push({ text, file, form });
        }
      }
    }
  }
  // A "Snappy stream" read from a value's plain bytes can be one long
  // literal of them: count it only where the plain forms found nothing.
  const plain = new Set(hits.filter((h) => h.form !== 'snappy').map((h) => `${h.text}\0${h.file}`));
  return dedupe(hits.filter((h) => h.form !== 'snappy' || !plain.has(`${h.text}\0${h.file}`)));
}

/// The texts of `texts` found anywhere under `dirs` (each once).
export async function foundTexts(dirs, texts) {
  return [...new Set((await scanFolders(dirs, texts)).map((h) => h.text))];
}

function dedupe(hits) {
  const seen = new Set();
  return hits.filter((h) => {
    const key = `${h.text}\0${h.file}\0${h.form}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/// The byte forms `text` can take in a file.
function needles(text) {
  const out = [Buffer.from(text, 'utf8'), Buffer.from(text, 'utf16le')];
  if ([...text].every((c) => c.codePointAt(0) < 256)) out.push(Buffer.from(text, 'latin1'));
  return out;
}

/// Every form of a file's bytes worth searching.
export function formsOf(file, bytes) {
  const name = path.basename(file);
  const forms = [{ form: 'raw', data: bytes }];
  let values = [];
  try {
    if (/\.log$/.test(name) || /^MANIFEST-/.test(name)) {
      for (const record of logRecords(bytes)) {
        forms.push({ form: 'log-record', data: record });
        values.push(...batchValues(record));
      }
    } else if (/\.(ldb|sst)$/.test(name)) {
      for (const block of tableBlocks(bytes)) {
        forms.push({ form: 'table-block', data: block.data });
        values.push(...block.values);
      }
    }
  } catch {
    // A file cut short (the browser still writing): its raw form is searched.
  }
  values.push(bytes);
  for (const value of values) {
    for (let start = 0; start < Math.min(16, value.length); start++) {
      const plain = snappyDecompress(value.subarray(start));
      if (plain) forms.push({ form: 'snappy', data: plain });
    }
  }
  return forms;
}

// LevelDB's log: 32 KiB blocks of records, each `crc32 (4) | length (2, LE)
// | type (1) | data`; type 1 a whole record, 2 its first piece, 3 a middle
// one, 4 its last. Fewer than 7 bytes left in a block are padding.
const BLOCK = 32768;

export function logRecords(bytes) {
  const records = [];
  let pieces = [];
  for (let block = 0; block < bytes.length; block += BLOCK) {
    let at = block;
    const end = Math.min(block + BLOCK, bytes.length);
    while (end - at >= 7) {
      const length = bytes.readUInt16LE(at + 4);
      const type = bytes[at + 6];
      if (type === 0 && length === 0) break; // preallocated zeros
      const data = bytes.subarray(at + 7, Math.min(at + 7 + length, end));
      at += 7 + length;
      if (type === 1) records.push(data);
      else if (type === 2) pieces = [data];
      else if (type === 3) pieces.push(data);
      else if (type === 4) {
        pieces.push(data);
        records.push(Buffer.concat(pieces));
        pieces = [];
      }
    }
  }
  if (pieces.length) records.push(Buffer.concat(pieces));
  return records;
}

/// The values of a write batch: `seq (8) | count (4)` then per entry a tag
/// (1 put, 0 delete), the key, and for a put the value, each length-prefixed.
function batchValues(record) {
  const values = [];
  let at = 12;
  while (at < record.length) {
    const tag = record[at++];
    const [keyLength, afterKey] = varint(record, at);
    at = afterKey + keyLength;
    if (tag !== 1) continue;
    const [valueLength, afterValue] = varint(record, at);
    values.push(record.subarray(afterValue, afterValue + valueLength));
    at = afterValue + valueLength;
  }
  return values;
}

function varint(bytes, at) {
  let value = 0;
  for (let shift = 0; shift < 35; shift += 7) {
    if (at >= bytes.length) throw new Error('varint cut short');
    const byte = bytes[at++];
    value += (byte & 0x7f) * 2 ** shift;
    if (byte < 0x80) return [value, at];
  }
  throw new Error('varint too long');
}

// A LevelDB table: data blocks, a meta index, an index (entries whose
// values point at data blocks), and a 48-byte footer ending in a magic
// number. Each block is followed by its compression type (0 none,
// 1 Snappy) and a checksum.
const MAGIC = Buffer.from([0x57, 0xfb, 0x80, 0x8b, 0x24, 0x75, 0x47, 0xdb]);

export function tableBlocks(bytes) {
  if (bytes.length < 48 || !bytes.subarray(bytes.length - 8).equals(MAGIC)) return [];
  const footer = bytes.length - 48;
  const [, afterMetaOffset] = varint(bytes, footer);
  const [, afterMetaSize] = varint(bytes, afterMetaOffset);
  const [indexOffset, afterIndexOffset] = varint(bytes, afterMetaSize);
  const [indexSize] = varint(bytes, afterIndexOffset);
  const index = blockEntries(readBlock(bytes, indexOffset, indexSize));
  const blocks = [];
  for (const { value } of index) {
    const [offset, afterOffset] = varint(value, 0);
    const [size] = varint(value, afterOffset);
    const data = readBlock(bytes, offset, size);
    const entries = blockEntries(data);
    blocks.push({ data: Buffer.concat([data, ...entries.map((e) => e.key)]), values: entries.map((e) => e.value) });
  }
  return blocks;
}

function readBlock(bytes, offset, size) {
  const data = bytes.subarray(offset, offset + size);
  const type = bytes[offset + size];
  if (type === 1) {
    const plain = snappyDecompress(data);
    if (!plain) throw new Error(`a Snappy block at ${offset} does not decompress`);
    return plain;
  }
  return data;
}

/// A block's entries: `shared | non-shared | value length` (varints), the
/// key's new part, the value; the restart points' offsets and their count
/// close the block.
function blockEntries(block) {
  const restarts = block.readUInt32LE(block.length - 4);
  const end = block.length - 4 - 4 * restarts;
  const entries = [];
  let key = Buffer.alloc(0);
  let at = 0;
  while (at < end) {
    const [shared, a1] = varint(block, at);
    const [fresh, a2] = varint(block, a1);
    const [valueLength, a3] = varint(block, a2);
    key = Buffer.concat([key.subarray(0, shared), block.subarray(a3, a3 + fresh)]);
    const value = block.subarray(a3 + fresh, a3 + fresh + valueLength);
    entries.push({ key, value });
    at = a3 + fresh + valueLength;
  }
  return entries;
}

/// A Snappy stream (raw format: the length as a varint, then literals and
/// back-references), or null if these bytes are not one.
export function snappyDecompress(input) {
  let length;
  let at;
  try {
    [length, at] = varint(input, 0);
  } catch {
    return null;
  }
  // A value is at most what the block or file could expand to.
  if (length < 8 || length > input.length * 64 + 64 || length > 256 * 1024 * 1024) return null;
  const out = Buffer.alloc(length);
  let written = 0;
  while (at < input.length && written < length) {
    const tag = input[at++];
    const kind = tag & 3;
    if (kind === 0) {
      let size = tag >> 2;
      if (size >= 60) {
        const extra = size - 59;
        if (at + extra > input.length) return null;
        size = input.readUIntLE(at, extra);
        at += extra;
      }
      size += 1;
      if (at + size > input.length || written + size > length) return null;
      input.copy(out, written, at, at + size);
      at += size;
      written += size;
      continue;
    }
    let size;
    let distance;
    if (kind === 1) {
      if (at >= input.length) return null;
      size = ((tag >> 2) & 7) + 4;
      distance = ((tag >> 5) << 8) | input[at++];
    } else {
      const extra = kind === 2 ? 2 : 4;
      if (at + extra > input.length) return null;
      size = (tag >> 2) + 1;
      distance = input.readUIntLE(at, extra);
      at += extra;
    }
    if (distance === 0 || distance > written || written + size > length) return null;
    // Byte by byte: a back-reference may overlap what it writes.
    for (let i = 0; i < size; i++, written++) out[written] = out[written - distance];
  }
  // Chromium may keep bytes of its own after a value's stream.
  return written === length ? out : null;
}

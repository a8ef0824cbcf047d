// Reads an XLSX file the way a test needs to: its ZIP entries (stored or
// deflated, read from the central directory), the sheet names, and each
// sheet's cells with their type — a shared string, a number, or a date
// (a number whose style has a date format). No dependency beyond Node.

import { inflateRawSync } from 'node:zlib';

/// Every entry of a ZIP archive, by name.
export function unzip(buf) {
  // The end of central directory record: its signature, searched from the end.
  let end = buf.length - 22;
  while (end >= 0 && buf.readUInt32LE(end) !== 0x06054b50) end--;
  if (end < 0) throw new Error('not a ZIP file: no end of central directory');
  const count = buf.readUInt16LE(end + 10);
  let at = buf.readUInt32LE(end + 16);
  const files = new Map();
  for (let n = 0; n < count; n++) {
    if (buf.readUInt32LE(at) !== 0x02014b50) throw new Error(`bad central directory entry ${n}`);
    const method = buf.readUInt16LE(at + 10);
    const size = buf.readUInt32LE(at + 20);
    const nameLength = buf.readUInt16LE(at + 28);
    const extra = buf.readUInt16LE(at + 30);
    const comment = buf.readUInt16LE(at + 32);
    const local = buf.readUInt32LE(at + 42);
    const name = buf.subarray(at + 46, at + 46 + nameLength).toString('utf8');
    const dataAt = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const data = buf.subarray(dataAt, dataAt + size);
    files.set(name, method === 0 ? data : inflateRawSync(data));
    at += 46 + nameLength + extra + comment;
  }
  return files;
}

const unescape = (s) =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');

/// The workbook: its sheets by name, in order, each as rows of typed cells
/// `{ type: 'string' | 'number' | 'date' | 'formula', value }`.
export function readXlsx(buf) {
  const files = unzip(buf);
  const text = (name) => files.get(name)?.toString('utf8') ?? '';
  const strings = [...text('xl/sharedStrings.xml').matchAll(/<si>([\s\S]*?)<\/si>/g)].map((m) =>
    unescape([...m[1].matchAll(/<t[^>]*>([\s\S]*?)<\/t>/g)].map((t) => t[1]).join('')),
  );
  // Which cell styles are dates: those whose number format is a date one
  // (14–22 built in, or a custom format with d, m and y).
  const styles = text('xl/styles.xml');
  const custom = new Map(
    [...styles.matchAll(/<numFmt numFmtId="(\d+)" formatCode="([^"]*)"/g)].map((m) => [Number(m[1]), m[2]]),
  );
  const xfs = (styles.match(/<cellXfs[^>]*>([\s\S]*?)<\/cellXfs>/)?.[1] ?? '').match(/<xf [^>]*>/g) ?? [];
  const isDate = xfs.map((xf) => {
    const id = Number(xf.match(/numFmtId="(\d+)"/)?.[1] ?? 0);
    return (id >= 14 && id <= 22) || /[dy]/i.test(custom.get(id) ?? '');
  });
  const workbook = text('xl/workbook.xml');
  const names = [...workbook.matchAll(/<sheet [^>]*name="([^"]*)"/g)].map((m) => unescape(m[1]));
  const sheets = names.map((name, n) => {
    const xml = text(`xl/worksheets/sheet${n + 1}.xml`);
    const rows = [...xml.matchAll(/<row [^>]*>([\s\S]*?)<\/row>/g)].map((row) =>
      [...row[1].matchAll(/<c r="([A-Z]+)\d+"([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)].map((c) => {
        const attrs = c[2];
        const inner = c[3] ?? '';
        const value = inner.match(/<v>([\s\S]*?)<\/v>/)?.[1];
        const column = [...c[1]].reduce((s, ch) => s * 26 + ch.charCodeAt(0) - 64, 0) - 1;
        if (/<f>/.test(inner)) return { column, type: 'formula', value: inner };
        if (/t="s"/.test(attrs)) return { column, type: 'string', value: strings[Number(value)] };
        if (/t="(str|inlineStr)"/.test(attrs)) return { column, type: 'string', value: unescape(inner.replace(/<[^>]+>/g, '')) };
        const style = Number(attrs.match(/s="(\d+)"/)?.[1] ?? 0);
        return { column, type: isDate[style] ? 'date' : 'number', value: Number(value) };
      }),
    );
    const rtl = /rightToLeft="1"/.test(xml);
    return { name, rows, rtl };
  });
  return sheets;
}

/// Excel's day number of a date (`YYYY-MM-DD`): days since 1899-12-30.
export function excelDay(ymd) {
  return (Date.UTC(...ymd.split('-').map((x, i) => Number(x) - (i === 1 ? 1 : 0))) - Date.UTC(1899, 11, 30)) / 86_400_000;
}
